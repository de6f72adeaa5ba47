package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted images are refused with a reason, quickly, on every channel: TIFFs whose image directories loop
 * (ImageIO would count their pages forever), and a small PDF whose image declares 40000x40000 pixels.
 */
class HostileImagesTest {

    private static final String USER = "mallory@example.org";

    @TempDir
    static Path storage;

    static HubServer hub;

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("DROP_STABLE_MS", "200", "DROP_CHECK_MS", "100", "DROP_POLL_MS", "200",
                "OCR_PDF_TEXT", "never"));
        // the first upload warms the server up, so the second below measures the refusal, not the JIT
        assertThat(hub.upload(USER, Corpus.dev("tess_HelloGoogle.tif")).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void loopingTiffsAreRefusedWithin422InUnderASecond() throws Exception {
        for (byte[] tiff : new byte[][] {HostileFiles.selfLoopingTiff(), HostileFiles.twoDirectoriesInALoop()}) {
            HttpResponse<String> answer = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> hub.upload(USER, "file", "loop.tif", tiff));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
            assertThat(json(answer).get("detail").asText()).startsWith("corrupt_image:").contains("loop");
        }
        assertThat(hub.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aLoopingTiffInTheDropFolderMovesToFailedWithItsReason() throws Exception {
        Path inbox = storage.resolve("inbox");
        Files.createDirectories(inbox.resolve("dana@example.org"));
        Files.write(inbox.resolve("dana@example.org/loop.tif"), HostileFiles.twoDirectoriesInALoop());
        Path reason = inbox.resolve(".failed/dana@example.org/loop.error.txt");
        Path moved = inbox.resolve(".failed/dana@example.org/loop.tif");
        // the reason is written before the file consumer moves the file: wait for both
        await("the looping TIFF to be refused").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason) && Files.exists(moved));
        assertThat(Files.readString(reason)).contains("loop");
        assertThat(inbox.resolve(".failed/dana@example.org/loop.tif")).exists();
    }

    @Test
    void aSmallPdfWithAHugeImageFailsItsPageWithAReasonAndTheHubStaysUp() throws Exception {
        byte[] pdf = HostileFiles.pdfWithHugeImage(40_000);
        assertThat(pdf.length).isLessThan(100_000);
        var done = hub.documentsDone(1);
        HttpResponse<String> upload = hub.upload("hugh@example.org", "file", "huge-image.pdf", pdf);
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        String session = json(upload).get("session_hash").asText();
        HubServer.await(done);
        JsonNode status = json(hub.get("/status/" + session, "hugh@example.org"));
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("message").asText()).contains("MAX_IMAGE_PIXELS").doesNotContain("java.");
        assertThat(json(hub.get("/health", null)).get("status").asText()).isEqualTo("healthy");
        assertThat(hub.upload("other@example.org", Corpus.dev("tess_HelloGoogle.tif")).statusCode()).isEqualTo(200);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
