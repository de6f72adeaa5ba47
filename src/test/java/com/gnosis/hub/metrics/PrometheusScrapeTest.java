package com.gnosis.hub.metrics;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus server (Debian's package, run as a child process) scrapes a running hub: the target is up
 * and a hub metric queried from Prometheus has moved. Skipped, saying why, where the package is not installed.
 */
class PrometheusScrapeTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @TempDir
    Path storage;

    @TempDir
    Path prometheusData;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusScrapesTheHubAndSeesADocumentCompleted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                "the real-server scrape needs Debian's Prometheus: apt-get install -y --no-install-recommends prometheus");
        try (HubServer hub = HubServer.start(storage, Map.of("OCR_PDF_TEXT", "always", "DROP_FOLDER", ""))) {
            var done = hub.documentsDone(1);
            assertThat(hub.upload("ola@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf")).statusCode()).isEqualTo(200);
            HubServer.await(done);

            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path config = prometheusData.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: hub
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(hub.uri("/").getAuthority()));
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + prometheusData.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(prometheusData.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + port + "/api/v1/";
                await("Prometheus scraping the hub").atMost(Duration.ofSeconds(60)).until(() -> {
                    if (!prometheus.isAlive()) {
                        throw new AssertionError("Prometheus ended: " + Files.readString(prometheusData.resolve("prometheus.log")));
                    }
                    try {
                        // Prometheus answers 503 "Service Unavailable" (not JSON) until its storage is open
                        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).GET().build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) return false;
                        return "1".equals(value(api, "up{job=\"hub\"}"));
                    } catch (java.net.ConnectException e) {
                        return false; // not listening yet
                    }
                });
                JsonNode targets = get(api + "targets").get("data").get("activeTargets");
                assertThat(targets).hasSize(1);
                assertThat(targets.get(0).get("health").asText()).isEqualTo("up");
                assertThat(targets.get(0).get("lastError").asText()).isEmpty();
                assertThat(value(api, "gnosis_documents_total{status=\"completed\"}")).isEqualTo("1");
                assertThat(value(api, "gnosis_pages_read_total{source=\"text-layer\",outcome=\"ok\"}")).isEqualTo("1");
                assertThat(value(api, "sum(camel_exchanges_total{routeId=\"upload-api-upload\"})")).isEqualTo("1");
                assertThat(value(api, "histogram_quantile(0.5, sum by (le) (gnosis_page_read_seconds_bucket))")).isNotNull();
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
            }
        }
    }

    /** The value of an instant query's first series, or null when it has none. */
    private String value(String api, String query) throws Exception {
        JsonNode result = get(api + "query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).get("data").get("result");
        return result.isEmpty() ? null : result.get(0).get("value").get(1).asText();
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }
}
