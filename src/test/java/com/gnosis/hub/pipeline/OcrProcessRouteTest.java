package com.gnosis.hub.pipeline;

import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.queue.QueuedDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.testing.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** The real YAML routes (enqueue -> queue -> page pipeline) in Camel's test kit, on the text-layer path. */
@CamelMainTest(configurationClasses = HubConfiguration.class, properties = {
        "STORAGE_PATH=target/route-test-storage", "OCR_PRELOAD=false", "camel.server.port=0",
        "camel.server.file-upload-directory=target/route-test-storage/tmp/http-uploads"})
class OcrProcessRouteTest {

    private static final UserIdentity USER = UserIdentity.of("route-test@example.org");

    private final SessionStore sessions = new SessionStore(new LocalStorage(Path.of("target/route-test-storage")));
    private final Intake intake = new Intake(sessions, Document.Limits.DEFAULT, Clock.systemUTC(), Intake.Duplicates.KEEP,
            new com.gnosis.hub.queue.PendingPages(10_000, 2));

    @org.apache.camel.BeanInject
    CamelContext context;

    @Test
    void queuedSessionIsReadPageByPageAndCompleted() throws Exception {
        Intake.Accepted accepted = intake.accept(USER, "poems.pdf", Corpus.dev("pdfbox_PDFBOX-3110-poems-beads.pdf"), "http");
        SessionRef ref = accepted.ref();
        process(ref);

        SessionStatus status = sessions.status(ref);
        assertThat(status.status()).isEqualTo("completed");
        assertThat(status.pagesDone()).isEqualTo(2);
        assertThat(status.progress()).isEqualTo(100);
        assertThat(sessions.files(ref)).contains("page_001_result.txt", "page_002_result.txt", "page_001.json",
                "page_002.json", "combined_output.md");
        // the hub's own bookkeeping in a session's folder is not the owner's (the ZIP lists these names)
        sessions.storage().put(ref.key(".claims/page_001.1"), new byte[0]);
        assertThat(sessions.files(ref)).noneMatch(name -> name.startsWith("."));
        String combined = read(ref, SessionFiles.COMBINED);
        assertThat(combined).startsWith("# Page 1\n\n").contains("\n\n---\n\n# Page 2\n\n");
    }

    @Test
    void pagesAlreadyStoredAreNotReadAgain() throws Exception {
        Intake.Accepted accepted = intake.accept(USER, "poems.pdf", Corpus.dev("pdfbox_PDFBOX-3110-poems-beads.pdf"), "http");
        SessionRef ref = accepted.ref();
        sessions.storage().put(ref.key(SessionFiles.pageText(1)), "DONE BEFORE A RESTART".getBytes(StandardCharsets.UTF_8));
        sessions.storage().put(ref.key(SessionFiles.pageLines(1)), "{\"lines\": []}".getBytes(StandardCharsets.UTF_8));
        process(ref);

        assertThat(sessions.status(ref).status()).isEqualTo("completed");
        assertThat(read(ref, SessionFiles.pageText(1))).isEqualTo("DONE BEFORE A RESTART");
        assertThat(read(ref, SessionFiles.COMBINED)).startsWith("# Page 1\n\nDONE BEFORE A RESTART\n\n---\n\n# Page 2");
    }

    @Test
    void aDocumentThatCannotBeReadEndsFailedWithItsReason() throws Exception {
        SessionRef ref = SessionRef.create(USER);
        sessions.storage().put(ref.key("upload.pdf"), "%PDF-1.4\ngarbage".getBytes(StandardCharsets.US_ASCII));
        sessions.create(ref, new SessionMetadata(ref.sessionId(), USER.email(), USER.hash(), Instant.now().toString(),
                "broken.pdf", 16, "application/pdf", "0", 1, "http", "upload.pdf", null, null), SessionStatus.pending(1, Instant.now()));
        process(ref);

        SessionStatus status = sessions.status(ref);
        assertThat(status.status()).isEqualTo("failed");
        assertThat(status.error()).contains("PDF");
        assertThat(status.message()).startsWith("Processing failed: ");
    }

    @Test
    void queueMessageCarriesOnlyUserHashAndSessionId() throws Exception {
        SessionRef ref = SessionRef.create(USER);
        assertThat(Json.MAPPER.readTree(QueuedDocument.of(ref).toJson()).fieldNames())
                .toIterable().containsExactlyInAnyOrder("user_hash", "session_id");
    }

    private void process(SessionRef ref) {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("session-finished").whenCompleted(1).create();
        ProducerTemplate template = context.createProducerTemplate();
        template.send("direct:enqueue-document", exchange ->
                exchange.setVariable("queuedDocument", QueuedDocument.of(ref).toJson()));
        assertThat(done.matches(60, TimeUnit.SECONDS)).as("session finished").isTrue();
    }

    private String read(SessionRef ref, String file) throws Exception {
        return new String(sessions.storage().get(ref.key(file)).orElseThrow(), StandardCharsets.UTF_8);
    }
}
