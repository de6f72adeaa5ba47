package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over MAX_QUEUED_PAGES: /upload answers 429 with Retry-After, the drop folder waits instead of failing. */
class BackpressureTest {

    @TempDir
    Path storage;

    @Test
    void fullQueueAnswers429AndTheDropFolderWaitsUntilThereIsRoom() throws Exception {
        try (HubServer hub = HubServer.start(storage, Map.of("MAX_QUEUED_PAGES", "5", "OCR_PDF_TEXT", "always",
                "DUPLICATES", "keep", "DROP_STABLE_MS", "300", "DROP_CHECK_MS", "100", "DROP_POLL_MS", "100"))) {
            hub.context().getRouteController().stopRoute("ocr-process"); // nothing is read: the pages stay queued
            HttpResponse<String> first = hub.upload("ola@example.org", "file", "ten.pdf", FairnessTest.pages(10));
            assertThat(first.statusCode()).isEqualTo(200);

            HttpResponse<String> busy = hub.upload("pat@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
            assertThat(busy.statusCode()).isEqualTo(429);
            assertThat(busy.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            JsonNode error = Json.MAPPER.readTree(busy.body());
            assertThat(error.get("error").asText()).isEqualTo("too_many_requests");
            assertThat(error.get("message").asText()).contains("MAX_QUEUED_PAGES");

            Path dropped = storage.resolve("inbox/pat@example.org/waiting.pdf");
            Files.createDirectories(dropped.getParent());
            Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), dropped);
            NotifyBuilder polled = new NotifyBuilder(hub.context()).fromRoute("drop-ingest").whenDone(1).create();
            assertThat(polled.matches(3, java.util.concurrent.TimeUnit.SECONDS)).as("nothing taken while full").isFalse();
            assertThat(dropped).exists();
            assertThat(storage.resolve("inbox/.failed")).doesNotExist();

            NotifyBuilder done = hub.documentsDone(2);
            hub.context().getRouteController().startRoute("ocr-process");
            HubServer.await(done); // the ten pages, then the dropped file once there was room
            await("the dropped file taken").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(storage.resolve("inbox/.done/pat@example.org/waiting.pdf")));
            assertThat(hub.upload("pat@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf")).statusCode()).isEqualTo(200);
        }
    }
}
