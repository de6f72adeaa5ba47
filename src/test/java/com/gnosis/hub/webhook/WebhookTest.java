package com.gnosis.hub.webhook;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.MovableClock;
import com.gnosis.hub.testing.PrometheusText;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against a real receiver: signed, with the documented body, tried again after a 500, kept in the
 * outbox across a restart; callbacks into private ranges refused at upload.
 */
class WebhookTest {

    private static final String SECRET = "test-secret-Jf8s";
    private static final String OLA = "ola@example.org";

    @TempDir
    Path storage;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    private HubServer start() throws Exception {
        return HubServer.start(storage, settings(), Map.of(HubConfiguration.CLOCK, clock));
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("OCR_PDF_TEXT", "always");
        settings.put("DROP_FOLDER", "");
        settings.put("WEBHOOK_SECRET", SECRET);
        settings.put("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
        settings.put("WEBHOOK_POLL_MS", "50");
        settings.put("WEBHOOK_RETRY_MIN", "10s");
        return settings;
    }

    @Test
    void theReceiverGetsASignedEventAndASecondAttemptAfterAFirst500() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0, 500); HubServer hub = start()) {
            HttpResponse<String> upload = hub.post("/upload", OLA, Multipart.withFile(Map.of(), pdf()), Multipart.CONTENT_TYPE,
                    Map.of("X-Callback-Url", receiver.url()));
            assertThat(upload.statusCode()).isEqualTo(200);
            JsonNode answer = Json.MAPPER.readTree(upload.body());
            String session = answer.get("session_hash").asText();
            assertThat(answer.get("callback_url").asText()).isEqualTo(receiver.url());

            await("the first attempt").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 1);
            assertThat(outbox()).as("kept for the next attempt").hasSize(1);
            clock.advance(Duration.ofSeconds(9));
            PrometheusText early = PrometheusText.parse(hub.get("/metrics", null).body());
            assertThat(early.value("gnosis_webhook_deliveries_total", "outcome", "retry")).isEqualTo(1.0);
            assertThat(receiver.received()).as("not before WEBHOOK_RETRY_MIN").hasSize(1);
            clock.advance(Duration.ofSeconds(1));
            await("the second attempt").atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            await("the outbox emptied").atMost(Duration.ofSeconds(30)).until(() -> outbox().isEmpty());

            WebhookReceiver.Received first = receiver.received().get(0);
            WebhookReceiver.Received second = receiver.received().get(1);
            for (WebhookReceiver.Received request : receiver.received()) {
                String timestamp = request.header("X-Gnosis-Timestamp");
                assertThat(request.header("X-Gnosis-Signature")).isEqualTo("sha256=" + hmac(timestamp + "." + request.body()));
                assertThat(request.header("Content-Type")).isEqualTo("application/json");
                assertThat(request.header("X-Gnosis-Event")).isEqualTo("session.completed");
            }
            assertThat(Long.parseLong(first.header("X-Gnosis-Timestamp"))).isEqualTo(Instant.parse("2026-12-01T10:00:00Z").getEpochSecond());
            assertThat(Long.parseLong(second.header("X-Gnosis-Timestamp"))).as("signed anew at each attempt")
                    .isEqualTo(Instant.parse("2026-12-01T10:00:10Z").getEpochSecond());
            assertThat(second.header("X-Gnosis-Delivery")).isEqualTo(first.header("X-Gnosis-Delivery"));
            assertThat(second.body()).isEqualTo(first.body());
            // a signature made with another secret, or over another timestamp, does not match
            assertThat(first.header("X-Gnosis-Signature")).isNotEqualTo("sha256=" + hmac("1." + first.body()));

            JsonNode event = Json.MAPPER.readTree(second.body());
            assertThat(event.get("event").asText()).isEqualTo("session.completed");
            assertThat(event.get("session_hash").asText()).isEqualTo(session);
            assertThat(event.get("status").asText()).isEqualTo("completed");
            assertThat(event.get("total_pages").asInt()).isEqualTo(answer.get("total_pages").asInt());
            assertThat(event.get("results_url").asText()).isEqualTo("/results/" + session);
            assertThat(event.get("message").asText()).contains("processed");
            assertThat(event.get("created_at").asText()).isEqualTo(answer.get("created_at").asText());
            assertThat(event.get("completed_at").asText()).isNotBlank();
            assertThat(Stream.of("event", "session_hash", "status", "total_pages", "results_url", "message",
                    "created_at", "completed_at")).allMatch(event::has);

            PrometheusText after = PrometheusText.parse(hub.get("/metrics", null).body());
            assertThat(after.value("gnosis_webhook_deliveries_total", "outcome", "delivered")).isEqualTo(1.0);
            assertThat(after.value("gnosis_webhook_deliveries_total", "outcome", "retry")).isEqualTo(1.0);
        }
    }

    @Test
    void attemptsStopAfterRetryForAndADeletedSessionsDeliveryIsDropped() throws Exception {
        Integer[] failures = new Integer[10];
        java.util.Arrays.fill(failures, 503);
        try (WebhookReceiver receiver = new WebhookReceiver(0, failures); HubServer hub = start()) {
            HttpResponse<String> kept = hub.post("/upload", OLA, Multipart.withFile(Map.of("callback_url", receiver.url()), pdf()),
                    Multipart.CONTENT_TYPE, Map.of());
            await("the first attempt").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 1);
            clock.advance(Duration.ofHours(24)); // WEBHOOK_RETRY_FOR: the next failure is the last
            await("the second attempt").atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            await("given up").atMost(Duration.ofSeconds(30)).until(() -> outbox().isEmpty());

            HttpResponse<String> deleted = hub.post("/upload", OLA, Multipart.withFile(Map.of("callback_url", receiver.url()),
                    Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3110-poems-beads.pdf"))), Multipart.CONTENT_TYPE, Map.of());
            await("its first attempt").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 3);
            String id = Json.MAPPER.readTree(deleted.body()).get("session_hash").asText();
            assertThat(hub.delete("/session/" + id, OLA).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(10));
            await("dropped").atMost(Duration.ofSeconds(30)).until(() -> outbox().isEmpty());
            assertThat(receiver.received()).hasSize(3);
            assertThat(Json.MAPPER.readTree(kept.body()).get("session_hash").asText()).isNotEqualTo(id);

            PrometheusText metrics = PrometheusText.parse(hub.get("/metrics", null).body());
            assertThat(metrics.value("gnosis_webhook_deliveries_total", "outcome", "gave_up")).isEqualTo(1.0);
            assertThat(metrics.value("gnosis_webhook_deliveries_total", "outcome", "dropped")).isEqualTo(1.0);
            assertThat(metrics.value("gnosis_webhook_deliveries_total", "outcome", "retry")).isEqualTo(2.0);
            assertThat(metrics.value("gnosis_webhook_deliveries_total", "outcome", "delivered")).isZero();
        }
    }

    @Test
    void aDeliveryPendingWhenTheHubStopsArrivesAfterTheRestart() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // nothing listens there while the first hub runs
        }
        String url = "http://127.0.0.1:" + port + "/hook";
        String session;
        try (HubServer hub = start()) {
            HttpResponse<String> upload = hub.post("/upload", OLA, Multipart.withFile(Map.of("callback_url", url), pdf()),
                    Multipart.CONTENT_TYPE, Map.of());
            assertThat(upload.statusCode()).isEqualTo(200);
            session = Json.MAPPER.readTree(upload.body()).get("session_hash").asText();
            await("a failed attempt recorded").atMost(Duration.ofSeconds(60)).until(() -> outbox().stream()
                    .anyMatch(d -> d.attempts() == 1 && d.lastError() != null));
        }
        assertThat(outbox()).hasSize(1);
        clock.advance(Duration.ofSeconds(10));
        try (WebhookReceiver receiver = new WebhookReceiver(port); HubServer again = start()) {
            await("the delivery after the restart").atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
            JsonNode event = Json.MAPPER.readTree(receiver.received().get(0).body());
            assertThat(event.get("session_hash").asText()).isEqualTo(session);
            await("the outbox emptied").atMost(Duration.ofSeconds(30)).until(() -> outbox().isEmpty());
        }
    }

    @Test
    void aCallbackIntoAPrivateRangeIsRefusedAtUploadWithItsReason() throws Exception {
        try (HubServer hub = start()) {
            for (Map.Entry<String, String> refused : Map.of(
                    "http://10.1.2.3/hook", "private",
                    "http://169.254.169.254/latest/meta-data", "link-local",
                    "http://[::1]:8080/hook", "loopback",
                    "http://[fd12:3456::1]/hook", "unique-local",
                    "ftp://example.org/hook", "http or https").entrySet()) {
                HttpResponse<String> form = hub.post("/upload", OLA, Multipart.withFile(Map.of("callback_url", refused.getKey()), pdf()),
                        Multipart.CONTENT_TYPE, Map.of());
                assertThat(form.statusCode()).as(refused.getKey()).isEqualTo(400);
                JsonNode error = Json.MAPPER.readTree(form.body());
                assertThat(error.get("detail").asText()).startsWith("callback_refused:");
                assertThat(error.get("message").asText()).contains(refused.getValue());
            }
            HttpResponse<String> header = hub.post("/upload", OLA, Multipart.withFile(Map.of(), pdf()), Multipart.CONTENT_TYPE,
                    Map.of("X-Callback-Url", "http://192.168.1.20/hook"));
            assertThat(header.statusCode()).isEqualTo(400);
            HttpResponse<String> chunked = hub.postJson("/upload/start", OLA,
                    "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":1,\"callback_url\":\"http://172.16.0.9/x\"}");
            assertThat(chunked.statusCode()).isEqualTo(400);
            assertThat(chunked.body()).contains("private");
            assertThat(Json.MAPPER.readTree(hub.get("/sessions", OLA).body()).get("total").asInt())
                    .as("nothing was taken").isZero();
        }
    }

    @Test
    void aChunkedUploadKeepsTheCallbackGivenAtItsStart() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0); HubServer hub = start()) {
            byte[] pdf = pdf();
            HttpResponse<String> start = hub.postJson("/upload/start", OLA, "{\"filename\":\"a.pdf\",\"total_size\":"
                    + pdf.length + ",\"total_chunks\":1,\"callback_url\":\"" + receiver.url() + "\"}");
            assertThat(start.statusCode()).isEqualTo(200);
            String id = Json.MAPPER.readTree(start.body()).get("session_hash").asText();
            HttpResponse<String> chunk = hub.postJson("/upload/chunk/" + id, OLA, "{\"chunk_number\":0,\"data\":\""
                    + java.util.Base64.getEncoder().encodeToString(pdf) + "\"}");
            assertThat(chunk.statusCode()).isEqualTo(200);
            await("the webhook").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 1);
            assertThat(Json.MAPPER.readTree(receiver.received().get(0).body()).get("session_hash").asText()).isEqualTo(id);
        }
    }

    @Test
    void aUsersDefaultCallbackFromTheSettingsFileServesDroppedFilesToo() throws Exception {
        Path users = Files.createTempFile("gnosis-users-", ".txt");
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            Files.writeString(users, "# defaults\n" + OLA + " callback_url=" + receiver.url() + "\n");
            Map<String, String> settings = settings();
            settings.putAll(Map.of("USER_SETTINGS_FILE", users.toString(), "DROP_FOLDER", storage.resolve("inbox").toString(),
                    "DROP_STABLE_MS", "200", "DROP_CHECK_MS", "100", "DROP_POLL_MS", "100"));
            try (HubServer hub = HubServer.start(storage, settings, Map.of(HubConfiguration.CLOCK, clock))) {
                Path dropped = storage.resolve("inbox/" + OLA + "/scan.pdf");
                Files.createDirectories(dropped.getParent());
                Files.write(dropped, pdf());
                await("the webhook of the dropped file").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 1);
                JsonNode event = Json.MAPPER.readTree(receiver.received().get(0).body());
                assertThat(event.get("status").asText()).isEqualTo("completed");
                JsonNode listed = Json.MAPPER.readTree(hub.get("/sessions", OLA).body()).get("sessions");
                assertThat(event.get("session_hash").asText()).isEqualTo(listed.get(0).get("session_hash").asText());
                // another user, without a default, gets no webhook
                assertThat(hub.upload("pat@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf")).body())
                        .doesNotContain("callback_url");
            }
        } finally {
            Files.deleteIfExists(users);
        }
    }

    private List<Delivery> outbox() throws IOException {
        Path root = storage.resolve("outbox");
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".json")).map(p -> {
                try {
                    return Json.read(Files.readAllBytes(p), Delivery.class);
                } catch (IOException e) {
                    return null; // being replaced right now
                }
            }).filter(java.util.Objects::nonNull).toList();
        }
    }

    private static String hmac(String material) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(material.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] pdf() throws IOException {
        return Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
    }

}
