package com.gnosis.hub.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.cluster.ChildHub;
import com.gnosis.hub.cluster.PubsubEmulator;
import com.gnosis.hub.session.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Pages per second of 1 hub process against 2 (OCR_WORKERS=1 each) on one Pub/Sub subscription (Google's emulator)
 * and one storage folder, on the same batch of 30 scanned pages read by the real OCR engine, side by side in one
 * run; then how long one user's 1-page document waits behind another user's 28-page document (OCR_PAGE_WINDOW).
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.gnosis.hub.bench.ScaleOutBenchmark \
 *     [-Dexec.args="--pages 30 --window 4"]
 * # or, offline (no exec plugin): the test class path once, then plain java from the repository root
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test.cp) com.gnosis.hub.bench.ScaleOutBenchmark
 * </pre>
 * Models are loaded before the clock starts (each hub waits for /health model_loaded); the clock runs from the
 * first upload to the last session completed.
 */
public final class ScaleOutBenchmark {

    private static final List<String> SCANS = List.of("ocropy_uw3_0022_010005.png", "ocropy_uw3_0026_010010.png",
            "ocropy_uw3_0095_010007.png", "ocropy_uw3_0173_010009.png", "tess_phototest.tif", "tess_HelloGoogle.tif",
            "tika_testRotated_m10.png", "tika_testRotated_p10.png", "tika_testOCR.pdf", "tess4j_eurotext.pdf");

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pages = 30;
        int window = 4;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--pages")) pages = Integer.parseInt(args[i + 1]);
            if (args[i].equals("--window")) window = Integer.parseInt(args[i + 1]);
        }
        Path binary = PubsubEmulator.installed().orElse(null);
        if (binary == null) {
            System.out.println("Not run: " + PubsubEmulator.MISSING);
            return;
        }
        Path work = Files.createTempDirectory("gnosis-scale-out-");
        List<Path> batch = new ArrayList<>();
        for (int i = 0; i < pages; i++) batch.add(Path.of("src/test/corpus/dev", SCANS.get(i % SCANS.size())));
        System.out.printf(Locale.ROOT, "Batch: %d single-page scans (%d distinct) from src/test/corpus/dev; %d cores%n",
                pages, Math.min(pages, SCANS.size()), Runtime.getRuntime().availableProcessors());

        double one = run(binary, work.resolve("one"), 1, batch, window);
        double two = run(binary, work.resolve("two"), 2, batch, window);
        System.out.printf(Locale.ROOT, "%-28s %8.3f pages/s%n", "1 process  (OCR_WORKERS=1)", one);
        System.out.printf(Locale.ROOT, "%-28s %8.3f pages/s%n", "2 processes (OCR_WORKERS=1)", two);
        System.out.printf(Locale.ROOT, "speed-up: %.2fx%n", two / one);
        fairness(binary, work.resolve("fair"), window);
    }

    /** Pages per second of {@code processes} hubs on the batch. */
    private static double run(Path binary, Path dir, int processes, List<Path> batch, int window) throws Exception {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        try (PubsubEmulator emulator = PubsubEmulator.start(binary, dir.resolve("emulator.log"), 60)) {
            List<ChildHub> hubs = startHubs(emulator, dir, storage, processes, window);
            try {
                long start = System.nanoTime();
                List<String> sessions = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    sessions.add(hubs.get(i % hubs.size()).upload("bench" + (i % 3) + "@example.org", batch.get(i)));
                }
                awaitCompleted(storage, sessions, Duration.ofMinutes(20));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%d process(es): %d pages in %.1f s%n", processes, batch.size(), seconds);
                return batch.size() / seconds;
            } finally {
                for (ChildHub hub : hubs) hub.close();
            }
        }
    }

    /** A 28-page document of one user, then a 1-page scan of another: pages of the first read before the second ends. */
    private static void fairness(Path binary, Path dir, int window) throws Exception {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        try (PubsubEmulator emulator = PubsubEmulator.start(binary, dir.resolve("emulator.log"), 60)) {
            List<ChildHub> hubs = startHubs(emulator, dir, storage, 2, window);
            try {
                String longOne = hubs.get(0).upload("long@example.org", Path.of("src/test/corpus/dev/pdfbox_cweb.pdf"));
                await("the long document to start").atMost(Duration.ofMinutes(5)).until(() -> storedPages(storage, longOne) >= 1);
                long start = System.nanoTime();
                String shortOne = hubs.get(1).upload("short@example.org", Path.of("src/test/corpus/dev/tess_phototest.tif"));
                awaitCompleted(storage, List.of(shortOne), Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - start) / 1e9;
                int before = storedPages(storage, longOne);
                System.out.printf(Locale.ROOT, "fairness (2 processes, OCR_PAGE_WINDOW=%d): a 1-page scan queued behind a "
                        + "28-page document completed in %.1f s, after %d of its 28 pages%n", window, seconds, before);
                awaitCompleted(storage, List.of(longOne), Duration.ofMinutes(10));
            } finally {
                for (ChildHub hub : hubs) hub.close();
            }
        }
    }

    private static List<ChildHub> startHubs(PubsubEmulator emulator, Path dir, Path storage, int processes, int window)
            throws Exception {
        List<ChildHub> hubs = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Map<String, String> settings = new HashMap<>(emulator.hubSettings());
            settings.putAll(Map.of("STORAGE_PATH", storage.toString(), "OCR_WORKERS", "1", "DROP_FOLDER", "",
                    "DUPLICATES", "keep", "OCR_PAGE_WINDOW", String.valueOf(window), "OCR_PAGE_LEASE", "60s",
                    "MODEL_CACHE_PATH", dir.resolve("models-" + i).toString(), "LOG_LEVEL", "WARN"));
            hubs.add(ChildHub.launch(settings, dir.resolve("hub-" + i + ".log")));
        }
        for (ChildHub hub : hubs) {
            hub.awaitUp();
            await("the models to load").atMost(Duration.ofMinutes(5)).until(() ->
                    Json.MAPPER.readTree(hub.get("/health").body()).path("model_loaded").asBoolean());
        }
        return hubs;
    }

    private static void awaitCompleted(Path storage, List<String> sessions, Duration timeout) throws Exception {
        await(sessions.size() + " sessions to complete").atMost(timeout).until(() -> {
            for (String session : sessions) {
                JsonNode status = status(storage, session);
                if (status == null) return false;
                if ("failed".equals(status.path("status").asText())) {
                    throw new AssertionError(session + " failed: " + status.path("error").asText());
                }
                if (!"completed".equals(status.path("status").asText())) return false;
            }
            return true;
        });
    }

    private static JsonNode status(Path storage, String session) throws IOException {
        Path dir = sessionDir(storage, session);
        if (dir == null) return null;
        try {
            return Json.MAPPER.readTree(dir.resolve("status.json").toFile());
        } catch (IOException notYet) {
            return null;
        }
    }

    private static int storedPages(Path storage, String session) throws IOException {
        Path dir = sessionDir(storage, session);
        if (dir == null) return 0;
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.getFileName().toString().matches("page_\\d{3}\\.json")).count();
        }
    }

    private static Path sessionDir(Path storage, String session) throws IOException {
        try (Stream<Path> found = Files.find(storage.resolve("users"), 2, (p, a) -> p.getFileName().toString().equals(session))) {
            return found.findFirst().orElse(null);
        }
    }
}
