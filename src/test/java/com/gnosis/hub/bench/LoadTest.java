package com.gnosis.hub.bench;

import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.session.Json;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.camel.main.Main;

/**
 * Load test (a program, not a test): N concurrent clients on loopback upload a 1-page born-digital PDF (each copy
 * made unique, so nothing is linked as a duplicate) until U uploads are acknowledged or T seconds pass; prints
 * throughput, acknowledgement latency p50/p99 and errors, then checks that every acknowledged upload reaches
 * completed. Without --url it starts a hub of its own on a free port and a temporary storage root.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.gnosis.hub.bench.LoadTest \
 *     -Dexec.args="--clients 50 --uploads 1000 --seconds 300 --warmup 200"
 * </pre>
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
        Path pdf = Path.of(opt.getOrDefault("file", "../shared/corpus/dev/pdfbox_PDFBOX-3038-001033-p2.pdf"));
        byte[] document = Files.readAllBytes(pdf);

        Main hub = null;
        String url = opt.get("url");
        if (url == null) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path storage = Files.createTempDirectory("gnosis-load-");
            hub = new Main();
            hub.configure().addConfiguration(HubConfiguration.class);
            hub.addOverrideProperty("camel.server.port", String.valueOf(port));
            hub.addOverrideProperty("camel.server.file-upload-directory", storage.resolve("tmp/http-uploads").toString());
            hub.addOverrideProperty("STORAGE_PATH", storage.toString());
            hub.addOverrideProperty("DROP_FOLDER", "");
            hub.addOverrideProperty("OCR_PRELOAD", "false");
            hub.start();
            url = "http://localhost:" + port;
            System.out.println("hub started at " + url + " on " + storage);
        }

        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String[]> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger(-warmup);
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String base = url;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long begin = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong measuredFrom = new java.util.concurrent.atomic.AtomicLong();
        for (int c = 0; c < clients; c++) {
            int client = c;
            pool.submit(() -> {
                String user = "load-" + client + "@example.org";
                int n;
                while ((n = started.getAndIncrement()) < uploads && System.nanoTime() < deadline) {
                    if (n == 0) measuredFrom.compareAndSet(0, System.nanoTime());
                    byte[] unique = unique(document, n);
                    String boundary = "b" + UUID.randomUUID();
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/upload"))
                            .header("X-User-Email", user).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(
                                    ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load-" + n
                                            + ".pdf\"\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                                    unique, ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8))))
                            .timeout(Duration.ofSeconds(60)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - t0;
                        if (response.statusCode() == 200) {
                            if (n >= 0) latencies.add(took);
                            accepted.add(new String[] {user, Json.MAPPER.readTree(response.body()).get("session_hash").asText()});
                        } else {
                            errors.incrementAndGet();
                            System.out.println("upload " + n + ": HTTP " + response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        System.out.println("upload " + n + ": " + e);
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        double uploadSeconds = (System.nanoTime() - (measuredFrom.get() == 0 ? begin : measuredFrom.get())) / 1e9;

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("uploads acknowledged: %d measured (after %d warm-up) in %.1f s (%.1f uploads/s), errors: %d%n",
                sorted.size(), warmup, uploadSeconds, sorted.size() / uploadSeconds, errors.get());
        if (!sorted.isEmpty()) {
            System.out.printf("ack latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(sorted, 50),
                    percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
        }

        // every acknowledged upload must reach completed
        int completed = 0;
        int failed = 0;
        long waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(600, seconds));
        List<String[]> remaining = new ArrayList<>(accepted);
        while (!remaining.isEmpty() && System.nanoTime() < waitDeadline) {
            List<String[]> still = new ArrayList<>();
            for (String[] session : remaining) {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/status/" + session[1]))
                        .header("X-User-Email", session[0]).build(), HttpResponse.BodyHandlers.ofString());
                String state = Json.MAPPER.readTree(status.body()).path("status").asText();
                if (state.equals("completed")) completed++;
                else if (state.equals("failed")) failed++;
                else still.add(session);
            }
            remaining = still;
            if (!remaining.isEmpty()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        double total = (System.nanoTime() - begin) / 1e9;
        System.out.printf("sessions: %d completed, %d failed, %d lost (not finished) of %d acknowledged; all done after %.1f s"
                + " (%.1f documents/s end to end)%n", completed, failed, remaining.size(), accepted.size(), total, completed / total);
        if (hub != null) hub.stop();
        System.exit(errors.get() == 0 && failed == 0 && remaining.isEmpty() ? 0 : 1);
    }

    /** The same PDF with a unique comment after %%EOF, so each upload has its own SHA-256. */
    private static byte[] unique(byte[] pdf, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 32);
        out.writeBytes(pdf);
        out.writeBytes(("\n%load " + n + " " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}
