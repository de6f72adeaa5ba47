package com.gnosis.hub.cluster;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub processes (real JVMs, OCR_WORKERS=1 each) on one Pub/Sub subscription (Google's emulator) and one
 * storage folder. Every page read is counted by its claim files ({@code .claims/page_NNN.attempt}): a page read
 * once has attempt 1 only. Born-digital PDFs read from their text layer, rendered at 72 dpi, keep the tests fast;
 * the queue does not care how a page is read. Skipped, with the reason, where the emulator is not installed.
 */
class SharedQueueTest {

    private static final Pattern PAGE_CLAIM = Pattern.compile("page_(\\d{3})\\.(\\d+)");
    private static final int ACK_DEADLINE_S = 10;

    @TempDir
    Path dir;

    private PubsubEmulator emulator;
    private Path storage;
    private final List<ChildHub> hubs = new ArrayList<>();

    @BeforeEach
    void startEmulator() throws Exception {
        Path binary = PubsubEmulator.installed().orElse(null);
        Assumptions.assumeTrue(binary != null, PubsubEmulator.MISSING);
        emulator = PubsubEmulator.start(binary, dir.resolve("emulator.log"), ACK_DEADLINE_S);
        storage = Files.createDirectories(dir.resolve("storage"));
    }

    @AfterEach
    void stop() throws Exception {
        for (ChildHub hub : hubs) hub.close();
        if (emulator != null) emulator.close();
    }

    @Test
    void twoHubsOnOneSubscriptionCompleteTwentyDocumentsReadingEveryPageExactlyOnce() throws Exception {
        ChildHub first = launch("a");
        ChildHub second = launch("b");
        first.awaitUp();
        second.awaitUp();
        List<Path> documents = List.of(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"),
                Corpus.dev("pdfbox_PDFBOX-3110-poems-beads.pdf"));
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // uploads go to both hubs; each hub reads what the queue gives it
            sessions.add((i % 2 == 0 ? first : second).upload("user" + (i % 3) + "@example.org", documents.get(i % 2)));
        }
        awaitCompleted(sessions, Duration.ofSeconds(240));

        Map<String, Map<Integer, Integer>> reads = reads();
        assertThat(reads).hasSize(20);
        int pages = 0;
        for (String session : sessions) {
            JsonNode status = status(session);
            assertThat(status.get("pages_done").asInt()).isEqualTo(status.get("total_pages").asInt());
            assertThat(reads.get(session)).as(session).hasSize(status.get("total_pages").asInt());
            reads.get(session).forEach((page, times) -> assertThat(times).as(session + " page " + page).isEqualTo(1));
            pages += reads.get(session).size();
            assertThat(sessionDir(session).resolve("combined_output.md")).exists();
        }
        assertThat(pages).isEqualTo(30);
        assertThat(readers()).as("pages read by both hubs").hasSize(2);
        assertThat(first.get("/health").body()).contains("\"subscription\"", PubsubEmulator.SUBSCRIPTION, "\"backlog_pages\"");
    }

    @Test
    void aHubKilledMidDocumentLosesNothingAndTheOtherReadsAgainOnlyThePageItHeld() throws Exception {
        ChildHub doomed = launch("doomed");
        ChildHub survivor = launch("survivor");
        doomed.awaitUp();
        survivor.awaitUp();
        String session = doomed.upload("long@example.org", Corpus.dev("pdfbox_cweb.pdf")); // 28 pages
        String doomedWorker = "-" + doomed.pid();
        await("the doomed hub to have read pages and to be reading one").atMost(Duration.ofSeconds(120)).until(() ->
                stored(session) >= 4 && holding(session, doomedWorker));
        doomed.kill();
        int storedAtKill = stored(session);
        assertThat(storedAtKill).isLessThan(28);

        awaitCompleted(List.of(session), Duration.ofSeconds(180));
        Map<Integer, Integer> reads = reads().get(session);
        assertThat(reads).hasSize(28);
        for (int page = 1; page <= 28; page++) {
            assertThat(sessionDir(session).resolve(String.format("page_%03d.json", page))).exists();
            assertThat(sessionDir(session).resolve(String.format("page_%03d_result.txt", page))).exists();
        }
        List<Integer> readTwice = reads.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertThat(readTwice).as("pages read twice: only the one the killed hub held (OCR_WORKERS=1)").hasSizeLessThanOrEqualTo(1);
        reads.values().forEach(times -> assertThat(times).isLessThanOrEqualTo(2));
        assertThat(status(session).get("pages_done").asInt()).isEqualTo(28);
        assertThat(Files.readString(sessionDir(session).resolve("combined_output.md")).split("\n\n---\n\n")).hasSize(28);
    }

    @Test
    void hubsStartedTogetherRecoverAnUnfinishedSessionOnce() throws Exception {
        // a session taken in (stored, pending) but never queued: what a crash right after intake leaves
        SessionStore store = new SessionStore(new LocalStorage(storage));
        Intake intake = new Intake(store, Document.Limits.DEFAULT, Clock.systemUTC(), Intake.Duplicates.KEEP,
                new PendingPages(1000, 1));
        String session = intake.accept(UserIdentity.of("left@example.org"), "poems.pdf",
                Corpus.dev("pdfbox_PDFBOX-3110-poems-beads.pdf"), "http").ref().sessionId();

        ChildHub first = launch("a");
        ChildHub second = launch("b");
        first.awaitUp();
        second.awaitUp();
        awaitCompleted(List.of(session), Duration.ofSeconds(120));

        Path claims = sessionDir(session).resolve(".claims");
        assertThat(claims.resolve("recovery.1")).exists();
        assertThat(claims.resolve("recovery.2")).doesNotExist();
        long recoveringHubs = Stream.of(first.output(), second.output())
                .filter(log -> log.contains("Recovering 1 unfinished sessions")).count();
        assertThat(recoveringHubs).as("hubs that queued the session").isEqualTo(1);
        reads().get(session).forEach((page, times) -> assertThat(times).as("page " + page).isEqualTo(1));
        assertThat(reads().get(session)).hasSize(2);
    }

    private ChildHub launch(String name) throws IOException {
        Map<String, String> settings = new HashMap<>(emulator.hubSettings());
        settings.putAll(Map.of("STORAGE_PATH", storage.toString(), "OCR_WORKERS", "1", "OCR_PRELOAD", "false",
                "OCR_PDF_TEXT", "always", "DROP_FOLDER", "", "DUPLICATES", "keep", "OCR_PAGE_LEASE", ACK_DEADLINE_S + "s",
                "MODEL_CACHE_PATH", dir.resolve("models-" + name).toString(), "OCR_DPI", "72"));
        ChildHub hub = ChildHub.launch(settings, dir.resolve("hub-" + name + ".log"));
        hubs.add(hub);
        return hub;
    }

    private void awaitCompleted(List<String> sessions, Duration timeout) throws Exception {
        try {
            await(sessions.size() + " sessions to complete").atMost(timeout).until(() -> {
                for (String session : sessions) {
                    JsonNode status = statusOrNull(session);
                    if (status == null || !"completed".equals(status.get("status").asText())) {
                        if (status != null && "failed".equals(status.get("status").asText())) {
                            throw new AssertionError(session + " failed: " + status.get("error").asText());
                        }
                        return false;
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (ChildHub hub : hubs) logs.append("\n--- hub output ends:\n").append(hub.tail());
            throw new AssertionError(logs.toString(), e);
        }
    }

    private JsonNode status(String session) throws IOException {
        return Json.MAPPER.readTree(sessionDir(session).resolve("status.json").toFile());
    }

    private JsonNode statusOrNull(String session) {
        try {
            return status(session);
        } catch (IOException e) {
            return null;
        }
    }

    private Path sessionDir(String session) throws IOException {
        try (Stream<Path> found = Files.find(storage.resolve("users"), 2, (p, a) -> p.getFileName().toString().equals(session))) {
            return found.findFirst().orElseThrow(() -> new IOException("no session " + session));
        }
    }

    private int stored(String session) throws IOException {
        try (Stream<Path> files = Files.list(sessionDir(session))) {
            return (int) files.filter(p -> p.getFileName().toString().matches("page_\\d{3}\\.json")).count();
        }
    }

    /** Whether a hub holds the claim of a page that is not stored yet (it is reading it now). */
    private boolean holding(String session, String workerSuffix) throws IOException {
        Path claims = sessionDir(session).resolve(".claims");
        if (!Files.isDirectory(claims)) return false;
        try (Stream<Path> files = Files.list(claims)) {
            for (Path claim : files.toList()) {
                Matcher name = PAGE_CLAIM.matcher(claim.getFileName().toString());
                if (!name.matches() || Files.exists(sessionDir(session).resolve("page_" + name.group(1) + ".json"))) continue;
                try {
                    if (Json.MAPPER.readTree(claim.toFile()).get("worker").asText().endsWith(workerSuffix)) return true;
                } catch (IOException beingWritten) {
                    // a claim is never half-written under its name; it may have just gone
                }
            }
        }
        return false;
    }

    /** session -> page -> how many times it was claimed for reading. */
    private Map<String, Map<Integer, Integer>> reads() throws IOException {
        Map<String, Map<Integer, Integer>> reads = new TreeMap<>();
        try (Stream<Path> claims = Files.walk(storage.resolve("users"))) {
            for (Path claim : claims.filter(p -> p.getParent().getFileName().toString().equals(".claims")).toList()) {
                Matcher name = PAGE_CLAIM.matcher(claim.getFileName().toString());
                if (!name.matches()) continue;
                String session = claim.getParent().getParent().getFileName().toString();
                reads.computeIfAbsent(session, s -> new TreeMap<>()).merge(Integer.parseInt(name.group(1)), 1, Integer::sum);
            }
        }
        return reads;
    }

    /** The workers named in page claims. */
    private Set<String> readers() throws IOException {
        Set<String> workers = new HashSet<>();
        try (Stream<Path> claims = Files.walk(storage.resolve("users"))) {
            for (Path claim : claims.filter(p -> PAGE_CLAIM.matcher(p.getFileName().toString()).matches()).toList()) {
                workers.add(Json.MAPPER.readTree(claim.toFile()).get("worker").asText());
            }
        }
        return workers;
    }
}
