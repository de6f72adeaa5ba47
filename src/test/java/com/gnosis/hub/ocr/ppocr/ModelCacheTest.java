package com.gnosis.hub.ocr.ppocr;

import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.ocr.OcrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCacheTest {

    @Test
    void unpacksABundledModelOnceAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        ModelCache cache = new ModelCache(dir.resolve("models"));

        Path keys = cache.resolve(PpOcrSettings.BUNDLED_KEYS, PpOcrSettings.BUNDLED_KEYS);
        FileTime first = Files.getLastModifiedTime(keys);
        Files.setLastModifiedTime(keys, FileTime.fromMillis(first.toMillis() - 60_000));
        cache.resolve(PpOcrSettings.BUNDLED_KEYS, PpOcrSettings.BUNDLED_KEYS);

        assertThat(Files.readAllLines(keys)).hasSize(6623);
        assertThat(Files.getLastModifiedTime(keys).toMillis()).isEqualTo(first.toMillis() - 60_000);
        try (var files = Files.list(dir.resolve("models"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(PpOcrSettings.BUNDLED_KEYS);
        }
    }

    @Test
    void replacesATruncatedCopy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(PpOcrSettings.BUNDLED_KEYS), "broken");

        Path keys = new ModelCache(dir).resolve(PpOcrSettings.BUNDLED_KEYS, PpOcrSettings.BUNDLED_KEYS);

        assertThat(Files.size(keys)).isGreaterThan(20_000);
    }

    @Test
    void usesTheOperatorsFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("my_keys.txt"), "a\nb\n");
        ModelCache cache = new ModelCache(dir);

        assertThat(cache.resolve("my_keys.txt", PpOcrSettings.BUNDLED_KEYS)).isEqualTo(dir.resolve("my_keys.txt"));
        assertThatThrownBy(() -> cache.resolve("latin_rec.onnx", PpOcrSettings.BUNDLED_REC))
                .isInstanceOf(OcrException.class).hasMessageContaining("latin_rec.onnx").hasMessageContaining("does not exist");
    }

    @Test
    void readsSettingsFromTheEnvironmentWithDefaults() {
        PpOcrSettings defaults = PpOcrSettings.fromEnvironment(HubSettings.standalone(Map.<String, String>of()::get)::env);
        assertThat(defaults.modelCache()).isEqualTo(Path.of("./storage/cache/models").toAbsolutePath().normalize());
        assertThat(defaults.device()).isEqualTo("auto");
        assertThat(defaults.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.threadsPerWorker()).isEqualTo(Math.min(4, Runtime.getRuntime().availableProcessors()));

        PpOcrSettings set = PpOcrSettings.fromEnvironment(HubSettings.standalone(Map.of("STORAGE_PATH", "/data", "OCR_DEVICE", "GPU",
                "OCR_WORKERS", "3", "OCR_REC_MODEL", "latin.onnx")::get)::env);
        assertThat(set.modelCache()).isEqualTo(Path.of("/data/cache/models"));
        assertThat(set.device()).isEqualTo("gpu");
        assertThat(set.workers()).isEqualTo(3);
        assertThat(set.recModel()).isEqualTo("latin.onnx");
        assertThatThrownBy(() -> PpOcrSettings.fromEnvironment(HubSettings.standalone(Map.of("OCR_DEVICE", "tpu")::get)::env))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
