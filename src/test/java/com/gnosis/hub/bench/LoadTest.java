package com.gnosis.hub.bench;

import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.HubServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Load test (a program, not a test): N concurrent clients on loopback upload a 1-page born-digital PDF (each copy
 * made unique, so nothing is linked as a duplicate) until U uploads are acknowledged or T seconds pass; prints
 * throughput, acknowledgement latency p50/p99 and errors, then checks that every acknowledged upload reaches
 * completed. Without --url it starts a hub of its own on a free port and a temporary storage root (under --storage
 * DIR if given; removed at the end): with --hub-jar JAR as its own process ({@code java -jar JAR}, as the hub is run),
 * otherwise inside this JVM. With --prime P, P unmeasured uploads go first and each is deleted as soon as it
 * is acknowledged (intake's code run as often as in a hub that has been up for hours, without the hours of reading);
 * with --warmup W, W unmeasured uploads follow and are read to the end before the measured ones start (a hub that has
 * been busy for a while and caught up); with --settle R, rounds of R more unmeasured uploads follow until the hub's JIT
 * compiler threads are quiet (see main); with --rest S, S quiet seconds follow before the measured uploads (the file
 * system's memory of the unmeasured phases' deletions, see main).
 *
 * <pre>
 * mvn -q -DskipTests package exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.gnosis.hub.bench.LoadTest \
 *     -Dexec.args="--hub-jar target/gnosis-ocr-hub.jar --clients 50 --uploads 1000 --seconds 300 --prime 20000 --warmup 2000 --rest 400"
 * </pre>
 * Against a hub already running (e.g. {@code java -jar target/gnosis-ocr-hub.jar}): {@code --url http://localhost:7799
 * --server-pid PID}; the pid makes it print the hub's CPU seconds beside its own.
 */
public final class LoadTest {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int clients = Integer.parseInt(opt.getOrDefault("clients", "50"));
        int uploads = Integer.parseInt(opt.getOrDefault("uploads", "1000"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "300"));
        // uploads sent (by all clients) before the measured ones, so the figures are of a warmed-up JVM
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "0"));
        int settle = warmup > 0 ? Integer.parseInt(opt.getOrDefault("settle", "0")) : 0;
        int settleRounds = Integer.parseInt(opt.getOrDefault("settle-rounds", "10"));
        int prime = Integer.parseInt(opt.getOrDefault("prime", "0"));
        // --rest S: seconds of quiet between the unmeasured phases and the measured uploads (see below)
        int rest = Integer.parseInt(opt.getOrDefault("rest", "0"));
        Path pdf = Path.of(opt.getOrDefault("file", "src/test/corpus/dev/pdfbox_PDFBOX-3038-001033-p2.pdf"));
        byte[] document = Files.readAllBytes(pdf);

        HubServer hub = null;
        Process hubProcess = null;
        Path hubLog = null;
        Path storage = null;
        String url = opt.get("url");
        if (url == null) {
            // --storage DIR: the folder under which the hub's storage root is made (README, "Load test": the file
            // system's cost of creating files is part of every upload)
            storage = opt.containsKey("storage")
                    ? Files.createTempDirectory(Files.createDirectories(Path.of(opt.get("storage"))), "gnosis-load-")
                    : Files.createTempDirectory("gnosis-load-");
            if (opt.containsKey("hub-jar")) {
                // --hub-jar JAR: the hub as it is run (java -jar), in a process of its own; the clients then share only
                // the machine with it, not their JVM (its JIT compiler threads, heap and GC)
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                url = "http://localhost:" + port;
                hubLog = Files.createTempFile("gnosis-load-hub-", ".log");
                hubProcess = startHubProcess(Path.of(opt.get("hub-jar")), storage, port, hubLog);
                System.out.println("hub (pid " + hubProcess.pid() + ") started at " + url + " on " + storage
                        + "; its log: " + hubLog);
            } else {
                hub = HubServer.start(storage, Map.of("DROP_FOLDER", ""));
                url = hub.uri("").toString();
                System.out.println("hub started at " + url + " on " + storage);
            }
        }

        // each client uploads over its own HTTP/1.1 connection, as separate programs would (RawHttp: a lean client, so
        // the load generator takes as little as it can of the cores it shares with the hub)
        long serverPid = hubProcess != null ? hubProcess.pid() : Long.parseLong(opt.getOrDefault("server-pid", "0"));
        long hubPid = hub != null ? ProcessHandle.current().pid() : serverPid;
        LoadTest load = new LoadTest(url, document, clients);
        long begin = System.nanoTime();

        // warm-up: uploads before the measured ones, not measured, then read to the end, so the measurement sees a hub
        // that has been taking uploads for a while and has caught up. HotSpot compiles a method with its optimising
        // compiler only after thousands of calls (later while its compile queue is long), so code that runs once per
        // upload is in its first, profiling form for a fresh hub's first thousands of uploads.
        List<String[]> unmeasured = new ArrayList<>();
        // --prime P: P uploads before the warm-up, each deleted by its client as soon as it is acknowledged, so the
        // hub reads none of them. They run intake's code as often as a hub that has taken uploads for hours has,
        // without the hours of page reading that as many kept uploads would queue (DocumentProcessor skips a session
        // deleted before its turn). The warm-up that follows is read to the end as before.
        if (prime > 0) {
            int below = -warmup - settle * settleRounds;
            Phase primed = load.upload(below - prime, below, Math.max(600, seconds), true);
            System.out.printf("prime: %d uploads acknowledged and deleted in %.1f s, %d errors%n",
                    primed.accepted().size(), primed.seconds(), primed.errors());
        }
        if (warmup > 0) {
            Phase warm = load.upload(-warmup, 0, seconds, false);
            Outcome warmed = load.awaitFinished(warm.accepted(), Math.max(600, seconds));
            System.out.printf("warm-up: %d uploads acknowledged in %.1f s, %d errors; %d completed, %d failed, %d not"
                    + " finished%n", warm.accepted().size(), warm.seconds(), warm.errors(), warmed.completed(),
                    warmed.failed(), warmed.unfinished());
        }
        // --settle R: the JIT is not done when the warm-up is. With two cores HotSpot has one optimising (C2) compiler
        // thread, and while its queue is long (the page workers' code competes for it) it raises the thresholds, so
        // code that runs a few times per upload (Netty's multipart decoder, before /upload read its own body) can stay in its slow profiling form for
        // thousands of uploads and then take a second of C2 time in the middle of the measurement. Rounds of R
        // unmeasured uploads (checked at the end like the measured ones) go on until the hub's compiler threads take
        // under 5% of its process's CPU in a round, or --settle-rounds (10) have gone; each round is printed. On the
        // 2-core development machine they never got there in 10 rounds (README, "Load test").
        for (int round = 1; settle > 0 && round <= settleRounds; round++) {
            double compile0 = compilerCpuSeconds(hubPid);
            double hubCpu0 = processCpuSeconds(hubPid);
            Phase phase = load.upload(-warmup - round * settle, -warmup - (round - 1) * settle, seconds, false);
            unmeasured.addAll(phase.accepted());
            double compile = Math.max(0, compilerCpuSeconds(hubPid) - compile0);
            double hubCpu = processCpuSeconds(hubPid) - hubCpu0;
            boolean quiet = compile < 0.05 * hubCpu;
            System.out.printf("settle round %d: %d uploads in %.1f s, %d errors; hub CPU %.2f s, of it JIT compiler"
                    + " threads %.2f s%s%n", round, phase.accepted().size(), phase.seconds(), phase.errors(), hubCpu,
                    compile, quiet ? " (quiet)" : "");
            if (quiet) break;
            if (round == settleRounds) System.out.println("the JIT did not settle; measuring anyway");
        }

        // the unmeasured phases wrote hundreds of megabytes (the warm-up's uploads and pages) that the kernel writes
        // back to disk some 30 s later, from its own threads on the same two cores: flushed first, the measurement sees
        // a hub after a quiet moment, as the warm-up means it to (--sync false measures with that write-back going on)
        if (url.startsWith("http://localhost") && Boolean.parseBoolean(opt.getOrDefault("sync", "true"))) {
            System.out.printf("flushed the unmeasured phases' writes to disk (sync) in %.1f s%n", syncSeconds());
        }
        // --rest S: the prime deleted P sessions (a folder and four or five files each) and the warm-up replaced W * 2
        // status files moments ago. Where the storage is on ext4 without a journal (this machine's disk), creating a
        // file passes over every inode of its block group freed in the last minute, or in the last six while that
        // inode's table block has unwritten changes (which the new files themselves make): a mass deletion slows every
        // file creation in that part of the disk for up to six minutes. A hub that has been up for hours has seen its
        // users delete, not P sessions in the last two minutes; resting S seconds (400 covers the six minutes)
        // measures that hub.
        if (rest > 0) {
            System.out.printf("resting %d s: the file system forgets the unmeasured phases' deletions%n", rest);
            TimeUnit.SECONDS.sleep(rest);
        }
        System.out.printf("measuring %d uploads from %d clients%n", uploads, clients);
        double ownCpu0 = ownCpuSeconds();
        double serverCpu0 = processCpuSeconds(serverPid);
        double compileCpu0 = compilerCpuSeconds(hubPid);
        double kernelCpu0 = kernelCpuSeconds(hubPid);
        Phase measured = load.upload(0, uploads, seconds, false);
        double ownCpu = ownCpuSeconds() - ownCpu0;
        double serverCpu = processCpuSeconds(serverPid) - serverCpu0;
        double compileCpu = Math.max(0, compilerCpuSeconds(hubPid) - compileCpu0);
        double kernelCpu = kernelCpuSeconds(hubPid) - kernelCpu0;
        List<Long> sorted = new ArrayList<>(measured.latencies());
        Collections.sort(sorted);
        System.out.printf("uploads acknowledged: %d measured (after %d warm-up) in %.1f s (%.1f uploads/s), errors: %d%n",
                sorted.size(), warmup, measured.seconds(), sorted.size() / measured.seconds(), measured.errors());
        System.out.printf("CPU during the measured uploads: %.1f s in this process%s; of the hub's, %.1f s in its JIT"
                        + " compiler threads and %.1f s in the kernel (%d cores)%n", ownCpu,
                serverPid > 0 ? String.format(", %.1f s in the hub (pid %d)", serverCpu, serverPid) : "", compileCpu,
                kernelCpu, Runtime.getRuntime().availableProcessors());
        if (!sorted.isEmpty()) {
            System.out.printf("ack latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(sorted, 50),
                    percentile(sorted, 90), percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
            // where the tail sits in time: a burst at the start, a pause, or spread out
            List<long[]> slowest = new ArrayList<>(measured.timeline());
            slowest.sort((a, b) -> Long.compare(b[1], a[1]));
            StringBuilder tail = new StringBuilder();
            for (long[] upload : slowest.subList(0, Math.min(10, slowest.size()))) {
                tail.append(String.format(" %.0f@%.0f", upload[1] / 1e6, upload[0] / 1e6));
            }
            System.out.println("slowest 10 (latency ms @ sent ms after the measured phase began):" + tail);
        }

        // every acknowledged upload must reach completed
        long waitFrom = System.nanoTime();
        List<String[]> toCheck = new ArrayList<>(measured.accepted());
        toCheck.addAll(unmeasured);
        Outcome outcome = load.awaitFinished(toCheck, Math.max(600, seconds));
        double waited = (System.nanoTime() - waitFrom) / 1e9;
        System.out.printf("sessions: %d completed, %d failed, %d lost (not finished) of %d acknowledged; all done %.1f s"
                        + " after the last upload (%.1f documents/s end to end)%n", outcome.completed(), outcome.failed(),
                outcome.unfinished(), toCheck.size(), waited,
                outcome.completed() / (measured.seconds() + waited));
        System.out.printf("whole run: %.1f s%n", (System.nanoTime() - begin) / 1e9);
        boolean passed = measured.errors() == 0 && outcome.failed() == 0 && outcome.unfinished() == 0;
        if (hub != null) {
            hub.close();
            deleteTree(storage);
        }
        if (hubProcess != null) {
            hubProcess.destroy();
            if (!hubProcess.waitFor(30, TimeUnit.SECONDS)) hubProcess.destroyForcibly().waitFor();
            deleteTree(storage);
            long logged;
            try (Stream<String> lines = Files.lines(hubLog)) {
                logged = lines.filter(line -> line.contains(" ERROR ")).count();
            }
            System.out.printf("hub log: %d ERROR lines%s%n", logged, logged > 0 || !passed ? " (kept: " + hubLog + ")" : "");
            passed &= logged == 0;
            if (passed) Files.deleteIfExists(hubLog);
        }
        System.exit(passed ? 0 : 1);
    }

    /** Runs {@code sync} (every file system's dirty pages written out); the seconds it took, or 0 where it cannot. */
    private static double syncSeconds() throws InterruptedException {
        long start = System.nanoTime();
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!sync.waitFor(5, TimeUnit.MINUTES)) sync.destroyForcibly();
        } catch (IOException e) {
            return 0; // no sync command here
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Starts {@code java -jar JAR} with a storage root and port of its own; returns once /health answers 200. */
    private static Process startHubProcess(Path jar, Path storage, int port, Path log) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: build it first (mvn -q -DskipTests package)");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        builder.environment().putAll(Map.of("STORAGE_PATH", storage.toString(), "PORT", String.valueOf(port),
                "DROP_FOLDER", "", "OCR_PRELOAD", "false"));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        // a load test stopped early (Ctrl-C) does not leave its hub running
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the hub exited (" + process.exitValue() + "); see " + log);
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        process.destroyForcibly();
        throw new IllegalStateException("the hub did not answer /health within 3 min; see " + log);
    }

    /** @param timeline {sent at (ns after the phase began), latency (ns)} of each acknowledged upload */
    private record Phase(List<String[]> accepted, List<Long> latencies, List<long[]> timeline, int errors, double seconds) {
    }

    private record Outcome(int completed, int failed, int unfinished) {
    }

    private final String base;
    private final RawHttp[] connections;
    private final byte[] document;
    private final int clients;

    private LoadTest(String base, byte[] document, int clients) {
        // one connection per client, kept from phase to phase as a client program's would be (not 50 new ones at once
        // at the start of the measured uploads)
        this.connections = new RawHttp[clients];
        for (int c = 0; c < clients; c++) connections[c] = new RawHttp(base);
        this.base = base;
        this.document = document;
        this.clients = clients;
    }

    /**
     * Uploads numbers {@code from} (inclusive) to {@code to} with all clients at once; each client waits for its answer.
     *
     * @param delete each client deletes the session it was answered with before its next upload (--prime)
     */
    private Phase upload(int from, int to, int seconds, boolean delete) throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> timeline = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String[]> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            String user = "load-" + c + "@example.org";
            RawHttp connection = connections[c];
            pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < to && System.nanoTime() < deadline) {
                    byte[] unique = unique(document, n);
                    String boundary = "b" + UUID.randomUUID();
                    byte[] body = multipart(boundary, "load-" + n + ".pdf", unique);
                    long t0 = System.nanoTime();
                    try {
                        RawHttp.Response response = connection.send("POST", "/upload", Map.of("X-User-Email", user,
                                "Content-Type", "multipart/form-data; boundary=" + boundary), body);
                        long took = System.nanoTime() - t0;
                        if (response.status() == 200) {
                            latencies.add(took);
                            timeline.add(new long[] {t0 - begin, took});
                            String session = Json.MAPPER.readTree(response.body()).get("session_hash").asText();
                            accepted.add(new String[] {user, session});
                            if (delete && connection.send("DELETE", "/session/" + session, Map.of("X-User-Email", user),
                                    null).status() != 200) {
                                errors.incrementAndGet();
                                System.out.println("upload " + n + ": its session could not be deleted");
                            }
                        } else {
                            errors.incrementAndGet();
                            System.out.println("upload " + n + ": HTTP " + response.status() + " " + response.text());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        connection.close();
                        System.out.println("upload " + n + ": " + e);
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        return new Phase(new ArrayList<>(accepted), new ArrayList<>(latencies), new ArrayList<>(timeline), errors.get(),
                (System.nanoTime() - begin) / 1e9);
    }

    /** Polls /status of each session until it is completed or failed, or the time is up. */
    private Outcome awaitFinished(List<String[]> sessions, int seconds) throws Exception {
        int completed = 0;
        int failed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String[]> remaining = new ArrayList<>(sessions);
        try (RawHttp connection = new RawHttp(base)) {
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                // in upload order, up to the first one not finished: the hub reads documents roughly in that order, so
                // this asks about each session about once instead of about every session every round (which was a
                // flood of status requests competing with the page pipeline and teaching the JIT a GET-only hub)
                int next = 0;
                while (next < remaining.size()) {
                    String[] session = remaining.get(next);
                    RawHttp.Response status = connection.send("GET", "/status/" + session[1],
                            Map.of("X-User-Email", session[0]), null);
                    String state = Json.MAPPER.readTree(status.body()).path("status").asText();
                    if (state.equals("completed")) completed++;
                    else if (state.equals("failed")) failed++;
                    else break;
                    next++;
                }
                remaining = new ArrayList<>(remaining.subList(next, remaining.size()));
                if (!remaining.isEmpty()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }
        return new Outcome(completed, failed, remaining.size());
    }

    private static byte[] multipart(String boundary, String filename, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 256);
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The same PDF with a unique comment after %%EOF, so each upload has its own SHA-256. */
    private static byte[] unique(byte[] pdf, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 32);
        out.writeBytes(pdf);
        out.writeBytes(("\n%load " + n + " " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Removes the storage root of the hub this program started (thousands of sessions), deepest first. */
    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }

    private static double ownCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : 0;
    }

    /** CPU seconds of a process's JIT compiler threads ("C1/C2 CompilerThread", from /proc; Linux), 0 elsewhere. */
    private static double compilerCpuSeconds(long pid) {
        if (pid <= 0) return 0;
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.matches("C\\d CompilerThre.*")) ticks += cpuTicks(stat);
                } catch (IOException e) {
                    // the thread ended meanwhile (HotSpot stops idle compiler threads)
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks / 100.0;
    }

    /** utime + stime of another process from /proc (Linux), in seconds; 0 without one. */
    private static double processCpuSeconds(long pid) {
        String stat = procStat(pid);
        return stat == null ? 0 : cpuTicks(stat) / 100.0;
    }

    /** stime: the CPU a process spent in the kernel on its behalf (system calls: files, sockets), in seconds. */
    private static double kernelCpuSeconds(long pid) {
        String stat = procStat(pid);
        return stat == null ? 0 : statField(stat, STIME) / 100.0;
    }

    private static final int UTIME = 14;
    private static final int STIME = 15;

    /** A process's /proc stat line, or null without one. */
    private static String procStat(long pid) {
        if (pid <= 0) return null;
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime (clock ticks) of a /proc stat line. */
    private static long cpuTicks(String stat) {
        return statField(stat, UTIME) + statField(stat, STIME);
    }

    /** A numbered field of a /proc stat line (proc(5)); those after the command name start at state, field 3. */
    private static long statField(String stat, int field) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[field - 3]);
    }

    private static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}
