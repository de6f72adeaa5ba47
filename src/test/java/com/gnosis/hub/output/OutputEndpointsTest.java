package com.gnosis.hub.output;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /results/{id}/document.pdf, /hocr and /alto on the real hub, and the ZIP and page images that go with them. */
class OutputEndpointsTest {

    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";

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

    private static String uploaded(String user, String name) throws Exception {
        NotifyBuilder done = hub.documentsDone(1);
        String id = Json.MAPPER.readTree(hub.upload(user, Corpus.dev(name)).body()).get("session_hash").asText();
        HubServer.await(done);
        // the hub is shared by the class's tests: the session that finished may have been another test's
        await("session " + id + " to complete").atMost(Duration.ofMinutes(2)).until(() -> "completed".equals(
                Json.MAPPER.readTree(hub.get("/status/" + id, user).body()).path("status").asText()));
        return id;
    }

    @Test
    void theOwnerGetsTheSearchablePdfHocrAndAltoOfAScanAndAnotherUserGets404() throws Exception {
        String id = uploaded(ALICE, "tess_phototest.tif");
        JsonNode results = Json.MAPPER.readTree(hub.get("/results/" + id, ALICE).body());
        String text = results.get("pages").get(0).get("text").asText();
        assertThat(results.get("pdf_url").asText()).isEqualTo("/results/" + id + "/document.pdf");

        HttpResponse<byte[]> pdf = hub.getBytes("/results/" + id + "/document.pdf", ALICE);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition").orElse("")).contains("tess_phototest.ocr.pdf");
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            assertThat(Cer.score(text, new PDFTextStripper().getText(document), false).cer()).isLessThanOrEqualTo(0.01);
        }

        HttpResponse<String> hocr = hub.get("/results/" + id + "/hocr", ALICE);
        assertThat(hocr.statusCode()).isEqualTo(200);
        assertThat(hocr.body()).contains("class=\"ocr_page\"", "class=\"ocrx_word\"", "ocr-capabilities");

        HttpResponse<byte[]> alto = hub.getBytes("/results/" + id + "/alto", ALICE);
        assertThat(alto.statusCode()).isEqualTo(200);
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Path.of("src/test/resources/schemas/alto-4-4-local.xsd").toFile()).newValidator()
                .validate(new StreamSource(new ByteArrayInputStream(alto.body())));

        // made once, then stored with the session's files
        Path folder = storage.resolve("users").resolve(UserIdentity.hashOf(ALICE)).resolve(id);
        assertThat(folder.resolve("document.pdf")).exists();
        assertThat(folder.resolve("document.hocr")).exists();
        assertThat(folder.resolve("document.alto.xml")).exists();

        String missing = "00000000-0000-4000-8000-000000000000";
        for (String path : List.of("/results/%s/document.pdf", "/results/%s/hocr", "/results/%s/alto")) {
            HttpResponse<String> foreign = hub.get(path.formatted(id), BOB);
            HttpResponse<String> absent = hub.get(path.formatted(missing), BOB);
            assertThat(foreign.statusCode()).as(path).isEqualTo(404);
            assertThat(foreign.body()).isEqualTo(absent.body().replace(missing, id));
        }
    }

    @Test
    void theZipCarriesTheThreeOutputs() throws Exception {
        String id = uploaded(ALICE, "pdfbox_PDFBOX-3038-001033-p2.pdf");
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(hub.getBytes("/download/" + id, ALICE).body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) names.add(e.getName());
        }
        assertThat(names).contains(id + "/document.pdf", id + "/document.hocr", id + "/document.alto.xml");
    }

    @Test
    void outputsOfASessionStillBeingReadAnswer409() throws Exception {
        String id = uploaded(ALICE, "pdfbox_PDFBOX-3038-001033-p2.pdf");
        Path status = storage.resolve("users").resolve(UserIdentity.hashOf(ALICE)).resolve(id).resolve("status.json");
        Files.write(status, Json.bytes(SessionStatus.pending(1, Instant.now()).started(Instant.now())));
        for (String path : List.of("/results/%s/document.pdf", "/results/%s/hocr", "/results/%s/alto")) {
            HttpResponse<String> answer = hub.get(path.formatted(id), ALICE);
            assertThat(answer.statusCode()).as(path).isEqualTo(409);
            assertThat(Json.MAPPER.readTree(answer.body()).get("status").asText()).isEqualTo("processing");
        }
    }

    @Test
    void aBornDigitalPageIsNotRenderedUntilItsImageIsAskedFor() throws Exception {
        String id = uploaded(ALICE, "pdfbox_PDFBOX-3038-001033-p2.pdf");
        Path folder = storage.resolve("users").resolve(UserIdentity.hashOf(ALICE)).resolve(id);
        assertThat(folder.resolve("page_001.json")).exists();
        assertThat(folder.resolve("page_001.png")).doesNotExist();

        HttpResponse<byte[]> image = hub.getBytes("/images/" + id + "/1", ALICE);
        assertThat(image.statusCode()).isEqualTo(200);
        JsonNode page = Json.MAPPER.readTree(folder.resolve("page_001.json").toFile());
        var png = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertThat(png.getWidth()).isEqualTo(page.get("width").asInt());
        assertThat(png.getHeight()).isEqualTo(page.get("height").asInt());
        assertThat(folder.resolve("page_001.png")).exists();
        assertThat(hub.get("/images/" + id + "/2", ALICE).statusCode()).isEqualTo(404);
        assertThat(hub.get("/images/" + id + "/1", BOB).statusCode()).isEqualTo(404);
    }
}
