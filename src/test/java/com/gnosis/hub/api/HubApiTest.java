package com.gnosis.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API end to end: the real hub on a free port, real multipart and chunked uploads, real PDFs. */
class HubApiTest {

    private static final String ALICE = "Alice@Example.org ";
    private static final String BOB = "bob@example.org";
    private static final String BORN_DIGITAL = "pdfbox_PDFBOX-3038-001033-p2.pdf";

    @TempDir
    static Path storage;

    static HubServer hub;

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("OCR_WORKERS", "2", "DUPLICATES", "keep"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void uploadedPdfComesBackWithItsTextInTheUsersOwnFolder() throws Exception {
        NotifyBuilder done = hub.documentsDone(1);
        HttpResponse<String> upload = hub.upload(ALICE, Corpus.dev(BORN_DIGITAL));
        assertThat(upload.statusCode()).isEqualTo(200);
        JsonNode accepted = json(upload);
        String id = accepted.get("session_hash").asText();
        assertThat(accepted.get("filename").asText()).isEqualTo(BORN_DIGITAL);
        assertThat(accepted.get("total_pages").asInt()).isEqualTo(1);
        assertThat(accepted.get("status_url").asText()).isEqualTo("/status/" + id);
        HubServer.await(done);

        JsonNode status = json(hub.get("/status/" + id, ALICE));
        assertThat(status.get("status").asText()).isEqualTo("completed");
        assertThat(status.get("progress").asInt()).isEqualTo(100);

        JsonNode results = json(hub.get("/results/" + id, ALICE));
        String text = results.get("pages").get(0).get("text").asText();
        double cer = Cer.score(Corpus.expectedText(BORN_DIGITAL), text, false).cer();
        assertThat(cer).isLessThanOrEqualTo(0.01);
        assertThat(results.get("pages").get(0).get("image_url").asText()).isEqualTo("/images/" + id + "/1");

        String hash = UserIdentity.hashOf(ALICE);
        Path folder = storage.resolve("users").resolve(hash).resolve(id);
        try (Stream<Path> files = Files.list(folder)) {
            // no page image: a text-layer page is rendered only when the viewer asks for it (below)
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("metadata.json",
                    "status.json", "upload.pdf", "page_001_result.txt", "page_001.json", "combined_output.md");
        }
        assertThat(Files.readString(folder.resolve("combined_output.md"))).startsWith("# Page 1\n\nI. INTRODUCTION");
        // the upload was moved into the session whole: the same bytes, and nothing left in the server's upload folder
        assertThat(Files.readAllBytes(folder.resolve("upload.pdf"))).isEqualTo(Files.readAllBytes(Corpus.dev(BORN_DIGITAL)));
        try (Stream<Path> left = Files.walk(storage.resolve("tmp/http-uploads"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
        JsonNode metadata = Json.MAPPER.readTree(folder.resolve("metadata.json").toFile());
        assertThat(metadata.get("user_email").asText()).isEqualTo("alice@example.org");
        assertThat(metadata.get("user_hash").asText()).isEqualTo(hash);
        assertThat(metadata.get("source").asText()).isEqualTo("http");

        HttpResponse<byte[]> image = hub.getBytes("/images/" + id + "/1", ALICE);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(image.body())).getWidth()).isGreaterThan(1000);

        HttpResponse<String> combined = hub.get("/results/" + id + "/combined.md", ALICE);
        assertThat(combined.body()).contains("Good afternoon.");

        HttpResponse<String> lines = hub.get("/storage/" + hash + "/" + id + "/page_001.json", ALICE);
        assertThat(json(lines).get("lines").get(0).get("source").asText()).isEqualTo("text-layer");

        assertThat(zipEntries(hub.getBytes("/download/" + id, ALICE).body()))
                .contains(id + "/combined_output.md", id + "/page_001.png", id + "/metadata.json");
    }

    @Test
    void anotherUserGetsTheSame404AsForAMissingSessionEverywhere() throws Exception {
        NotifyBuilder done = hub.documentsDone(1);
        String id = json(hub.upload(ALICE, Corpus.dev(BORN_DIGITAL))).get("session_hash").asText();
        HubServer.await(done);
        String hash = UserIdentity.hashOf(ALICE);
        String missing = "00000000-0000-4000-8000-000000000000";

        for (String path : List.of("/status/%s", "/results/%s", "/results/%s/combined.md", "/images/%s/1",
                "/download/%s", "/storage/" + hash + "/%s/metadata.json")) {
            HttpResponse<String> foreign = hub.get(path.formatted(id), BOB);
            HttpResponse<String> absent = hub.get(path.formatted(missing), BOB);
            assertThat(foreign.statusCode()).as(path).isEqualTo(404);
            assertThat(json(foreign).get("error").asText()).isEqualTo("not_found");
            assertThat(json(foreign).get("message").asText()).isEqualTo(json(absent).get("message").asText());
        }
        assertThat(hub.get("/storage/" + UserIdentity.hashOf(BOB) + "/" + id + "/metadata.json", BOB).statusCode())
                .isEqualTo(404);
        assertThat(hub.delete("/session/" + id, BOB).statusCode()).isEqualTo(404);
        assertThat(json(hub.get("/sessions", BOB)).get("sessions").toString()).doesNotContain(id);
        // still there for its owner
        assertThat(hub.get("/status/" + id, ALICE).statusCode()).isEqualTo(200);
        assertThat(json(hub.get("/sessions", ALICE)).get("sessions").toString()).contains(id);

        assertThat(hub.delete("/session/" + id, ALICE).statusCode()).isEqualTo(200);
        assertThat(hub.get("/status/" + id, ALICE).statusCode()).isEqualTo(404);
        assertThat(storage.resolve("users").resolve(hash).resolve(id)).doesNotExist();
    }

    @Test
    void anAnonymousCallerHasItsOwnFolder() throws Exception {
        NotifyBuilder done = hub.documentsDone(1);
        String id = json(hub.upload(null, Corpus.dev(BORN_DIGITAL))).get("session_hash").asText();
        HubServer.await(done);
        assertThat(storage.resolve("users/de1f5e9831fd").resolve(id).resolve("metadata.json")).exists();
        assertThat(hub.get("/status/" + id, ALICE).statusCode()).isEqualTo(404);
    }

    @Test
    void uploadIsAcknowledgedWithoutWaitingAndResultsAnswer409UntilCompleted() throws Exception {
        hub.context().getRouteController().stopRoute("ocr-process");
        String id;
        try {
            HttpResponse<String> upload = hub.upload(ALICE, Corpus.dev(BORN_DIGITAL));
            assertThat(upload.statusCode()).isEqualTo(200);
            id = json(upload).get("session_hash").asText();
            HttpResponse<String> early = hub.get("/results/" + id, ALICE);
            assertThat(early.statusCode()).isEqualTo(409);
            assertThat(json(early).get("status").asText()).isEqualTo("pending");
            assertThat(json(early).get("session_hash").asText()).isEqualTo(id);
            assertThat(json(hub.get("/status/" + id, ALICE)).get("status").asText()).isEqualTo("pending");
        } finally {
            NotifyBuilder done = hub.documentsDone(1);
            hub.context().getRouteController().startRoute("ocr-process");
            HubServer.await(done);
        }
        assertThat(hub.get("/results/" + id, ALICE).statusCode()).isEqualTo(200);
    }

    @Test
    void chunkedUploadIsAssembledInOrderAndARepeatedChunkCountsOnce() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev(BORN_DIGITAL));
        int chunkSize = 10_000;
        int chunks = (pdf.length + chunkSize - 1) / chunkSize;
        JsonNode started = json(hub.postJson("/upload/start", ALICE, Json.string(Map.of("filename", BORN_DIGITAL,
                "total_size", pdf.length, "total_chunks", chunks))));
        String id = started.get("session_hash").asText();
        assertThat(hub.postJson("/upload/chunk/" + id, BOB, chunkJson(pdf, 0, chunkSize)).statusCode()).isEqualTo(404);

        List<Integer> order = new ArrayList<>();
        for (int i = chunks - 1; i >= 1; i--) order.add(i); // backwards, the first chunk last
        JsonNode last = null;
        for (int i : order) {
            last = json(hub.postJson("/upload/chunk/" + id, ALICE, chunkJson(pdf, i, chunkSize)));
            assertThat(last.get("upload_complete").asBoolean()).isFalse();
        }
        JsonNode repeated = json(hub.postJson("/upload/chunk/" + id, ALICE, chunkJson(pdf, 1, chunkSize)));
        assertThat(repeated.get("duplicate").asBoolean()).isTrue();
        assertThat(repeated.get("chunks_received").asInt()).isEqualTo(chunks - 1);

        NotifyBuilder done = hub.documentsDone(1);
        JsonNode complete = json(hub.postJson("/upload/chunk/" + id, ALICE, chunkJson(pdf, 0, chunkSize)));
        assertThat(complete.get("upload_complete").asBoolean()).isTrue();
        assertThat(complete.get("session_hash").asText()).isEqualTo(id);
        assertThat(complete.get("total_pages").asInt()).isEqualTo(1);
        HubServer.await(done);

        Path original = storage.resolve("users").resolve(UserIdentity.hashOf(ALICE)).resolve(id).resolve("upload.pdf");
        assertThat(Files.readAllBytes(original)).isEqualTo(pdf);
        JsonNode results = json(hub.get("/results/" + id, ALICE));
        assertThat(results.get("pages").get(0).get("text").asText()).contains("Good afternoon.");
        assertThat(storage.resolve("tmp/uploads").resolve(UserIdentity.hashOf(ALICE)).resolve(id)).doesNotExist();
    }

    @Test
    void badRequestsGetJsonErrorsWithTheirStatus() throws Exception {
        HttpResponse<String> noFile = hub.post("/upload", ALICE,
                java.net.http.HttpRequest.BodyPublishers.ofString("{}"), "application/json");
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(json(noFile).get("detail").asText()).startsWith("no_file:");

        HttpResponse<String> empty = hub.upload(ALICE, "file", "empty.pdf", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);

        HttpResponse<String> random = hub.upload(ALICE, "file", "random.pdf", "just some text, not a PDF".getBytes());
        assertThat(random.statusCode()).isEqualTo(415);
        assertThat(json(random).get("error").asText()).isEqualTo("unsupported_media_type");

        byte[] headerOnly = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> corrupt = hub.upload(ALICE, "file", "broken.pdf", headerOnly);
        assertThat(corrupt.statusCode()).isEqualTo(422);
        assertThat(json(corrupt).get("message").asText()).contains("PDF");

        assertThat(hub.get("/status/not-a-session", ALICE).statusCode()).isEqualTo(404);
        assertThat(hub.get("/images/00000000-0000-4000-8000-000000000000/x", ALICE).statusCode()).isEqualTo(404);
        assertThat(hub.postJson("/upload/start", ALICE, "{\"filename\": \"a.pdf\"}").statusCode()).isEqualTo(400);
        assertThat(hub.postJson("/upload/start", ALICE, "not json").statusCode()).isEqualTo(400);
        // nothing of the refused uploads was stored
        Path userFolder = storage.resolve("users").resolve(UserIdentity.hashOf(ALICE));
        long sessionsBefore = json(hub.get("/sessions", ALICE)).get("total").asLong();
        assertThat(userFolder.toFile().list() == null ? 0 : userFolder.toFile().list().length).isEqualTo((int) sessionsBefore);
        JsonNode health = json(hub.get("/health", null));
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("healthy");
    }

    @Test
    void healthAndCacheInfoDescribeTheHub() throws Exception {
        JsonNode health = json(hub.get("/health", null));
        assertThat(health.get("storage_available").asBoolean()).isTrue();
        assertThat(health.get("ocr_engine").asText()).isEqualTo("ppocr");
        assertThat(health.has("gpu_available")).isTrue();
        assertThat(health.has("model_loaded")).isTrue();
        assertThat(health.has("active_sessions")).isTrue();
        assertThat(health.has("ocr_device")).isTrue();
        JsonNode cache = json(hub.get("/cache/info", null));
        assertThat(cache.get("cache_info").get("path").asText()).isEqualTo(storage.resolve("cache/models").toString());
        assertThat(cache.get("cache_info").get("is_cloud").asBoolean()).isFalse();
        assertThat(cache.has("gpu_info")).isTrue();
    }

    private static String chunkJson(byte[] file, int index, int chunkSize) {
        int from = index * chunkSize;
        int to = Math.min(file.length, from + chunkSize);
        byte[] chunk = java.util.Arrays.copyOfRange(file, from, to);
        return Json.string(Map.of("chunk_number", index, "data", Base64.getEncoder().encodeToString(chunk)));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        return Json.MAPPER.readTree(response.body());
    }

    private static List<String> zipEntries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) names.add(entry.getName());
        }
        return names;
    }
}
