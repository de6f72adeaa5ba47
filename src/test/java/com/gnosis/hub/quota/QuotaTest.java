package com.gnosis.hub.quota;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.MovableClock;
import com.gnosis.hub.testing.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-user quotas: the user over a limit gets 429 with the reason and Retry-After, other users are served. */
class QuotaTest {

    private static final String OLA = "ola@example.org";
    private static final String PAT = "pat@example.org";
    private static final String SAM = "sam@example.org";

    @TempDir
    Path storage;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T23:00:00Z"));

    private HubServer start(Map<String, String> quotas) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("OCR_PDF_TEXT", "always", "DUPLICATES", "keep",
                "DROP_STABLE_MS", "200", "DROP_CHECK_MS", "100", "DROP_POLL_MS", "100"));
        settings.putAll(quotas);
        return HubServer.start(storage, settings, Map.of(HubConfiguration.CLOCK, clock));
    }

    @Test
    void aUserWithTooManyQueuedPagesGets429WhileAnotherUsersUploadIsTaken() throws Exception {
        try (HubServer hub = start(Map.of("QUOTA_PAGES_QUEUED", "3"))) {
            hub.context().getRouteController().stopRoute("ocr-process"); // the pages stay queued
            assertThat(hub.upload(OLA, "file", "three.pdf", pages(3)).statusCode()).isEqualTo(200);

            HttpResponse<String> refused = hub.upload(OLA, "file", "one.pdf", pages(1));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            JsonNode error = Json.MAPPER.readTree(refused.body());
            assertThat(error.get("error").asText()).isEqualTo("too_many_requests");
            assertThat(error.get("detail").asText()).startsWith("quota_exceeded:");
            assertThat(error.get("quota").asText()).isEqualTo("pages_queued");
            assertThat(error.get("limit").asLong()).isEqualTo(3);
            assertThat(error.get("used").asLong()).isEqualTo(3);
            assertThat(error.get("message").asText()).contains("3 of your pages are waiting");
            assertThat(hub.postJson("/upload/start", OLA, "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":1}")
                    .statusCode()).as("chunked uploads too").isEqualTo(429);

            assertThat(hub.upload(PAT, "file", "one.pdf", pages(1)).statusCode()).as("another user").isEqualTo(200);
            assertThat(PrometheusText.parse(hub.get("/metrics", null).body())
                    .value("gnosis_http_too_many_requests_total", "reason", "quota_exceeded")).isEqualTo(2.0);

            var done = hub.documentsDone(2);
            hub.context().getRouteController().startRoute("ocr-process");
            HubServer.await(done);
            var last = hub.documentsDone(1);
            assertThat(hub.upload(OLA, "file", "one.pdf", pages(1)).statusCode()).as("once the pages are read").isEqualTo(200);
            HubServer.await(last);
        }
    }

    @Test
    void pagesPerDayCountUntilMidnightUtcAndDeletingASessionGivesNoneBack() throws Exception {
        try (HubServer hub = start(Map.of("QUOTA_PAGES_PER_DAY", "4"))) {
            var allDone = hub.documentsDone(3); // ola's two, pat's one: the hub stops only after them
            HttpResponse<String> first = hub.upload(OLA, "file", "four.pdf", pages(4));
            assertThat(first.statusCode()).isEqualTo(200);
            HttpResponse<String> refused = hub.upload(OLA, "file", "one.pdf", pages(1));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(Json.MAPPER.readTree(refused.body()).get("quota").asText()).isEqualTo("pages_per_day");
            // the clock says 23:00 UTC: the count starts again in an hour
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("3601");

            String id = Json.MAPPER.readTree(first.body()).get("session_hash").asText();
            await("the session done").atMost(Duration.ofSeconds(60)).until(() ->
                    Json.MAPPER.readTree(hub.get("/status/" + id, OLA).body()).get("status").asText().equals("completed"));
            assertThat(hub.delete("/session/" + id, OLA).statusCode()).isEqualTo(200);
            assertThat(hub.upload(OLA, "file", "one.pdf", pages(1)).statusCode()).isEqualTo(429);
            assertThat(hub.upload(PAT, "file", "one.pdf", pages(1)).statusCode()).isEqualTo(200);

            clock.advance(Duration.ofHours(1));
            assertThat(hub.upload(OLA, "file", "one.pdf", pages(1)).statusCode()).as("a new day").isEqualTo(200);
            HubServer.await(allDone);
        }
    }

    @Test
    void bytesStoredHaveAPerUserOverrideAndTheDropFolderLeavesTheFileSayingWhy() throws Exception {
        Path settingsFile = storage.resolveSibling(storage.getFileName() + "-users.txt");
        Files.writeString(settingsFile, "# per-user settings\n" + SAM + " quota_bytes_stored=10m\n");
        byte[] pdf = Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
        try (HubServer hub = start(Map.of("QUOTA_BYTES_STORED", "40k", "USER_SETTINGS_FILE", settingsFile.toString()))) {
            var allDone = hub.documentsDone(4); // ola's two, sam's two: the hub stops only after them
            HttpResponse<String> first = hub.upload(OLA, "file", "a.pdf", pdf);
            assertThat(first.statusCode()).as("the document that crosses the limit is taken").isEqualTo(200);
            HttpResponse<String> refused = hub.upload(OLA, "file", "b.pdf", pdf);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(Json.MAPPER.readTree(refused.body()).get("quota").asText()).isEqualTo("bytes_stored");
            assertThat(Json.MAPPER.readTree(refused.body()).get("message").asText()).contains("DELETE /session/");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(hub.upload(SAM, "file", "a.pdf", pdf).statusCode()).isEqualTo(200);
            assertThat(hub.upload(SAM, "file", "b.pdf", pdf).statusCode()).as("sam's own limit").isEqualTo(200);

            // ola is over: a dropped file waits in the inbox with the reason beside it, and nothing is failed
            Path dropped = storage.resolve("inbox/" + OLA + "/later.pdf");
            Files.createDirectories(dropped.getParent());
            Files.write(dropped, pdf);
            Path note = storage.resolve("inbox/.waiting/" + OLA + "/later.quota.txt");
            await("the reason written").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(note));
            assertThat(Files.readString(note)).contains("Quota reached").contains("40960");
            assertThat(dropped).exists();
            assertThat(storage.resolve("inbox/.failed")).doesNotExist();

            // ola makes room: the file is taken, and its note goes
            String id = Json.MAPPER.readTree(first.body()).get("session_hash").asText();
            await("the session done").atMost(Duration.ofSeconds(60)).until(() ->
                    Json.MAPPER.readTree(hub.get("/status/" + id, OLA).body()).get("status").asText().equals("completed"));
            assertThat(hub.delete("/session/" + id, OLA).statusCode()).isEqualTo(200);
            await("the dropped file taken").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(storage.resolve("inbox/.done/" + OLA + "/later.pdf")));
            assertThat(note).doesNotExist();
            HubServer.await(allDone);
        } finally {
            Files.deleteIfExists(settingsFile);
        }
    }

    @Test
    void limitsReadSizesAndRefuseNonsense() {
        assertThat(QuotaLimits.bytes("Q", "40k")).isEqualTo(40 * 1024);
        assertThat(QuotaLimits.bytes("Q", "2g")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(QuotaLimits.bytes("Q", "123")).isEqualTo(123);
        assertThat(QuotaLimits.bytes("Q", "")).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaLimits.bytes("QUOTA_BYTES_STORED", "lots"))
                .hasMessageContaining("QUOTA_BYTES_STORED");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaLimits.count("QUOTA_PAGES_QUEUED", "-1"))
                .hasMessageContaining("QUOTA_PAGES_QUEUED");
    }

    /** A PDF of {@code count} pages with a text layer (read without OCR). */
    static byte[] pages(int count) throws Exception {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int i = 1; i <= count; i++) {
                PDPage page = new PDPage(PDRectangle.A6);
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(30, 300);
                    content.showText("Quota page " + i + " of " + count + ".");
                    content.endText();
                }
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }
}
