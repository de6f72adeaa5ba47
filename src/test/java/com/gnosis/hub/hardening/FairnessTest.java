package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One user's 200-page job does not starve another user's one page. */
class FairnessTest {

    @TempDir
    Path storage;

    @Test
    void onePageFromUserBFinishesWhileUserAsTwoHundredPagesAreStillRunning() throws Exception {
        // every page is OCR'd: text-layer pages are no longer rendered and pass at tens a second, faster than B's
        // upload is taken in, which would leave nothing for the queue's order to decide
        try (HubServer hub = HubServer.start(storage, Map.of("OCR_WORKERS", "2", "OCR_PDF_TEXT", "never", "DROP_FOLDER", ""))) {
            String a = "alice@example.org";
            String b = "bob@example.org";
            String big = Json.MAPPER.readTree(hub.upload(a, "file", "big.pdf", pages(200)).body()).get("session_hash").asText();
            // A's pages are all queued and running before B arrives: in a first-come queue B would wait for them
            await("A's job running").atMost(Duration.ofSeconds(60)).until(() -> Json.MAPPER.readTree(
                    hub.get("/status/" + big, a).body()).get("pages_done").asInt() >= 2);
            AtomicReference<String> small = new AtomicReference<>("not yet known");
            NotifyBuilder bDone = new NotifyBuilder(hub.context()).fromRoute("session-finished")
                    .filter(e -> e.getMessage().getBody(String.class).contains(small.get())).whenDone(1).create();
            small.set(Json.MAPPER.readTree(hub.upload(b, Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf")).body())
                    .get("session_hash").asText());
            HubServer.await(bDone);

            assertThat(Json.MAPPER.readTree(hub.get("/status/" + small.get(), b).body()).get("status").asText()).isEqualTo("completed");
            JsonNode bigStatus = Json.MAPPER.readTree(hub.get("/status/" + big, a).body());
            assertThat(bigStatus.get("status").asText()).isEqualTo("processing");
            assertThat(bigStatus.get("pages_done").asInt()).isLessThan(100);
            assertThat(hub.delete("/session/" + big, a).statusCode()).isEqualTo(200); // stops the rest
        }
    }

    /**
     * Sessions queued behind others wait as pending, holding no open document, and OCR_DOC_TIMEOUT counts their own
     * reading only: a backlog longer than the limit does not fail the documents at its end.
     */
    @Test
    void sessionsBehindABacklogWaitAsPendingAndTheirTimeLimitCountsOnlyTheirOwnReading() throws Exception {
        Duration limit = Duration.ofSeconds(2);
        try (HubServer hub = HubServer.start(storage, Map.of("OCR_WORKERS", "1", "OCR_PDF_TEXT", "always",
                "DROP_FOLDER", "", "OCR_DOC_TIMEOUT", limit.toSeconds() + "s"))) {
            byte[] onePage = pages(1);
            long start = System.nanoTime();
            List<String[]> sessions = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String user = "user" + i + "@example.org";
                sessions.add(new String[] {user, Json.MAPPER.readTree(hub.upload(user, "file", "one.pdf", onePage).body())
                        .get("session_hash").asText()});
            }
            String[] last = sessions.get(sessions.size() - 1);
            JsonNode waiting = Json.MAPPER.readTree(hub.get("/status/" + last[1], last[0]).body());
            assertThat(waiting.get("status").asText()).isEqualTo("pending");
            assertThat(waiting.get("started_at").isNull()).isTrue();

            for (String[] session : sessions) {
                await("session " + session[1] + " finished").atMost(Duration.ofSeconds(120)).until(() -> {
                    String state = Json.MAPPER.readTree(hub.get("/status/" + session[1], session[0]).body()).get("status").asText();
                    return state.equals("completed") || state.equals("failed");
                });
            }
            // the backlog outlasted the limit, so a limit counted from the queue would have failed the last ones
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(limit);
            for (String[] session : sessions) {
                JsonNode status = Json.MAPPER.readTree(hub.get("/status/" + session[1], session[0]).body());
                assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("completed");
            }
        }
    }

    /** A born-digital PDF of small pages, one line of text each. */
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
                    content.showText("This is page number " + i + " of a long document.");
                    content.endText();
                }
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }
}
