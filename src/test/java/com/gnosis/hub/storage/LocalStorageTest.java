package com.gnosis.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest {

    @TempDir
    Path root;

    @Test
    void putGetListChildrenAndDelete() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.put("users/abc/s1/status.json", "{}".getBytes(StandardCharsets.UTF_8));
        storage.put("users/abc/s1/page_001.png", new byte[] {1, 2});
        storage.put("users/abc/s2/status.json", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(storage.get("users/abc/s1/page_001.png")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
        assertThat(storage.get("users/abc/s1/missing")).isEmpty();
        assertThat(storage.list("users/abc/s1/")).containsExactly("users/abc/s1/page_001.png", "users/abc/s1/status.json");
        assertThat(storage.children("users/abc/")).containsExactly("s1", "s2");
        assertThat(storage.exists("users/abc/s2/status.json")).isTrue();
        assertThat(storage.deleteAll("users/abc/s1/")).isEqualTo(2);
        assertThat(storage.children("users/abc/")).containsExactly("s2");
        assertThat(storage.delete("users/abc/s2/status.json")).isTrue();
        assertThat(storage.delete("users/abc/s2/status.json")).isFalse();
    }

    /** Two DELETEs of one session (or a DELETE and the pipeline tidying up after it) at the same moment. */
    @Test
    void twoCallersDeletingTheSameFilesAtOnceBothSucceedAndEachFileCountsOnce() throws Exception {
        ConcurrentDeletes.check(new LocalStorage(root), 100, prefix -> assertThat(root.resolve(prefix)).doesNotExist());
    }

    @Test
    void keysThatCouldLeaveTheRootAreRefused() {
        LocalStorage storage = new LocalStorage(root);
        for (String key : new String[] {"../escape", "users/../../x", "/etc/passwd", "users//x", "users/./x", "a\\b"}) {
            assertThatThrownBy(() -> storage.put(key, new byte[1])).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(root.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void putFileCopiesWithoutTouchingTheSource() throws Exception {
        LocalStorage storage = new LocalStorage(root.resolve("store"));
        Path source = Files.writeString(root.resolve("source.pdf"), "%PDF-1.4 test");
        storage.putFile("users/abc/s1/upload.pdf", source);
        assertThat(source).exists();
        assertThat(storage.get("users/abc/s1/upload.pdf")).hasValueSatisfying(b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("%PDF-1.4 test"));
    }

    @Test
    void putFileTakingMovesTheFileInWithoutCopyingAndLocalFileFindsIt() throws Exception {
        LocalStorage storage = new LocalStorage(root.resolve("store"));
        Path source = Files.writeString(root.resolve("upload-123.tmp"), "%PDF-1.4 taken");
        Object inode = Files.readAttributes(source, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        storage.putFileTaking("users/abc/s1/upload.pdf", source);

        assertThat(source).doesNotExist();
        Path stored = storage.localFile("users/abc/s1/upload.pdf").orElseThrow();
        assertThat(stored).hasContent("%PDF-1.4 taken").startsWith(root.resolve("store"));
        // the same file, renamed: no copy was made
        assertThat(Files.readAttributes(stored, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        assertThat(storage.localFile("users/abc/s1/missing.pdf")).isEmpty();
        assertThat(storage.list("users/abc/s1/")).containsExactly("users/abc/s1/upload.pdf");
    }

    @Test
    void readersNeverSeeAHalfWrittenFileAndNoTemporaryFileIsLeft() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        byte[] a = new byte[2_000_000];
        byte[] b = new byte[2_000_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        storage.put("users/abc/s1/status.json", a);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<?> writer = executor.submit(() -> {
            for (int i = 0; i < 40; i++) storage.put("users/abc/s1/status.json", i % 2 == 0 ? b : a);
            writing.set(false);
            return null;
        });
        int reads = 0;
        while (writing.get() || reads == 0) {
            byte[] seen = storage.get("users/abc/s1/status.json").orElseThrow();
            assertThat(seen.length).isEqualTo(a.length);
            assertThat(seen[seen.length - 1]).isEqualTo(seen[0]); // all a or all b, never a mix or a short file
            reads++;
        }
        writer.get();
        executor.shutdown();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactly("status.json");
        }
    }
}
