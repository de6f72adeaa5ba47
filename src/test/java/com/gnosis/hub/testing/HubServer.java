package com.gnosis.hub.testing;

import com.gnosis.hub.HubConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;

/** The whole hub (real YAML routes, real Vert.x server on a free port) on a temporary storage root. */
public final class HubServer implements AutoCloseable {

    private final Main main;
    private final int port;
    private final Path storage;
    private final HttpClient http = HttpClient.newHttpClient();

    private HubServer(Main main, int port, Path storage) {
        this.main = main;
        this.port = port;
        this.storage = storage;
    }

    /** Starts a hub; {@code settings} are environment-style settings (STORAGE_PATH is set from {@code storage}). */
    public static HubServer start(Path storage, Map<String, String> settings) throws Exception {
        return start(storage, settings, Map.of());
    }

    /** As {@link #start(Path, Map)}, with beans bound before the hub configures itself (e.g. a GCS client). */
    public static HubServer start(Path storage, Map<String, String> settings, Map<String, Object> beans) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Main main = new Main();
        main.configure().addConfiguration(HubConfiguration.class);
        main.addOverrideProperty("camel.server.port", String.valueOf(port));
        main.addOverrideProperty("camel.server.file-upload-directory", storage.resolve("tmp/http-uploads").toString());
        main.addOverrideProperty("STORAGE_PATH", storage.toString());
        main.addOverrideProperty("OCR_PRELOAD", "false");
        settings.forEach(main::addOverrideProperty);
        // as Application does: the server refuses bodies over MAX_UPLOAD_MB (+1 MB for the form) while they stream in
        long maxUploadMb = Long.parseLong(settings.getOrDefault("MAX_UPLOAD_MB", "100"));
        main.addOverrideProperty("camel.server.max-body-size", String.valueOf((maxUploadMb + 1) * 1024 * 1024));
        beans.forEach(main::bind);
        main.start();
        return new HubServer(main, port, storage);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path storage() {
        return storage;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Matches once {@code documents} more sessions have ended (completed or failed); await it without sleeping. */
    public NotifyBuilder documentsDone(int documents) {
        return new NotifyBuilder(context()).fromRoute("session-finished").whenDone(documents).create();
    }

    public static void await(NotifyBuilder notify) {
        if (!notify.matches(120, TimeUnit.SECONDS)) {
            throw new AssertionError("the sessions did not finish in time");
        }
    }

    public HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return http.send(request(path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path, String user) throws IOException, InterruptedException {
        return http.send(request(path, user).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> delete(String path, String user) throws IOException, InterruptedException {
        return http.send(request(path, user).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String user, String json) throws IOException, InterruptedException {
        return http.send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A real multipart/form-data POST with one file part. */
    public HttpResponse<String> upload(String user, String fieldName, String fileName, byte[] content)
            throws IOException, InterruptedException {
        String boundary = "----gnosis" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        parts.add(content);
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(request("/upload", user).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> upload(String user, Path file) throws IOException, InterruptedException {
        return upload(user, "file", file.getFileName().toString(), Files.readAllBytes(file));
    }

    public HttpResponse<String> post(String path, String user, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        return post(path, user, body, contentType, Map.of());
    }

    public HttpResponse<String> post(String path, String user, HttpRequest.BodyPublisher body, String contentType,
                                     Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path, user).header("Content-Type", contentType).POST(body);
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        if (user != null) builder.header("X-User-Email", user);
        return builder;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("hub did not stop", e));
        }
    }
}
