package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty uploads that trickle in take no request thread: /health, /status and another user's upload answer while
 * they are open, and each trickle is ended (408) once it falls under UPLOAD_MIN_BYTES_PER_S.
 */
class SlowUploadsTest {

    private static final String BOUNDARY = "slowBoundary";

    @TempDir
    static Path storage;

    static HubServer hub;

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("DROP_FOLDER", "", "OCR_PDF_TEXT", "always", "HTTP_WORKERS", "20"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void fiftySlowUploadsLeaveHealthStatusAndOtherUploadsAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                slow.add(trickle("slow" + i + "@example.org"));
            }
            // a client with a short patience: a hub whose request threads are all held would leave it waiting
            HttpClient impatient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = impatient.send(HttpRequest.newBuilder(hub.uri("/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> upload = hub.upload("other@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            String session = com.gnosis.hub.session.Json.MAPPER.readTree(upload.body()).get("session_hash").asText();
            HttpResponse<String> status = impatient.send(HttpRequest.newBuilder(hub.uri("/status/" + session))
                    .header("X-User-Email", "other@example.org").timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);

            // each trickle is ended once a window passes with less than the minimum rate; nothing is left on disk
            for (Socket socket : slow) {
                socket.setSoTimeout(60_000);
                String answer = firstLine(socket.getInputStream());
                assertThat(answer).contains("408");
            }
            await("the trickles' spooled bodies to be removed").atMost(Duration.ofSeconds(20)).until(() -> {
                try (var files = Files.list(storage.resolve("tmp/http-uploads"))) {
                    return files.findAny().isEmpty();
                }
            });
        } finally {
            for (Socket socket : slow) socket.close();
        }
    }

    /** An upload that declares 2 MB and sends its headers and the first bytes of its body, then (for now) nothing. */
    private static Socket trickle(String user) throws IOException {
        URI uri = hub.uri("/");
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nX-User-Email: " + user + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: 2000000\r\n\r\n"
                + "--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
        return line.toString();
    }
}
