package com.gnosis.hub.drop;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drop folder on real files: the real file consumer, intake, pipeline and result files. */
class DropFolderTest {

    private static final String PDF = "pdfbox_PDFBOX-3038-001033-p2.pdf";
    // DUPLICATES=keep: these tests drop the same corpus file more than once and count the sessions
    private static final Map<String, String> FAST = Map.of("DROP_STABLE_MS", "1000", "DROP_CHECK_MS", "300",
            "DROP_POLL_MS", "200", "DUPLICATES", "keep");

    @TempDir
    Path storage;

    @Test
    void fileInAnEmailFolderBecomesThatUsersSessionAndItsMarkdownLandsBesideIt() throws Exception {
        try (HubServer hub = HubServer.start(storage, FAST)) {
            Path inbox = storage.resolve("inbox");
            NotifyBuilder done = hub.documentsDone(1);
            drop(inbox.resolve("Carol@Example.org/report.pdf"), Corpus.dev(PDF));
            HubServer.await(done);

            Path doneDir = inbox.resolve(".done/Carol@Example.org");
            // the file moves once its exchange ends, which a text-layer page can beat
            await("the file moved to .done").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(doneDir.resolve("report.pdf")));
            assertThat(doneDir.resolve("report.pdf")).exists();
            assertThat(inbox.resolve("Carol@Example.org/report.pdf")).doesNotExist();
            assertThat(Files.readString(doneDir.resolve("report.md"))).startsWith("# Page 1\n\nI. INTRODUCTION");

            JsonNode metadata = onlySessionMetadata(UserIdentity.hashOf("carol@example.org"));
            assertThat(metadata.get("source").asText()).isEqualTo("drop");
            assertThat(metadata.get("filename").asText()).isEqualTo("report.pdf");
            assertThat(metadata.get("user_email").asText()).isEqualTo("carol@example.org");
        }
    }

    @Test
    void fileAtTheInboxRootBelongsToTheDefaultUserAndHiddenOrTemporaryFilesAreLeftAlone() throws Exception {
        try (HubServer hub = HubServer.start(storage, FAST)) {
            Path inbox = storage.resolve("inbox");
            Files.createDirectories(inbox);
            Files.write(inbox.resolve(".hidden.pdf"), Files.readAllBytes(Corpus.dev(PDF)));
            Files.write(inbox.resolve("upload.pdf.part"), Files.readAllBytes(Corpus.dev(PDF)));
            Files.write(inbox.resolve("~lock.pdf"), Files.readAllBytes(Corpus.dev(PDF)));
            NotifyBuilder done = hub.documentsDone(1);
            drop(inbox.resolve("root.pdf"), Corpus.dev(PDF));
            HubServer.await(done);

            Path moved = inbox.resolve(".done/anonymous@gnosis-ocr.local/root.pdf");
            await("the file moved to .done").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(moved));
            assertThat(onlySessionMetadata("de1f5e9831fd").get("filename").asText()).isEqualTo("root.pdf");
            assertThat(inbox.resolve(".hidden.pdf")).exists();
            assertThat(inbox.resolve("upload.pdf.part")).exists();
            assertThat(inbox.resolve("~lock.pdf")).exists();
        }
    }

    @Test
    void refusedFilesMoveToFailedBesideTheirReason() throws Exception {
        try (HubServer hub = HubServer.start(storage, FAST)) {
            Path inbox = storage.resolve("inbox");
            NotifyBuilder failed = new NotifyBuilder(hub.context()).fromRoute("drop-ingest").whenFailed(2).create();
            Files.createDirectories(inbox.resolve("dan@example.org"));
            Files.writeString(inbox.resolve("dan@example.org/notes.pdf"), "plain text that only calls itself a PDF");
            drop(inbox.resolve("not-an-email/scan.pdf"), Corpus.dev(PDF));
            HubServer.await(failed);

            assertThat(Files.readString(inbox.resolve(".failed/dan@example.org/notes.error.txt")))
                    .contains("Not a PDF, PNG, JPEG or TIFF");
            assertThat(inbox.resolve(".failed/dan@example.org/notes.pdf")).exists();
            assertThat(Files.readString(inbox.resolve(".failed/not-an-email/scan.error.txt")))
                    .contains("'not-an-email' is not an e-mail address");
            assertThat(inbox.resolve(".failed/not-an-email/scan.pdf")).exists();
            assertThat(storage.resolve("users/" + UserIdentity.hashOf("dan@example.org"))).doesNotExist();
        }
    }

    @Test
    void aFileStillBeingWrittenIsNotTakenEarly() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev(PDF));
        try (HubServer hub = HubServer.start(storage, FAST)) {
            Path target = storage.resolve("inbox/erin@example.org/slow.pdf");
            Files.createDirectories(target.getParent());
            NotifyBuilder taken = new NotifyBuilder(hub.context()).fromRoute("drop-ingest").whenDone(1).create();
            // a slow writer: a part every 400 ms, so the file keeps changing for about 4 s
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    int part = pdf.length / 10 + 1;
                    for (int from = 0; from < pdf.length; from += part) {
                        out.write(pdf, from, Math.min(part, pdf.length - from));
                        out.flush();
                        TimeUnit.MILLISECONDS.sleep(400);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.get(30, TimeUnit.SECONDS);
            assertThat(taken.matches(30, TimeUnit.SECONDS)).isTrue();
            JsonNode metadata = onlySessionMetadata(UserIdentity.hashOf("erin@example.org"));
            assertThat(metadata.get("sha256").asText())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)));
            assertThat(metadata.get("file_size").asLong()).isEqualTo(pdf.length);
        }
    }

    @Test
    void aFileAlreadyTakenIsNotTakenAgainAfterARestart() throws Exception {
        Path inbox = storage.resolve("inbox");
        Path original = inbox.resolve("fay@example.org/once.pdf");
        FileTime modified;
        try (HubServer hub = HubServer.start(storage, FAST)) {
            NotifyBuilder done = hub.documentsDone(1);
            drop(original, Corpus.dev(PDF));
            modified = Files.getLastModifiedTime(original);
            HubServer.await(done);
            Path moved = inbox.resolve(".done/fay@example.org/once.pdf");
            await("the file moved to .done").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(moved));
        }
        // the same file (same name, size and time) appears again, e.g. restored by a sync tool
        Files.copy(inbox.resolve(".done/fay@example.org/once.pdf"), original);
        Files.setLastModifiedTime(original, modified);
        try (HubServer hub = HubServer.start(storage, FAST)) {
            NotifyBuilder next = new NotifyBuilder(hub.context()).fromRoute("drop-ingest").whenDone(1).create();
            drop(inbox.resolve("fay@example.org/new.pdf"), Corpus.dev(PDF));
            HubServer.await(next);
            assertThat(original).exists();
            try (Stream<Path> sessions = Files.list(storage.resolve("users/" + UserIdentity.hashOf("fay@example.org")))) {
                assertThat(sessions.count()).isEqualTo(2); // once.pdf the first time, new.pdf now
            }
        }
    }

    /** Writes a file the way a careful client does: under a temporary name, then renamed into place. */
    private static void drop(Path target, Path source) throws Exception {
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(source, part);
        Files.setLastModifiedTime(part, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.move(part, target);
    }

    private JsonNode onlySessionMetadata(String userHash) throws Exception {
        try (Stream<Path> sessions = Files.list(storage.resolve("users").resolve(userHash))) {
            List<Path> list = sessions.toList();
            assertThat(list).hasSize(1);
            return Json.MAPPER.readTree(list.get(0).resolve("metadata.json").toFile());
        }
    }
}
