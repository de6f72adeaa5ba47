package com.gnosis.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GCS backend over Google's own in-memory Storage (a fresh one per test). */
class GcsStorageTest {

    private final com.google.cloud.storage.Storage client = LocalStorageHelper.customOptions(false).getService();
    private final GcsStorage storage = new GcsStorage(client, "sessions-bucket");

    @TempDir
    Path dir;

    @Test
    void putGetListChildrenDeleteWithContentTypes() throws Exception {
        storage.put("users/abc/s1/status.json", "{}".getBytes(StandardCharsets.UTF_8));
        storage.put("users/abc/s1/page_001.png", new byte[] {1, 2, 3});
        storage.putFile("users/abc/s2/upload.pdf", Files.writeString(dir.resolve("x.pdf"), "%PDF-1.4"));

        assertThat(storage.get("users/abc/s1/page_001.png")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(storage.get("users/abc/s1/nothing")).isEmpty();
        assertThat(storage.open("users/abc/s2/upload.pdf")).hasValueSatisfying(in ->
                assertThat(in).hasContent("%PDF-1.4"));
        assertThat(storage.exists("users/abc/s1/status.json")).isTrue();
        assertThat(storage.list("users/abc/s1/")).containsExactly("users/abc/s1/page_001.png", "users/abc/s1/status.json");
        assertThat(storage.children("users/abc/")).containsExactly("s1", "s2");
        assertThat(client.get(BlobId.of("sessions-bucket", "users/abc/s1/status.json")).getContentType())
                .isEqualTo("application/json");
        assertThat(client.get(BlobId.of("sessions-bucket", "users/abc/s2/upload.pdf")).getContentType())
                .isEqualTo("application/pdf");
        assertThat(client.get(BlobId.of("sessions-bucket", "users/abc/s1/page_001.png")).getCacheControl()).isNull();

        assertThat(storage.deleteAll("users/abc/s1/")).isEqualTo(2);
        assertThat(storage.children("users/abc/")).containsExactly("s2");
        assertThat(storage.delete("users/abc/s2/upload.pdf")).isTrue();
        assertThat(storage.delete("users/abc/s2/upload.pdf")).isFalse();
        assertThat(storage.kind()).isEqualTo("gcs");
    }

    @Test
    void putFileTakingUploadsThenDeletesTheSourceAndThereIsNoLocalFile() throws Exception {
        Path source = Files.writeString(dir.resolve("upload.tmp"), "%PDF-1.4 taken");
        storage.putFileTaking("users/abc/s1/upload.pdf", source);
        assertThat(source).doesNotExist();
        assertThat(storage.get("users/abc/s1/upload.pdf")).hasValueSatisfying(b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("%PDF-1.4 taken"));
        assertThat(storage.localFile("users/abc/s1/upload.pdf")).isEmpty();
    }

    /**
     * Two deletions of one session at once: an object already gone is simply gone, not an error (25 sessions: the
     * in-memory bucket lists slowly).
     */
    @Test
    void twoCallersDeletingTheSameObjectsAtOnceBothSucceedAndEachObjectCountsOnce() throws Exception {
        ConcurrentDeletes.check(storage, 25, prefix -> { });
    }

    @Test
    void availableWhenTheBucketCanBeListed() {
        assertThat(storage.available()).isTrue();
    }
}
