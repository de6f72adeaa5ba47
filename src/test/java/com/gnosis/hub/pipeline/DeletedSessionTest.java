package com.gnosis.hub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.intake.PendingPages;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.testing.Corpus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session its owner deletes right after the upload, while the queue consumer is taking it up: the consumer
 * finds it gone, whichever of its files went first, and lets go of it (its pages no longer count as queued).
 */
class DeletedSessionTest {

    private static final UserIdentity USER = UserIdentity.of("deleted-session@example.org");

    @TempDir
    Path root;

    @Test
    void aSessionDeletedWhileTheConsumerReadsItIsLetGo() throws Exception {
        SessionStore[] store = new SessionStore[1];
        SessionRef[] target = new SessionRef[1];
        // real files; the owner's DELETE lands just after the consumer has read status.json (the interleaving that
        // the load test's delete-after-upload clients hit about once in 150 uploads)
        Storage storage = new StorageWithReadHook(new LocalStorage(root), key -> {
            if (target[0] != null && key.equals(target[0].key(SessionFiles.STATUS))) {
                store[0].delete(target[0]);
                target[0] = null;
            }
        });
        SessionStore sessions = new SessionStore(storage);
        store[0] = sessions;
        PendingPages pending = new PendingPages(10_000, 1);
        Intake intake = new Intake(sessions, Document.Limits.DEFAULT, Clock.systemUTC(), Intake.Duplicates.KEEP, pending);
        Path upload = Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), root.resolve("incoming.pdf"));
        SessionRef ref = intake.accept(USER, "gone.pdf", upload, "http").ref();
        assertThat(pending.total()).isEqualTo(1);

        try (DocumentProcessor processor = new DocumentProcessor(sessions, null, Document.Limits.DEFAULT, 1, 0,
                Duration.ofMinutes(1), Clock.systemUTC(), SessionEvents.NONE, pending)) {
            target[0] = ref;
            processor.process(ref);

            assertThat(target[0]).as("the deletion happened during process").isNull();
            assertThat(sessions.exists(ref)).isFalse();
            assertThat(processor.activeSessions()).isZero();
            assertThat(pending.total()).as("its page no longer counts against MAX_QUEUED_PAGES").isZero();
        }
    }

    @Test
    void aSessionWithMetadataButNoStatusIsAnErrorNotADeletion() throws Exception {
        SessionStore sessions = new SessionStore(new LocalStorage(root));
        PendingPages pending = new PendingPages(10_000, 1);
        Intake intake = new Intake(sessions, Document.Limits.DEFAULT, Clock.systemUTC(), Intake.Duplicates.KEEP, pending);
        Path upload = Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), root.resolve("incoming.pdf"));
        SessionRef ref = intake.accept(USER, "damaged.pdf", upload, "http").ref();
        sessions.storage().delete(ref.key(SessionFiles.STATUS));

        try (DocumentProcessor processor = new DocumentProcessor(sessions, null, Document.Limits.DEFAULT, 1, 0,
                Duration.ofMinutes(1), Clock.systemUTC(), SessionEvents.NONE, pending)) {
            assertThatThrownBy(() -> processor.process(ref))
                    .isInstanceOf(FileNotFoundException.class).hasMessageContaining("status.json");
            assertThat(sessions.exists(ref)).isTrue();
        }
    }

    /** Local storage that calls a hook after each read of a key (the point where another request can interleave). */
    private record StorageWithReadHook(LocalStorage local, Hook afterGet) implements Storage {

        interface Hook {
            void read(String key) throws IOException;
        }

        @Override
        public Optional<byte[]> get(String key) throws IOException {
            Optional<byte[]> data = local.get(key);
            afterGet.read(key);
            return data;
        }

        @Override
        public void put(String key, byte[] data) throws IOException {
            local.put(key, data);
        }

        @Override
        public void putFile(String key, Path source) throws IOException {
            local.putFile(key, source);
        }

        @Override
        public Optional<InputStream> open(String key) throws IOException {
            return local.open(key);
        }

        @Override
        public boolean exists(String key) {
            return local.exists(key);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            return local.list(prefix);
        }

        @Override
        public List<String> children(String prefix) throws IOException {
            return local.children(prefix);
        }

        @Override
        public boolean delete(String key) throws IOException {
            return local.delete(key);
        }

        @Override
        public int deleteAll(String prefix) throws IOException {
            return local.deleteAll(prefix);
        }

        @Override
        public boolean available() {
            return local.available();
        }

        @Override
        public String kind() {
            return local.kind();
        }
    }
}
