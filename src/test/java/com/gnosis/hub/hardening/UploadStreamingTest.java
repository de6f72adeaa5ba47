package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * /upload reads its multipart body as it streams in: on a raw connection, an answer given before the body has
 * ended leaves the connection usable, and a client that breaks off mid-body leaves nothing behind.
 */
class UploadStreamingTest {

    private static final String BOUNDARY = "streamingTestBoundary";

    @TempDir
    static Path storage;

    static HubServer hub;

    @BeforeAll
    static void start() throws Exception {
        // what a hub killed mid-upload leaves behind
        Files.createDirectories(storage.resolve("tmp/http-uploads"));
        Files.write(storage.resolve("tmp/http-uploads/upload-killed.part"), new byte[1000]);
        hub = HubServer.start(storage, Map.of("MAX_UPLOAD_MB", "1", "DROP_FOLDER", "", "OCR_PDF_TEXT", "always"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void partialUploadsOfAStoppedHubAreRemovedAtStart() throws Exception {
        assertThat(storage.resolve("tmp/http-uploads/upload-killed.part")).doesNotExist();
    }

    @Test
    @Timeout(60) // a hub that stopped reading would leave this test's writes blocked: that is a failure, not a hang
    void anEarlyAnswerLeavesTheConnectionUsable() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // over MAX_UPLOAD_MB only in the file part: refused at the byte that crosses the limit, the rest dropped
            out.write(request("sam@example.org", multipart(new byte[1_500_000])));
            // a declared length far over the limit: refused before any of the body is read, all of it dropped
            out.write(request("sam@example.org", multipart(new byte[3_000_000])));
            // then, on the same connection, an upload that is taken
            out.write(request("sam@example.org", multipart(pdf)));
            out.flush();
            for (int refused = 0; refused < 2; refused++) {
                Answer tooLarge = Answer.read(in);
                assertThat(tooLarge.status).as(tooLarge.body).isEqualTo(413);
                assertThat(tooLarge.body).contains("too_large");
            }
            Answer taken = Answer.read(in);
            assertThat(taken.status).as(taken.body).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(taken.body).get("total_pages").asInt()).isEqualTo(1);
        }
        assertThat(partFiles()).isZero();
    }

    @Test
    void aClientThatBreaksOffMidBodyLeavesNothingBehind() throws Exception {
        byte[] body = multipart(new byte[600_000]);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] whole = request("tess@example.org", body);
            out.write(whole, 0, whole.length - 400_000);
            out.flush();
            await("the part file to be written").atMost(Duration.ofSeconds(20)).until(() -> partFiles() == 1);
        }
        await("the broken-off upload's part file to be removed").atMost(Duration.ofSeconds(20)).until(() -> partFiles() == 0);
        assertThat(Json.MAPPER.readTree(hub.get("/sessions", "tess@example.org").body()).get("total").asInt()).isZero();
        assertThat(hub.get("/health", null).statusCode()).isEqualTo(200);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(hub.uri("/").getHost(), hub.uri("/").getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static long partFiles() throws IOException {
        Path folder = storage.resolve("tmp").resolve("http-uploads");
        if (!Files.isDirectory(folder)) return 0;
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private static byte[] multipart(byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] request(String user, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /upload HTTP/1.1\r\nHost: localhost\r\nX-User-Email: " + user + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        return request.toByteArray();
    }

    /** One HTTP/1.1 answer read off a raw connection (Content-Length or chunked). */
    private record Answer(int status, String body) {

        static Answer read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else {
                body.writeBytes(in.readNBytes((int) length));
            }
            return new Answer(status, body.toString(StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new IOException("the connection ended inside an answer");
                if (c != '\r') line.append((char) c);
            }
            return line.toString();
        }
    }
}
