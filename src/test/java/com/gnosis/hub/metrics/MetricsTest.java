package com.gnosis.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.MovableClock;
import com.gnosis.hub.testing.PrometheusText;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics is strict Prometheus text, and each of the hub's metrics moves as documents pass through it. */
class MetricsTest {

    private static final String OLA = "ola@example.org";
    private static final String PAT = "pat@example.org";

    @TempDir
    Path storage;

    @Test
    void everyNamedMetricMovesAsDocumentsPassAndTheTextIsStrictPrometheus() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (HubServer hub = HubServer.start(storage, Map.of("OCR_PDF_TEXT", "auto", "DUPLICATES", "keep",
                "MAX_QUEUED_PAGES", "2", "DROP_FOLDER", ""), Map.of(HubConfiguration.CLOCK, clock))) {
            HttpResponse<String> first = hub.get("/metrics", null);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
            PrometheusText before = PrometheusText.parse(first.body());
            assertThat(before.value("gnosis_pages_read_total", "source", "ocr", "outcome", "ok")).isZero();
            assertThat(before.value("gnosis_documents_total", "status", "completed")).isZero();
            assertThat(before.value("gnosis_queue_pages")).isZero();
            assertThat(before.value("gnosis_model_load_seconds")).isNaN();
            assertThat(before.value("gnosis_ocr_device_info", "device", "none", "requested", "auto")).isEqualTo(1.0);
            assertThat(before.type("gnosis_page_read_seconds")).isEqualTo("histogram");

            // nothing is read while the pipeline is stopped: the pages wait, and the queue metrics show them
            hub.context().getRouteController().stopRoute("ocr-process");
            byte[] pdf = Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
            byte[] png = Files.readAllBytes(Corpus.dev("ocropy_uw3_0022_010005.png"));
            assertThat(hub.upload(OLA, "file", "text-layer.pdf", pdf).statusCode()).isEqualTo(200);
            assertThat(hub.upload(OLA, "file", "line.png", png).statusCode()).isEqualTo(200);
            HttpResponse<String> broken = hub.upload(PAT, "file", "broken.pdf", pdf);
            assertThat(broken.statusCode()).isEqualTo(200);
            int pdfPages = Json.MAPPER.readTree(broken.body()).get("total_pages").asInt();
            // over MAX_QUEUED_PAGES now: the next upload is a 429
            assertThat(hub.upload(PAT, "file", "more.png", png).statusCode()).isEqualTo(429);
            clock.advance(Duration.ofSeconds(42));

            PrometheusText waiting = PrometheusText.parse(hub.get("/metrics", null).body());
            assertThat(waiting.value("gnosis_queue_pages")).isEqualTo(2.0 * pdfPages + 1);
            assertThat(waiting.value("gnosis_queue_oldest_age_seconds")).isEqualTo(42.0);
            assertThat(waiting.value("gnosis_user_queued_pages", "user_hash", UserIdentity.hashOf(OLA))).isEqualTo(pdfPages + 1.0);
            assertThat(waiting.value("gnosis_user_queued_pages", "user_hash", UserIdentity.hashOf(PAT))).isEqualTo((double) pdfPages);
            assertThat(waiting.value("gnosis_upload_bytes_total", "source", "http")).isEqualTo(2.0 * pdf.length + png.length);
            assertThat(waiting.value("gnosis_http_too_many_requests_total", "reason", "busy")).isEqualTo(1.0);

            // pat's original is damaged in storage: that document fails when it is read
            JsonNode patSession = Json.MAPPER.readTree(broken.body());
            Files.writeString(storage.resolve("users/" + UserIdentity.hashOf(PAT) + "/"
                    + patSession.get("session_hash").asText() + "/upload.pdf"), "not a PDF any more");
            NotifyBuilder done = hub.documentsDone(3);
            hub.context().getRouteController().startRoute("ocr-process");
            HubServer.await(done);

            PrometheusText after = PrometheusText.parse(hub.get("/metrics", null).body());
            assertThat(after.value("gnosis_pages_read_total", "source", "text-layer", "outcome", "ok")).isEqualTo((double) pdfPages);
            assertThat(after.value("gnosis_pages_read_total", "source", "ocr", "outcome", "ok")).isEqualTo(1.0);
            assertThat(after.value("gnosis_pages_read_total", "source", "unknown", "outcome", "failed")).isGreaterThanOrEqualTo(1.0);
            assertThat(after.value("gnosis_page_read_seconds_count", "source", "ocr")).isEqualTo(1.0);
            assertThat(after.value("gnosis_page_read_seconds_count", "source", "text-layer")).isEqualTo((double) pdfPages);
            assertThat(after.value("gnosis_page_read_seconds_sum", "source", "ocr")).isPositive();
            assertThat(after.value("gnosis_page_read_seconds_bucket", "source", "ocr", "le", "+Inf")).isEqualTo(1.0);
            assertThat(after.value("gnosis_documents_total", "status", "completed")).isEqualTo(2.0);
            assertThat(after.value("gnosis_documents_total", "status", "failed")).isEqualTo(1.0);
            assertThat(after.value("gnosis_queue_pages")).isZero();
            assertThat(after.value("gnosis_queue_oldest_age_seconds")).isZero();
            assertThat(after.samples("gnosis_user_queued_pages")).as("only users with queued work").isEmpty();
            assertThat(after.value("gnosis_model_load_seconds")).isPositive();
            assertThat(after.value("gnosis_ocr_device_info", "device", "cpu", "requested", "auto")).isEqualTo(1.0);
            // Camel's own route metrics, keyed by the stable route ids
            assertThat(after.sum("camel_exchanges_total", "routeId", "ocr-process")).isGreaterThanOrEqualTo(3.0);
            assertThat(after.sum("camel_exchanges_total", "routeId", "upload-api-upload")).isEqualTo(4.0);
            assertThat(after.sum("camel_exchanges_total", "routeId", "session-finished")).isEqualTo(3.0);
            assertThat(after.samples("jvm_memory_used_bytes")).isNotEmpty();
        }
    }
}
