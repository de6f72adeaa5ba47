package com.gnosis.hub.cluster;

import static org.awaitility.Awaitility.await;

import com.gnosis.hub.Application;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A hub in its own JVM (java -cp the test class path), as an operator runs one: killable with kill -9. */
public final class ChildHub implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private ChildHub(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a hub process with these environment settings (PORT is chosen here); returns once it is starting. */
    public static ChildHub launch(Map<String, String> settings, Path log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), Application.class.getName());
        builder.environment().putAll(settings);
        builder.environment().put("PORT", String.valueOf(port));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ChildHub(builder.start(), port, log);
    }

    /** Waits until /health answers. */
    public ChildHub awaitUp() throws Exception {
        try {
            await("the hub on port " + port + " to answer").atMost(Duration.ofSeconds(180)).until(() -> {
                if (!process.isAlive()) throw new AssertionError("the hub exited with " + process.exitValue());
                try {
                    return get("/health").statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its output ends:\n" + tail(), e);
        }
        return this;
    }

    public long pid() {
        return process.pid();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public String tail() throws IOException {
        String output = output();
        return output.substring(Math.max(0, output.length() - 4000));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A real multipart upload; returns the new session's id. */
    public String upload(String user, Path file) throws IOException, InterruptedException {
        String boundary = "b" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        parts.add(Files.readAllBytes(file));
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/upload"))
                .header("X-User-Email", user).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) throw new AssertionError("upload answered " + answer.statusCode() + ": " + answer.body());
        return Json.MAPPER.readTree(answer.body()).get("session_hash").asText();
    }

    /** SIGKILL: no shutdown hook, no clean stop, nothing acknowledged or released. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
    }
}
