package com.gnosis.hub.retention;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.storage.GcsStorage;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.MovableClock;
import com.gnosis.hub.testing.PrometheusText;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SESSION_TTL: an expired session goes with all it owns, from a local folder and from a bucket alike. */
class RetentionTest {

    private static final String OLA = "ola@example.org";

    @TempDir
    Path storage;

    @Test
    void aSessionPastItsTtlIsGoneFromLocalStorage() throws Exception {
        expiresWithAllItOwns(Map.of(), Map.of(), new LocalStorage(storage));
    }

    @Test
    void aSessionPastItsTtlIsGoneFromTheBucket() throws Exception {
        com.google.cloud.storage.Storage gcs = LocalStorageHelper.customOptions(false).getService();
        expiresWithAllItOwns(Map.of("STORAGE_BACKEND", "gcs", "GCS_BUCKET_NAME", "sessions"),
                Map.of(HubConfiguration.GCS_CLIENT, gcs), new GcsStorage(gcs, "sessions"));
    }

    private void expiresWithAllItOwns(Map<String, String> backend, Map<String, Object> beans, Storage view) throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-01T08:00:00Z"));
        int nobody;
        try (ServerSocket free = new ServerSocket(0)) {
            nobody = free.getLocalPort(); // the callback goes nowhere, so its delivery waits in the outbox
        }
        Map<String, String> settings = new HashMap<>(backend);
        settings.putAll(Map.of("SESSION_TTL", "30d", "SESSION_SWEEP_INTERVAL", "100ms", "OCR_PDF_TEXT", "always",
                "DROP_FOLDER", "", "WEBHOOK_SECRET", "s", "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1", "WEBHOOK_POLL_MS", "50"));
        Map<String, Object> bound = new HashMap<>(beans);
        bound.put(HubConfiguration.CLOCK, clock);
        try (HubServer hub = HubServer.start(storage, settings, bound)) {
            String hash = UserIdentity.hashOf(OLA);
            var done = hub.documentsDone(1);
            HttpResponse<String> old = hub.post("/upload", OLA, com.gnosis.hub.webhook.Multipart.withFile(
                    Map.of("callback_url", "http://127.0.0.1:" + nobody + "/hook"), pdf()),
                    com.gnosis.hub.webhook.Multipart.CONTENT_TYPE, Map.of());
            assertThat(old.statusCode()).isEqualTo(200);
            String oldId = Json.MAPPER.readTree(old.body()).get("session_hash").asText();
            HubServer.await(done);
            await("the delivery waiting in the outbox").atMost(Duration.ofSeconds(30)).until(() -> !view.list("outbox/" + hash + "/" + oldId + "/").isEmpty());
            assertThat(view.list("index/sha256/" + hash + "/")).hasSize(1);

            JsonNode status = Json.MAPPER.readTree(hub.get("/status/" + oldId, OLA).body());
            assertThat(status.get("expires_at").asText()).isEqualTo("2026-12-01T08:00:00Z");

            clock.advance(Duration.ofDays(20));
            var secondDone = hub.documentsDone(1);
            HttpResponse<String> young = hub.upload(OLA, Corpus.dev("pdfbox_PDFBOX-3110-poems-beads.pdf"));
            String youngId = Json.MAPPER.readTree(young.body()).get("session_hash").asText();
            HubServer.await(secondDone);
            JsonNode listed = Json.MAPPER.readTree(hub.get("/sessions", OLA).body()).get("sessions");
            assertThat(listed).hasSize(2);
            assertThat(listed.get(0).get("expires_at").asText()).isEqualTo("2026-12-21T08:00:00Z");
            assertThat(listed.get(1).get("expires_at").asText()).isEqualTo("2026-12-01T08:00:00Z");

            clock.advance(Duration.ofDays(10).plusSeconds(1)); // the first is 30 days and a second old, the second 10 days
            await("the expired session swept").atMost(Duration.ofSeconds(30)).until(() -> view.list("users/" + hash + "/" + oldId + "/").isEmpty());
            assertThat(view.list("outbox/" + hash + "/" + oldId + "/")).as("its webhook").isEmpty();
            assertThat(view.list("index/sha256/" + hash + "/")).as("its duplicate index entry, not the other's").singleElement()
                    .satisfies(key -> assertThat(new String(view.get(key).orElseThrow())).isEqualTo(youngId));
            assertThat(hub.get("/status/" + oldId, OLA).statusCode()).isEqualTo(404);
            assertThat(view.list("users/" + hash + "/" + youngId + "/")).as("the younger session stays").isNotEmpty();
            assertThat(hub.get("/status/" + youngId, OLA).statusCode()).isEqualTo(200);
            assertThat(PrometheusText.parse(hub.get("/metrics", null).body()).value("gnosis_sessions_expired_total")).isEqualTo(1.0);
        }
    }

    private static byte[] pdf() throws java.io.IOException {
        return Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
    }
}
