package com.gnosis.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three AUTH_MODEs, including a caller who claims someone else's e-mail. */
class AuthModesTest {

    private static final Path PDF = Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path storage;

    @Test
    void apiKeyDecidesTheUserAndTheUserHeaderIsIgnored() throws Exception {
        Path keys = Files.writeString(storage.resolve("keys.txt"),
                "# key email\nk-alice-123 alice@example.org\nk-bob-456 Bob@Example.org\n");
        try (HubServer hub = HubServer.start(storage.resolve("hub"), Map.of("AUTH_MODE", "api-key",
                "API_KEYS_FILE", keys.toString(), "DROP_FOLDER", ""))) {
            HttpResponse<String> claimed = upload(hub, Map.of("Authorization", "Bearer k-alice-123",
                    "X-User-Email", "bob@example.org"));
            assertThat(claimed.statusCode()).isEqualTo(200);
            String id = Json.MAPPER.readTree(claimed.body()).get("session_hash").asText();
            assertThat(storage.resolve("hub/users/" + UserIdentity.hashOf("alice@example.org") + "/" + id)).exists();

            assertThat(get(hub, "/status/" + id, Map.of("Authorization", "Bearer k-alice-123")).statusCode()).isEqualTo(200);
            assertThat(get(hub, "/status/" + id, Map.of("Authorization", "Bearer k-bob-456",
                    "X-User-Email", "alice@example.org")).statusCode()).isEqualTo(404);

            HttpResponse<String> none = get(hub, "/sessions", Map.of("X-User-Email", "alice@example.org"));
            assertThat(none.statusCode()).isEqualTo(401);
            JsonNode error = Json.MAPPER.readTree(none.body());
            assertThat(error.get("error").asText()).isEqualTo("unauthorized");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(get(hub, "/sessions", Map.of("Authorization", "Bearer k-alice-12")).statusCode()).isEqualTo(401);
            assertThat(upload(hub, Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
            assertThat(get(hub, "/sessions", Map.of("Authorization", "Bearer k-bob-456")).body()).doesNotContain(id);
        }
        assertThat(Files.readString(storage.resolve("keys.txt"))).contains("k-alice-123"); // never rewritten
    }

    @Test
    void iapHeaderDecidesTheUserAndARequestWithoutItIsRefused() throws Exception {
        try (HubServer hub = HubServer.start(storage, Map.of("AUTH_MODE", "iap", "DROP_FOLDER", ""))) {
            HttpResponse<String> upload = upload(hub, Map.of("X-Goog-Authenticated-User-Email",
                    "accounts.google.com:Carol@Example.org", "X-User-Email", "dave@example.org"));
            assertThat(upload.statusCode()).isEqualTo(200);
            String id = Json.MAPPER.readTree(upload.body()).get("session_hash").asText();
            assertThat(storage.resolve("users/" + UserIdentity.hashOf("carol@example.org") + "/" + id)).exists();
            assertThat(get(hub, "/status/" + id, Map.of("X-User-Email", "carol@example.org")).statusCode()).isEqualTo(401);
            assertThat(get(hub, "/status/" + id, Map.of("X-Goog-Authenticated-User-Email",
                    "accounts.google.com:dave@example.org")).statusCode()).isEqualTo(404);
            assertThat(get(hub, "/status/" + id, Map.of("X-Goog-Authenticated-User-Email",
                    "accounts.google.com:carol@example.org")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void headerModeTrustsTheHeader() throws Exception {
        try (HubServer hub = HubServer.start(storage, Map.of("DROP_FOLDER", ""))) {
            String id = Json.MAPPER.readTree(upload(hub, Map.of("X-User-Email", "erin@example.org")).body())
                    .get("session_hash").asText();
            assertThat(get(hub, "/status/" + id, Map.of("X-User-Email", "Erin@Example.org ")).statusCode()).isEqualTo(200);
            assertThat(get(hub, "/status/" + id, Map.of()).statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> upload(HubServer hub, Map<String, String> headers) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n").getBytes();
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(java.util.List.of(head, Files.readAllBytes(PDF), tail)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HubServer hub, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri(path)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
