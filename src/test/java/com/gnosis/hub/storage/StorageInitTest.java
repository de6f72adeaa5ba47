package com.gnosis.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.cli.StorageInitCommand;
import com.gnosis.hub.settings.HubSettings;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage-init on a temporary folder and on Google's in-memory bucket, run twice; and the backend choice. */
class StorageInitTest {

    @TempDir
    Path temp;

    private final com.google.cloud.storage.Storage gcs = LocalStorageHelper.customOptions(false).getService();

    @Test
    void localRootGetsItsFoldersOnceAndTheModelCache() throws Exception {
        Path root = temp.resolve("storage");
        Path cache = temp.resolve("models");

        Run first = run(new LocalStorage(root), cache);
        Run second = run(new LocalStorage(root), cache);

        assertThat(first.exit).isZero();
        assertThat(first.out).isEqualTo("storage-init: local " + root + ": created users/ cache/ logs/ inbox/; "
                + "write check passed; model cache " + cache + "\n");
        assertThat(second.exit).isZero();
        assertThat(second.out).isEqualTo("storage-init: local " + root + ": already there users/ cache/ logs/ inbox/; "
                + "write check passed; model cache " + cache + "\n");
        for (String folder : List.of("users", "cache", "logs", "inbox")) {
            assertThat(root.resolve(folder)).isDirectory();
            assertThat(root.resolve(folder).resolve(".keep")).isEmptyFile();
        }
        assertThat(cache).isDirectory();
        assertThat(root.resolve("logs").toFile().list()).containsExactly(".keep");
    }

    @Test
    void bucketGetsOneKeepObjectPerPrefixOnce() {
        GcsStorage storage = new GcsStorage(gcs, "hub-bucket");

        Run first = run(storage, null);
        Run second = run(storage, null);

        assertThat(first.exit).isZero();
        assertThat(first.out).isEqualTo("storage-init: gcs gs://hub-bucket: created users/ cache/ logs/ inbox/; write check passed\n");
        assertThat(second.exit).isZero();
        assertThat(second.out).contains("already there users/ cache/ logs/ inbox/");
        List<String> names = new ArrayList<>();
        for (Blob blob : gcs.list("hub-bucket").iterateAll()) names.add(blob.getName());
        assertThat(names).containsExactlyInAnyOrder("users/.keep", "cache/.keep", "logs/.keep", "inbox/.keep");
    }

    @Test
    void anUnwritableRootFailsWithExitOne() throws Exception {
        Path root = Files.createDirectories(temp.resolve("storage"));
        LocalStorage storage = new LocalStorage(root);
        // a file where the logs folder belongs: the probe cannot be written, whoever runs the test
        Files.writeString(root.resolve("logs"), "not a folder");

        Run run = run(storage, null);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).startsWith("storage-init: local " + root + ": ").contains("NOT WRITABLE");
    }

    @Test
    void theSettingsChooseTheBackend() {
        Path root = temp.resolve("chosen");
        assertThat(open(Map.of("STORAGE_PATH", root.toString()))).isInstanceOfSatisfying(LocalStorage.class,
                local -> assertThat(local.root()).isEqualTo(root));
        assertThat(open(Map.of("STORAGE_BACKEND", "gcs", "GCS_BUCKET_NAME", "b1"))).isInstanceOfSatisfying(GcsStorage.class,
                g -> assertThat(g.bucket()).isEqualTo("b1"));
        assertThat(open(Map.of("RUNNING_IN_CLOUD", "true", "GCS_BUCKET_NAME", "b2")).kind()).isEqualTo("gcs");
        assertThat(open(Map.of("K_SERVICE", "gnosis-ocr-hub", "GCS_BUCKET_NAME", "b3")).kind()).isEqualTo("gcs");
        assertThat(open(Map.of("K_SERVICE", "x", "STORAGE_BACKEND", "local", "STORAGE_PATH", root.toString())).kind())
                .isEqualTo("local");
        assertThat(StorageBackends.describe(open(Map.of("STORAGE_BACKEND", "gcs", "GCS_BUCKET_NAME", "b4"))))
                .isEqualTo("gs://b4");
    }

    private Storage open(Map<String, String> env) {
        return StorageBackends.open(HubSettings.standalone(env::get).storageChoice(), () -> gcs);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Storage storage, Path modelCache) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StorageInitCommand.run(storage, modelCache, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
