package com.gnosis.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a page on another site can make a visitor's browser do to the hub: its simple POSTs (a form's multipart,
 * a text/plain body) are refused unless they carry the hub page's own header; its WebSocket is refused. Every
 * answer says nosniff, and a path nothing serves answers the JSON error.
 */
class BrowserBoundaryTest {

    private static final String USER = "vera@example.org";
    private static final String EVIL = "https://evil.example";

    @TempDir
    static Path storage;

    static HubServer hub;

    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("DROP_FOLDER", "", "OCR_PDF_TEXT", "always"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aCrossSiteFormUploadWithoutThePagesHeaderIsRefused() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
        HttpResponse<String> refused = upload(pdf, Map.of("Origin", EVIL));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused).get("detail").asText()).startsWith("cross_site_request:");
        HttpResponse<String> fetchMetadataOnly = upload(pdf, Map.of("Sec-Fetch-Site", "cross-site"));
        assertThat(fetchMetadataOnly.statusCode()).as(fetchMetadataOnly.body()).isEqualTo(403);
        assertThat(json(hub.get("/sessions", USER)).get("total").asInt()).isZero();

        // the hub's own page (its header, or its own origin) and clients that are no browser are served
        assertThat(upload(pdf, Map.of("Origin", EVIL, "X-Gnosis-Client", "page")).statusCode()).isEqualTo(200);
        assertThat(upload(pdf, Map.of("Origin", hub.uri("").toString().replaceAll("/$", ""))).statusCode()).isEqualTo(200);
        assertThat(upload(pdf, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void aCrossSiteTextPlainChunkedStartIsRefused() throws Exception {
        String start = "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":1}";
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(hub.uri("/upload/start"))
                .header("X-User-Email", USER).header("Origin", EVIL).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(start)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        HttpResponse<String> json = hub.post("/upload/start", USER, HttpRequest.BodyPublishers.ofString(start),
                "application/json", Map.of("Origin", EVIL));
        assertThat(json.statusCode()).as("a JSON body needs a CORS preflight, which the hub never grants")
                .isNotEqualTo(403);
    }

    @Test
    void aWebSocketFromAnotherSiteIsRefused() throws Exception {
        WebSocket.Listener listener = new WebSocket.Listener() { };
        try {
            http.newWebSocketBuilder().header("Origin", EVIL)
                    .buildAsync(URI("ws", "/ws/progress/" + UUID.randomUUID() + "?user=" + USER), listener)
                    .get(10, TimeUnit.SECONDS).abort();
            throw new AssertionError("the cross-site WebSocket was accepted");
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertThat(((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(403);
        }
        // the same socket from the hub's own page (its origin), or from a client that is no browser, is served
        String wes = "wes@example.org";
        HttpResponse<String> upload = hub.upload(wes, Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
        String session = json(upload).get("session_hash").asText();
        String own = "http://localhost:" + hub.uri("/").getPort();
        http.newWebSocketBuilder().header("Origin", own)
                .buildAsync(URI("ws", "/ws/progress/" + session + "?user=" + wes), listener)
                .get(10, TimeUnit.SECONDS).abort();
        http.newWebSocketBuilder().buildAsync(URI("ws", "/ws/progress/" + session + "?user=" + wes), listener)
                .get(10, TimeUnit.SECONDS).abort();
    }

    @Test
    void anUnmatchedRouteAnswersTheJsonError() throws Exception {
        for (String path : List.of("/no/such/thing", "/upload/nothing/here", "/web/../../etc/passwd")) {
            HttpResponse<String> answer = hub.get(path, USER);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(json(answer).get("error").asText()).isEqualTo("not_found");
        }
        HttpResponse<String> wrongMethod = hub.get("/upload", USER);
        assertThat(wrongMethod.statusCode()).isIn(404, 405);
        assertThat(json(wrongMethod).get("message").asText()).isNotBlank();
    }

    @Test
    void everyAnswerSaysNosniff() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(hub.get("/health", null));
        answers.add(hub.get("/", null));
        answers.add(hub.get("/web/app.js", null));
        answers.add(hub.get("/no/such/thing", null));
        answers.add(hub.get("/status/" + UUID.randomUUID(), USER));
        answers.add(hub.upload(USER, "file", "x.pdf", "not a pdf".getBytes(StandardCharsets.UTF_8)));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri().toString())
                    .hasValue("nosniff");
        }
    }

    private static java.net.URI URI(String scheme, String path) {
        return java.net.URI.create(scheme + "://localhost:" + hub.uri("/").getPort() + path);
    }

    private static HttpResponse<String> upload(byte[] content, Map<String, String> headers) throws Exception {
        String boundary = "----x" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return hub.post("/upload", USER, HttpRequest.BodyPublishers.ofByteArrays(List.of(head, content, tail)),
                "multipart/form-data; boundary=" + boundary, headers);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
