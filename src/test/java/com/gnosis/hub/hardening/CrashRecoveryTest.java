package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.Application;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.HubServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub killed (kill -9, a real child process) in the middle of a document completes it after a restart. */
class CrashRecoveryTest {

    private static final String USER = "crash@example.org";

    @TempDir
    Path storage;

    @Test
    void documentCutShortByKillMinus9CompletesAfterRestartWithEveryPageAndNoPageRedone() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Application.class.getName());
        builder.environment().putAll(Map.of("STORAGE_PATH", storage.toString(), "PORT", String.valueOf(port),
                "OCR_PRELOAD", "false", "OCR_PDF_TEXT", "always", "OCR_WORKERS", "1", "DROP_FOLDER", ""));
        builder.redirectErrorStream(true).redirectOutput(storage.resolve("child.log").toFile());
        Process child = builder.start();
        Path session;
        try {
            HttpClient http = HttpClient.newHttpClient();
            awaitChild(storage.resolve("child.log"), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            String boundary = "b" + UUID.randomUUID();
            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/upload"))
                    .header("X-User-Email", USER).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(
                            ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"long.pdf\"\r\n\r\n").getBytes(),
                            FairnessTest.pages(60), ("\r\n--" + boundary + "--\r\n").getBytes()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(200);
            String id = Json.MAPPER.readTree(upload.body()).get("session_hash").asText();
            session = storage.resolve("users").resolve(UserIdentity.hashOf(USER)).resolve(id);
            await("a few pages done").atMost(Duration.ofSeconds(90)).until(() -> pagesDone(session) >= 5);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop
            child.waitFor(30, TimeUnit.SECONDS);
        }
        JsonNode cut = Json.MAPPER.readTree(session.resolve("status.json").toFile());
        assertThat(cut.get("status").asText()).isEqualTo("processing");
        int doneBeforeKill = cut.get("pages_done").asInt();
        assertThat(doneBeforeKill).isLessThan(60);
        FileTime firstPage = Files.getLastModifiedTime(session.resolve("page_001.json"));

        try (HubServer hub = HubServer.start(storage, Map.of("OCR_PDF_TEXT", "always", "DROP_FOLDER", ""))) {
            await("the session to complete after the restart").atMost(Duration.ofSeconds(120)).until(() ->
                    "completed".equals(Json.MAPPER.readTree(session.resolve("status.json").toFile()).get("status").asText()));
        }
        JsonNode done = Json.MAPPER.readTree(session.resolve("status.json").toFile());
        assertThat(done.get("pages_done").asInt()).isEqualTo(60);
        assertThat(Files.getLastModifiedTime(session.resolve("page_001.json"))).isEqualTo(firstPage);
        for (int page = 1; page <= 60; page++) {
            assertThat(Files.readString(session.resolve(String.format("page_%03d_result.txt", page))))
                    .contains("page number " + page + " ");
        }
        String combined = Files.readString(session.resolve("combined_output.md"));
        assertThat(combined.split("\n\n---\n\n")).hasSize(60);
        try (Stream<Path> sessions = Files.list(session.getParent())) {
            assertThat(sessions.count()).isEqualTo(1); // nothing ended up twice
        }
    }

    private static void awaitChild(Path log, java.util.concurrent.Callable<Boolean> up) throws Exception {
        try {
            await("the child hub to answer").atMost(Duration.ofSeconds(120)).until(up);
        } catch (AssertionError e) {
            String output = Files.exists(log) ? Files.readString(log) : "(no output)";
            throw new AssertionError(e.getMessage() + "; child output:\n"
                    + output.substring(Math.max(0, output.length() - 3000)), e);
        }
    }

    private static int pagesDone(Path session) {
        try {
            return Json.MAPPER.readTree(session.resolve("status.json").toFile()).get("pages_done").asInt();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
