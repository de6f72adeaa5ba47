package com.gnosis.hub.pipeline;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PdfTextMode;
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
 * A session its owner deletes right after the upload, while the queue consumer is taking it up or a page worker is
 * writing its files: the hub finds it gone, whichever of its files went first, lets go of it (its pages no longer
 * count as queued) and leaves nothing of it behind.
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
        Storage storage = new StorageWithHooks(new LocalStorage(root), deleteAtStatus(store, target), key -> { });
        SessionStore sessions = new SessionStore(storage);
        store[0] = sessions;
        PendingPages pending = new PendingPages(10_000, 1);
        SessionRef ref = upload(sessions, pending, "gone.pdf");
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
    void aSessionDeletedJustBeforeItsStatusIsWrittenIsNotBroughtBack() throws Exception {
        SessionStore[] store = new SessionStore[1];
        SessionRef[] target = new SessionRef[1];
        // the owner's DELETE lands between the page worker's check that the session exists and its write of the
        // "processing" status: the write finds no folder and would make one, holding a status.json nobody can see
        Storage storage = new StorageWithHooks(new LocalStorage(root), key -> { }, deleteAtStatus(store, target));
        SessionStore sessions = new SessionStore(storage);
        store[0] = sessions;
        PendingPages pending = new PendingPages(10_000, 1);
        SessionRef ref = upload(sessions, pending, "gone.pdf");
        // a born-digital page: its text layer is read, no OCR model is needed to get to the writes
        PageReader reader = new PageReader(null, PdfTextMode.AUTO, 150);

        try (DocumentProcessor processor = new DocumentProcessor(sessions, reader, Document.Limits.DEFAULT, 1, 0,
                Duration.ofMinutes(1), Clock.systemUTC(), SessionEvents.NONE, pending)) {
            target[0] = ref;
            processor.process(ref);
            await("the job to end").atMost(Duration.ofSeconds(30)).until(() -> processor.activeSessions() == 0);

            assertThat(target[0]).as("the deletion happened during processing").isNull();
            assertThat(sessions.exists(ref)).isFalse();
            assertThat(storage.list(ref.prefix())).as("files of the deleted session").isEmpty();
            assertThat(root.resolve(ref.prefix())).doesNotExist();
            assertThat(pending.total()).isZero();
        }
    }

    @Test
    void aSessionWithMetadataButNoStatusIsAnErrorNotADeletion() throws Exception {
        SessionStore sessions = new SessionStore(new LocalStorage(root));
        PendingPages pending = new PendingPages(10_000, 1);
        SessionRef ref = upload(sessions, pending, "damaged.pdf");
        sessions.storage().delete(ref.key(SessionFiles.STATUS));

        try (DocumentProcessor processor = new DocumentProcessor(sessions, null, Document.Limits.DEFAULT, 1, 0,
                Duration.ofMinutes(1), Clock.systemUTC(), SessionEvents.NONE, pending)) {
            assertThatThrownBy(() -> processor.process(ref))
                    .isInstanceOf(FileNotFoundException.class).hasMessageContaining("status.json");
            assertThat(sessions.exists(ref)).isTrue();
        }
    }

    /** The 1-page born-digital PDF taken into a new session of USER, as an upload is. */
    private SessionRef upload(SessionStore sessions, PendingPages pending, String name) throws Exception {
        Intake intake = new Intake(sessions, Document.Limits.DEFAULT, Clock.systemUTC(), Intake.Duplicates.KEEP, pending);
        Path upload = Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), root.resolve("incoming.pdf"));
        return intake.accept(USER, name, upload, "http").ref();
    }

    /** The owner's DELETE of {@code target[0]}, run once when its status.json passes the hook. */
    private static StorageWithHooks.Hook deleteAtStatus(SessionStore[] store, SessionRef[] target) {
        return key -> {
            if (target[0] != null && key.equals(target[0].key(SessionFiles.STATUS))) {
                store[0].delete(target[0]);
                target[0] = null;
            }
        };
    }

    /**
     * Local storage that calls a hook after each read and before each write of a key (the points where another
     * request can interleave).
     */
    private record StorageWithHooks(LocalStorage local, Hook afterGet, Hook beforePut) implements Storage {

        interface Hook {
            void at(String key) throws IOException;
        }

        @Override
        public Optional<byte[]> get(String key) throws IOException {
            Optional<byte[]> data = local.get(key);
            afterGet.at(key);
            return data;
        }

        @Override
        public void put(String key, byte[] data) throws IOException {
            beforePut.at(key);
            local.put(key, data);
        }

        @Override
        public boolean createIfAbsent(String key, byte[] data) throws IOException {
            beforePut.at(key);
            return local.createIfAbsent(key, data);
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
