package com.gnosis.hub.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Google's Pub/Sub emulator (Debian package google-cloud-cli-pubsub-emulator) as a child process on a free port,
 * with the topic and subscription the hubs share. {@link #installed()} is empty where it is not installed, so
 * callers skip with that reason.
 */
public final class PubsubEmulator implements AutoCloseable {

    public static final String PROJECT = "gnosis-test";
    public static final String TOPIC = "ocr-work";
    public static final String SUBSCRIPTION = "ocr-work-sub";
    public static final String MISSING = "the Pub/Sub emulator is not installed (google-cloud-cli-pubsub-emulator)";

    private static final List<Path> LOCATIONS = List.of(
            Path.of("/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator"),
            Path.of("/usr/share/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator"));

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PubsubEmulator(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Optional<Path> installed() {
        return LOCATIONS.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts the emulator and makes the topic and its subscription.
     *
     * @param ackDeadlineSeconds the subscription's ack deadline: how long a dead hub's message stays leased
     */
    public static PubsubEmulator start(Path binary, Path log, int ackDeadlineSeconds) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(binary.toString(), "--host=localhost", "--port=" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PubsubEmulator emulator = new PubsubEmulator(process, port);
        try {
            await("the Pub/Sub emulator to answer").atMost(Duration.ofSeconds(60)).until(() -> {
                try {
                    emulator.call("GET", "/topics", null);
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
            emulator.expectOk(emulator.call("PUT", "/topics/" + TOPIC, "{}"));
            emulator.expectOk(emulator.call("PUT", "/subscriptions/" + SUBSCRIPTION, "{\"topic\": \"projects/" + PROJECT
                    + "/topics/" + TOPIC + "\", \"ackDeadlineSeconds\": " + ackDeadlineSeconds + "}"));
            return emulator;
        } catch (Exception | Error e) {
            emulator.close();
            throw e;
        }
    }

    /** PUBSUB_EMULATOR_HOST for the hubs. */
    public String host() {
        return "localhost:" + port;
    }

    /** The settings that put a hub on this emulator's queue. */
    public java.util.Map<String, String> hubSettings() {
        return java.util.Map.of("OCR_QUEUE_URI", "google-pubsub:" + PROJECT + ":" + TOPIC,
                "OCR_QUEUE_SUBSCRIPTION", SUBSCRIPTION, "PUBSUB_EMULATOR_HOST", host());
    }

    private void expectOk(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("the emulator answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpResponse<String> call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/projects/"
                + PROJECT + path)).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
