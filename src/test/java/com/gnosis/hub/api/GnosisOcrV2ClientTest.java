package com.gnosis.hub.api;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.WebSocketClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as gnosis-ocr v2's own web page ({@code static/script.js} at kordless/gnosis-ocr d94536a) talks to it:
 * a file over 10 MB goes through /upload/start, a WebSocket opened right after it, 1 MB chunks sent one after the
 * other as {@code {"chunk_number", "content": base64}}, then /status polled from {@code processing_started} until
 * {@code completed}, then /results. Every field the page or gnosis-ocr v2 names is checked by that name.
 */
class GnosisOcrV2ClientTest {

    /** script.js: {@code const CHUNK_SIZE = 1024 * 1024}, used for files over 10 MB. */
    private static final int CHUNK_SIZE = 1024 * 1024;
    private static final String TWO_PAGES = "pdfbox_PDFBOX-3110-poems-beads.pdf";

    @TempDir
    static Path storage;
    @TempDir
    static Path work;

    static HubServer hub;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("OCR_WORKERS", "2", "DROP_FOLDER", ""));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void theV2PageUploadsA12MegabytePdfInChunksFollowsTheSocketAndPollsStatusToCompleted() throws Exception {
        byte[] pdf = Files.readAllBytes(largePdf());
        assertThat(pdf.length).isGreaterThan(10 * 1024 * 1024); // the page's threshold for the chunked upload
        int totalChunks = (int) Math.ceil((double) pdf.length / CHUNK_SIZE);

        // the page sends no user header: the anonymous user
        HttpResponse<String> startResponse = hub.postJson("/upload/start", null, "{\"filename\":\"poems-large.pdf\","
                + "\"total_size\":" + pdf.length + ",\"total_chunks\":" + totalChunks + "}");
        assertThat(startResponse.statusCode()).isEqualTo(200);
        JsonNode sessionData = Json.MAPPER.readTree(startResponse.body());
        String session = sessionData.get("session_hash").asText();
        assertThat(session).matches("[0-9a-f-]{36}");
        assertThat(sessionData.get("status").asText()).isEqualTo("ready");
        assertThat(sessionData.get("total_chunks").asInt()).isEqualTo(totalChunks);

        // setupProgressWebSocket(currentSession) comes right after the start, before the first chunk
        WebSocketClient socket = WebSocketClient.open(http, hub.uri("/ws/progress/" + session), null);

        for (int chunkNumber = 0; chunkNumber < totalChunks; chunkNumber++) {
            byte[] chunk = Arrays.copyOfRange(pdf, chunkNumber * CHUNK_SIZE,
                    Math.min(pdf.length, (chunkNumber + 1) * CHUNK_SIZE));
            // JSON.stringify({chunk_number: chunkNumber, content: base64})
            HttpResponse<String> response = hub.postJson("/upload/chunk/" + session, null, "{\"chunk_number\":"
                    + chunkNumber + ",\"content\":\"" + Base64.getEncoder().encodeToString(chunk) + "\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode result = Json.MAPPER.readTree(response.body());
            assertThat(result.get("status").asText()).isEqualTo("received");
            assertThat(result.get("chunk_number").asInt()).isEqualTo(chunkNumber);
            assertThat(result.get("received_chunks").asInt()).isEqualTo(chunkNumber + 1);
            assertThat(result.get("total_chunks").asInt()).isEqualTo(totalChunks);
            assertThat(result.get("progress_percent").isNumber()).isTrue();
            assertThat(result.get("progress_percent").asDouble()).isEqualTo(gnosisPercent(chunkNumber + 1, totalChunks));
        }

        // handleProgressUpdate: upload_progress per chunk, upload_complete, then processing_started
        List<JsonNode> messages = socket.take(totalChunks + 2);
        for (int n = 0; n < totalChunks; n++) {
            JsonNode progress = messages.get(n);
            assertThat(progress.get("type").asText()).isEqualTo("upload_progress");
            assertThat(progress.get("chunk_number").asInt()).isEqualTo(n);
            assertThat(progress.get("total_chunks").asInt()).isEqualTo(totalChunks);
            assertThat(progress.get("received_chunks").asInt()).isEqualTo(n + 1);
            assertThat(progress.get("progress_percent").asDouble()).isEqualTo(gnosisPercent(n + 1, totalChunks));
            assertThat(progress.get("message").asText()).isEqualTo("Uploading chunk " + n + " of " + totalChunks);
        }
        JsonNode complete = messages.get(totalChunks);
        assertThat(complete.get("type").asText()).isEqualTo("upload_complete");
        assertThat(complete.get("message").asText()).isEqualTo("Upload complete, assembling file...");
        JsonNode started = messages.get(totalChunks + 1);
        assertThat(started.get("type").asText()).isEqualTo("processing_started");
        assertThat(started.get("message").asText()).isEqualTo("File assembled, starting OCR processing...");

        // startStatusChecking(): /status every second until completed (here every 100 ms), reading these fields
        JsonNode[] status = new JsonNode[1];
        await("the session to complete").atMost(Duration.ofMinutes(2)).until(() -> {
            HttpResponse<String> response = hub.get("/status/" + session, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            status[0] = Json.MAPPER.readTree(response.body());
            assertThat(status[0].get("status").asText()).isNotEqualTo("failed");
            return status[0].get("status").asText().equals("completed");
        });
        assertThat(status[0].get("session_hash").asText()).isEqualTo(session);
        assertThat(status[0].get("progress").asDouble()).isEqualTo(100.0);
        assertThat(status[0].get("message").asText()).isNotBlank();
        assertThat(status[0].get("total_pages").asInt()).isEqualTo(2);
        assertThat(status[0].has("current_page")).isTrue();

        // loadResults() and displayResults(): pages by page_number with text and image_url, processing_time a number
        JsonNode results = Json.MAPPER.readTree(hub.get("/results/" + session, null).body());
        assertThat(results.get("total_pages").asInt()).isEqualTo(2);
        assertThat(results.get("pages")).hasSize(2);
        assertThat(results.get("pages").get(0).get("page_number").asInt()).isEqualTo(1);
        assertThat(results.get("pages").get(0).get("text").asText()).isNotBlank();
        assertThat(results.get("pages").get(0).get("image_url").asText()).isNotBlank();
        assertThat(results.get("processing_time").isNumber()).isTrue();
        assertThat(results.get("filename").asText()).isEqualTo("poems-large.pdf");
        assertThat(results.get("created_at").asText()).isNotBlank();
        assertThat(results.get("metadata").isObject()).isTrue();

        // the stored original is the file, byte for byte, and nothing of the upload is left in staging
        Path original = storage.resolve("users").resolve(UserIdentity.hashOf("anonymous@gnosis-ocr.local"))
                .resolve(session).resolve("upload.pdf");
        assertThat(Files.readAllBytes(original)).isEqualTo(pdf);
        assertThat(storage.resolve("tmp/uploads").resolve(UserIdentity.hashOf("anonymous@gnosis-ocr.local"))
                .resolve(session)).doesNotExist();
        socket.close();
    }

    @Test
    void refusedChunksAnswerWithGnosisOcrsMessages() throws Exception {
        String user = "errors@example.org";
        HttpResponse<String> missingFields = hub.postJson("/upload/start", user, "{\"filename\":\"a.pdf\"}");
        assertThat(missingFields.statusCode()).isEqualTo(400);
        assertThat(message(missingFields)).isEqualTo("Missing required fields: filename, total_size, total_chunks");

        String session = Json.MAPPER.readTree(hub.postJson("/upload/start", user,
                "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":2}").body()).get("session_hash").asText();

        for (String body : List.of("{\"chunk_number\":0}", "{\"content\":\"QUJD\"}", "{\"chunk_number\":0,\"content\":\"\"}",
                "{\"chunk_number\":null,\"content\":\"QUJD\"}")) {
            HttpResponse<String> missing = hub.postJson("/upload/chunk/" + session, user, body);
            assertThat(missing.statusCode()).as(body).isEqualTo(400);
            assertThat(message(missing)).as(body).isEqualTo("Missing chunk_number or content");
        }
        HttpResponse<String> badBase64 = hub.postJson("/upload/chunk/" + session, user,
                "{\"chunk_number\":0,\"content\":\"not*base64\"}");
        assertThat(badBase64.statusCode()).isEqualTo(400);
        assertThat(message(badBase64)).startsWith("Invalid base64 content: ");

        HttpResponse<String> unknown = hub.postJson("/upload/chunk/00000000-0000-4000-8000-000000000000", user,
                "{\"chunk_number\":0,\"content\":\"QUJD\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(message(unknown)).isEqualTo("Upload session not found");
        // another user's upload is not found either
        HttpResponse<String> foreign = hub.postJson("/upload/chunk/" + session, "other@example.org",
                "{\"chunk_number\":0,\"content\":\"QUJD\"}");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(message(foreign)).isEqualTo("Upload session not found");

        // nothing refused was counted: the first good chunk is the first received
        JsonNode good = Json.MAPPER.readTree(hub.postJson("/upload/chunk/" + session, user,
                "{\"content\":\"QUJDREU=\",\"chunk_number\":\"1\"}").body());
        assertThat(good.get("received_chunks").asInt()).isEqualTo(1);
        assertThat(good.get("chunk_number").asInt()).isEqualTo(1);
        assertThat(good.get("progress_percent").asDouble()).isEqualTo(50.0);
    }

    @Test
    void chunkNumbersOutsideTheUploadAreRefusedAndNeverWrapAround() throws Exception {
        String user = "numbers@example.org";
        HttpResponse<String> hugeCount = hub.postJson("/upload/start", user,
                "{\"filename\":\"a.pdf\",\"total_size\":5000000000,\"total_chunks\":4294967297}");
        assertThat(hugeCount.statusCode()).isIn(400, 413);
        HttpResponse<String> wrappingCount = hub.postJson("/upload/start", user,
                "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":4294967297}");
        assertThat(wrappingCount.statusCode()).isEqualTo(400);

        String session = Json.MAPPER.readTree(hub.postJson("/upload/start", user,
                "{\"filename\":\"a.pdf\",\"total_size\":3,\"total_chunks\":1}").body()).get("session_hash").asText();
        for (String number : List.of("4294967296", "-1", "1", "18446744073709551616", "1.5", "\"4294967296\"",
                "\"x\"", "1e3", "[0]")) {
            HttpResponse<String> refused = hub.postJson("/upload/chunk/" + session, user,
                    "{\"chunk_number\":" + number + ",\"content\":\"QUJD\"}");
            assertThat(refused.statusCode()).as(number).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(refused.body()).get("error").asText()).isEqualTo("bad_request");
        }
        JsonNode upload = Json.MAPPER.readTree(hub.get("/uploads/" + session, user).body());
        assertThat(upload.get("received_chunks").asInt()).isZero();
        assertThat(upload.get("missing_chunks")).hasSize(1);
    }

    @Test
    void thePageLoggerIsAnsweredAsGnosisOcrDoes() throws Exception {
        HttpResponse<String> logged = hub.postJson("/api/log", null, Json.string(Map.of("level", "ERROR",
                "message", "Chunked upload failed", "context", Map.of("page", "gnosis-ocr", "version", "2.0"),
                "timestamp", "2026-12-02T21:00:00.000Z", "session_id", "frontend_1_abc", "url", "http://x/",
                "user_agent", "test")));
        assertThat(logged.statusCode()).isEqualTo(200);
        JsonNode answer = Json.MAPPER.readTree(logged.body());
        assertThat(answer.get("status").asText()).isEqualTo("logged");
        assertThat(answer.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");

        HttpResponse<String> batch = hub.postJson("/api/log/batch", null,
                "{\"logs\":[{\"level\":\"INFO\",\"message\":\"a\"},{\"level\":\"DEBUG\",\"message\":\"b\"}],\"final_flush\":true}");
        assertThat(Json.MAPPER.readTree(batch.body()).get("count").asInt()).isEqualTo(2);

        HttpResponse<String> tooLarge = hub.postJson("/api/log", null,
                "{\"message\":\"" + "x".repeat(70 * 1024) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(hub.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aLogLineIsOneBoundedLine() {
        assertThat(ClientLogApi.clean("a\nforged line\r\tend", 100)).isEqualTo("a forged line  end");
        assertThat(ClientLogApi.clean("x".repeat(50), 10)).isEqualTo("x".repeat(10) + "...");
    }

    private static String message(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body()).get("message").asText();
    }

    /** gnosis-ocr v2: (received_chunks / total_chunks) * 100 in Python floats. */
    private static double gnosisPercent(int received, int total) {
        return ((double) received / total) * 100;
    }

    /**
     * A real two-page PDF from the corpus made larger than the page's 10 MB threshold by an embedded file of random
     * bytes (which does not compress), so the text layer is still read as before.
     */
    private static Path largePdf() throws Exception {
        Path file = work.resolve("poems-large.pdf");
        if (Files.exists(file)) return file;
        byte[] filler = new byte[12 * 1024 * 1024];
        new Random(19).nextBytes(filler);
        try (PDDocument document = Loader.loadPDF(Corpus.dev(TWO_PAGES).toFile())) {
            PDEmbeddedFile embedded = new PDEmbeddedFile(document, new ByteArrayInputStream(filler));
            embedded.setSubtype("application/octet-stream");
            embedded.setSize(filler.length);
            embedded.setCreationDate(Calendar.getInstance());
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("filler.bin");
            spec.setEmbeddedFile(embedded);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("filler.bin", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            document.save(file.toFile());
        }
        return file;
    }
}
