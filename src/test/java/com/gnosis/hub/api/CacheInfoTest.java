package com.gnosis.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.HubServer;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /cache/info and /health tell the truth about a model cache with known files, on a hub whose sessions live in GCS. */
class CacheInfoTest {

    @TempDir
    Path temp;

    @Test
    void cacheInfoCountsTheCacheFolderAndHealthShowsTheRuntime() throws Exception {
        Path cache = Files.createDirectories(temp.resolve("models"));
        Files.write(cache.resolve("det.onnx"), new byte[1000]);
        Files.write(cache.resolve("rec.onnx"), new byte[2500]);
        Files.write(cache.resolve("keys.txt"), new byte[40]);
        Files.createDirectories(cache.resolve("hub/layout"));
        Files.write(cache.resolve("hub/layout/model.safetensors"), new byte[300]);
        Files.createDirectories(cache.resolve("djl/pytorch"));
        Files.write(cache.resolve("djl/pytorch/libtorch.so"), new byte[77]);

        try (HubServer hub = HubServer.start(temp.resolve("storage"),
                Map.of("MODEL_CACHE_PATH", cache.toString(), "STORAGE_BACKEND", "gcs", "GCS_BUCKET_NAME", "sessions"),
                Map.of(HubConfiguration.GCS_CLIENT, LocalStorageHelper.customOptions(false).getService()))) {
            JsonNode answer = Json.MAPPER.readTree(hub.get("/cache/info", null).body());
            JsonNode info = answer.get("cache_info");
            assertThat(info.get("path").asText()).isEqualTo(cache.toString());
            assertThat(info.get("exists").asBoolean()).isTrue();
            assertThat(info.get("size_bytes").asLong()).isEqualTo(1000 + 2500 + 40 + 300 + 77);
            assertThat(info.get("size_gb").asDouble()).isEqualTo(0.0);
            assertThat(info.get("model_count").asInt()).isEqualTo(3);
            assertThat(info.get("is_cloud").asBoolean()).isTrue();
            assertThat(answer.get("model_loaded").asBoolean()).isFalse();
            JsonNode gpu = answer.get("gpu_info");
            assertThat(gpu.fieldNames()).toIterable().contains("available", "name", "provider", "providers_available",
                    "device_count", "cuda_version", "devices", "device_in_use", "device_requested");
            assertThat(gpu.get("providers_available").toString()).contains("CPUExecutionProvider");
            assertThat(gpu.get("device_count").asInt()).isEqualTo(gpu.get("devices").size());
            assertThat(gpu.get("device_in_use").asText()).isEqualTo("none");

            JsonNode health = Json.MAPPER.readTree(hub.get("/health", null).body());
            assertThat(health.get("storage_backend").asText()).isEqualTo("gcs");
            assertThat(health.get("storage_available").asBoolean()).isTrue();
            assertThat(health.get("gpu_count").asInt()).isEqualTo(gpu.get("device_count").asInt());
            assertThat(health.get("model_loaded").asBoolean()).isFalse();

            Files.delete(cache.resolve("rec.onnx"));
            JsonNode after = Json.MAPPER.readTree(hub.get("/cache/info", null).body()).get("cache_info");
            assertThat(after.get("model_count").asInt()).isEqualTo(2);
            assertThat(after.get("size_bytes").asLong()).isEqualTo(1000 + 40 + 300 + 77);
        }
    }

    @Test
    void aMissingCacheFolderIsReportedAsAbsent() throws Exception {
        Path cache = temp.resolve("nowhere");
        try (HubServer hub = HubServer.start(temp.resolve("storage"), Map.of("MODEL_CACHE_PATH", cache.toString()))) {
            JsonNode info = Json.MAPPER.readTree(hub.get("/cache/info", null).body()).get("cache_info");
            assertThat(info.get("exists").asBoolean()).isFalse();
            assertThat(info.get("size_bytes").asLong()).isZero();
            assertThat(info.get("model_count").asInt()).isZero();
            assertThat(info.get("is_cloud").asBoolean()).isFalse();
        }
    }
}
