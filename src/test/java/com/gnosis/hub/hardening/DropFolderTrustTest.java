package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever can write to the drop folder cannot reach past it: a link to a file elsewhere, a link to a folder elsewhere
 * and a link into storage are refused; nothing outside the inbox is read, moved or written. A refused file is logged
 * without its owner's e-mail (above DEBUG) and without a stack trace; stored files are not world-readable.
 */
class DropFolderTrustTest {

    private static final Map<String, String> FAST = Map.of("DROP_STABLE_MS", "300", "DROP_CHECK_MS", "100",
            "DROP_POLL_MS", "200", "OCR_PDF_TEXT", "always");

    @TempDir
    Path temp;

    @Test
    void symbolicLinksInTheInboxAreRefusedAndNothingOutsideIsReadOrMoved() throws Exception {
        Path storage = temp.resolve("storage");
        Path inbox = storage.resolve("inbox");
        Path outside = Files.createDirectories(temp.resolve("elsewhere"));
        Path secret = Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), outside.resolve("secret.pdf"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path folderElsewhere = Files.createDirectories(temp.resolve("folder-elsewhere"));
        Path kept = Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), folderElsewhere.resolve("kept.pdf"));

        try (HubServer hub = HubServer.start(storage, FAST)) {
            // another user's session, which a link into storage would hand over
            var done = hub.documentsDone(1);
            assertThat(hub.upload("alice@example.org", Corpus.dev("tess_HelloGoogle.tif")).statusCode()).isEqualTo(200);
            HubServer.await(done);
            Path alice = storage.resolve("users").resolve(UserIdentity.hashOf("alice@example.org"));
            Path aliceSession;
            try (Stream<Path> sessions = Files.list(alice)) {
                aliceSession = sessions.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            List<String> aliceFiles = names(aliceSession);

            Files.createDirectories(inbox.resolve("mallory@example.org"));
            Files.createSymbolicLink(inbox.resolve("mallory@example.org/stolen.pdf"), secret);
            Files.createSymbolicLink(inbox.resolve("bob@example.org"), folderElsewhere);
            Files.createSymbolicLink(inbox.resolve("eve@example.org"), aliceSession);
            // and one honest file, so the test knows the consumer has polled past the links
            Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), inbox.resolve("mallory@example.org/honest.pdf"));
            await("the honest file to be taken").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/mallory@example.org/honest.pdf")));
            await("the file link to be refused").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".failed/mallory@example.org/stolen.error.txt")));

            assertThat(secret).exists();
            assertThat(Files.isSymbolicLink(inbox.resolve(".failed/mallory@example.org/stolen.pdf"))).isTrue();
            assertThat(kept).as("nothing moved out of a folder elsewhere").exists();
            assertThat(names(aliceSession)).as("alice's session is untouched").isEqualTo(aliceFiles);
            for (String user : List.of("mallory@example.org", "bob@example.org", "eve@example.org")) {
                Path sessions = storage.resolve("users").resolve(UserIdentity.hashOf(user));
                long taken = !Files.isDirectory(sessions) ? 0 : names(sessions).size();
                assertThat(taken).as(user).isEqualTo(user.startsWith("mallory") ? 1 : 0);
            }
            try (Stream<Path> done2 = Files.walk(inbox.resolve(".done"))) {
                assertThat(done2.map(Path::getFileName).map(Path::toString)).doesNotContain("metadata.json", "kept.pdf",
                        "secret.pdf");
            }
        }
    }

    @Test
    void aRefusedDropFileIsLoggedWithoutItsOwnersEmailOrAStackTrace() throws Exception {
        Path storage = temp.resolve("storage");
        Path inbox = storage.resolve("inbox");
        try (LogCapture log = LogCapture.open(); HubServer hub = HubServer.start(storage, FAST)) {
            Files.createDirectories(inbox.resolve("zoe.private@example.org"));
            Files.writeString(inbox.resolve("zoe.private@example.org/notes.pdf"), "not a pdf at all", StandardCharsets.UTF_8);
            Files.write(inbox.resolve("zoe.private@example.org/cut.pdf"), "%PDF-1.4\n1 0 obj".getBytes(StandardCharsets.US_ASCII));
            await("both files to be refused").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".failed/zoe.private@example.org/notes.error.txt"))
                            && Files.exists(inbox.resolve(".failed/zoe.private@example.org/cut.error.txt")));
            assertThat(log.atInfoOrAbove()).as("refusals are logged").isNotEmpty();
            for (LogCapture.Line line : log.atInfoOrAbove()) {
                assertThat(line.all()).as(line.logger()).doesNotContain("zoe.private");
                if (line.message().toLowerCase().contains("drop")) assertThat(line.thrown()).as(line.message()).isNull();
            }
        }
    }

    @Test
    void storedFilesAreNotWorldReadable() throws Exception {
        Path storage = temp.resolve("storage");
        try (HubServer hub = HubServer.start(storage, Map.of("DROP_FOLDER", "", "OCR_PDF_TEXT", "always"))) {
            var done = hub.documentsDone(1);
            assertThat(hub.upload("pat@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf")).statusCode()).isEqualTo(200);
            HubServer.await(done);
        }
        Path users = storage.resolve("users");
        try (Stream<Path> all = Files.walk(users)) {
            for (Path path : all.toList()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
                assertThat(mode).as(path.toString()).doesNotContain(PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
            }
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
