package com.gnosis.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import java.io.IOException;
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
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Born-digital pages per second: poppler's {@code pdftotext}, the command line ({@code ocr --format text}) and the
 * hub (upload to completed status), side by side in one run on one file: the dev corpus's pdfbox_cweb.pdf joined
 * {@code --copies} times (11: 308 pages). Each program runs as its own process, so its peak RSS (VmHWM) is its own.
 * <pre>
 * mvn -q -o -DskipTests package &amp;&amp; mvn -q -o test-compile
 * java -cp target/test-classes:target/classes:$(cat target/runtime-classpath.txt) \
 *     com.gnosis.hub.bench.TextLayerBenchmark --copies 11 --runs 3
 * </pre>
 * Options: --copies N, --runs N (the best run of each counts), --java-opts "..." (for the CLI and hub processes;
 * default none, i.e. what {@code java -jar} does), --jar PATH (default target/gnosis-ocr-hub.jar).
 */
public final class TextLayerBenchmark {

    private record Figure(String what, double seconds, long peakKb, double cpuSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int copies = 11;
        int runs = 3;
        String javaOpts = "";
        Path jar = Path.of("target/gnosis-ocr-hub.jar");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--copies" -> copies = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--java-opts" -> javaOpts = args[++i];
                case "--jar" -> jar = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("text-layer-bench-");
        Path joined = join(Path.of("src/test/corpus/dev/pdfbox_cweb.pdf"), copies, work.resolve("cweb-joined.pdf"));
        int pages;
        try (PDDocument pdf = Loader.loadPDF(joined.toFile())) {
            pages = pdf.getNumberOfPages();
        }
        System.out.printf(Locale.ROOT, "%s: %d pages, %.1f MB; %d cores; load average %s%n", joined.getFileName(), pages,
                Files.size(joined) / 1e6, Runtime.getRuntime().availableProcessors(), loadAverage());
        List<String> java = new ArrayList<>(List.of("java"));
        if (!javaOpts.isBlank()) java.addAll(List.of(javaOpts.trim().split("\\s+")));

        Figure poppler = null;
        Figure cli = null;
        Figure hub = null;
        for (int run = 1; run <= runs; run++) {
            Figure p = timed("pdftotext", List.of("pdftotext", joined.toString(), work.resolve("poppler.txt").toString()));
            List<String> ocr = new ArrayList<>(java);
            ocr.addAll(List.of("-jar", jar.toString(), "ocr", "--format", "text", "--out", work.toString(), joined.toString()));
            Figure c = timed("hub CLI (ocr --format text)", ocr);
            Figure h = hub(java, jar, joined, work);
            poppler = best(poppler, p);
            cli = best(cli, c);
            hub = best(hub, h);
            System.out.printf(Locale.ROOT, "run %d: pdftotext %.2f s, CLI %.2f s, hub %.2f s%n", run, p.seconds(), c.seconds(),
                    h.seconds());
        }
        String text = Files.readString(work.resolve("cweb-joined.txt"));
        String reference = Files.readString(work.resolve("poppler.txt"));
        System.out.println();
        System.out.printf(Locale.ROOT, "%-30s %9s %9s %9s %9s %11s%n", "best of " + runs, "seconds", "pages/s", "x poppler",
                "CPU s", "peak RSS");
        for (Figure f : List.of(poppler, cli, hub)) {
            System.out.printf(Locale.ROOT, "%-30s %9.2f %9.1f %9.2f %9.1f %8d MB%n", f.what(), f.seconds(), pages / f.seconds(),
                    poppler.seconds() / f.seconds(), f.cpuSeconds(), f.peakKb() / 1024);
        }
        System.out.printf(Locale.ROOT, "CLI text vs pdftotext: CER %.4f (whitespace collapsed)%n",
                Cer.score(reference.replace("\f", "\n"), text.replace("\f", "\n"), false).cer());
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    private static Figure best(Figure a, Figure b) {
        return a == null || b.seconds() < a.seconds() ? b : a;
    }

    /** The file {@code copies} times over, as one PDF (PDFBox's merger). */
    static Path join(Path source, int copies, Path target) throws IOException {
        PDFMergerUtility merger = new PDFMergerUtility();
        for (int i = 0; i < copies; i++) merger.addSource(source.toFile());
        merger.setDestinationFileName(target.toString());
        merger.mergeDocuments(org.apache.pdfbox.io.IOUtils.createMemoryOnlyStreamCache());
        return target;
    }

    /** Runs a program under GNU time: wall seconds, peak RSS and CPU seconds. */
    private static Figure timed(String what, List<String> command) throws IOException, InterruptedException {
        Path report = Files.createTempFile("time-", ".txt");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-o", report.toString(), "-f", "%M %U %S"));
        full.addAll(command);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(full).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) throw new IllegalStateException(what + " exited with " + code);
        String[] t = Files.readString(report).trim().split("\\s+");
        Files.delete(report);
        return new Figure(what, seconds, Long.parseLong(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2]));
    }

    /** The hub as its own process: upload, then poll /status until completed; the time from upload to completed. */
    private static Figure hub(List<String> java, Path jar, Path pdf, Path work) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path storage = Files.createTempDirectory(work, "storage-");
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(work.resolve("hub.log").toFile())
                .redirectErrorStream(true);
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("STORAGE_PATH", storage.toString());
        builder.environment().put("OCR_PRELOAD", "false");
        builder.environment().put("DROP_FOLDER", "");
        builder.environment().put("LOG_LEVEL", "WARN");
        Process process = builder.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) throw new IllegalStateException("hub did not start");
                }
                Thread.sleep(200);
            }
            String boundary = UUID.randomUUID().toString();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cweb.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(pdf), HttpRequest.BodyPublishers.ofByteArray(tail))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (upload.statusCode() != 200) throw new IllegalStateException("upload: " + upload.body());
            String id = Json.MAPPER.readTree(upload.body()).get("session_hash").asText();
            deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (true) {
                JsonNode status = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/status/" + id))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                String state = status.path("status").asText();
                if (state.equals("completed")) break;
                if (state.equals("failed") || System.nanoTime() > deadline) throw new IllegalStateException("hub: " + status);
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = procStatus(process.pid(), "VmHWM:");
            double cpu = cpuSeconds(process.pid());
            return new Figure("hub (upload to completed)", seconds, peak, cpu);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static long procStatus(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
        return -1;
    }

    /** utime + stime of a process so far (includes the hub's start). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
