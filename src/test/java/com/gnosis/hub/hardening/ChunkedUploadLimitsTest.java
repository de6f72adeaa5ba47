package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.HubServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's breaks in the chunked upload, each on a real hub: bodies read before the caller was known (heap
 * exhaustion without credentials), unfinished uploads that piled up, and chunk numbers that wrapped. Chunks are
 * sent under the hub's earlier field name {@code data} (still accepted beside gnosis-ocr's {@code content}), so that
 * each test also runs against the hub before these fixes and fails there for the break it is about.
 */
class ChunkedUploadLimitsTest {

    private static final String ALICE_KEY = "k-alice-0123456789";
    private static final String BOB_KEY = "k-bob-0123456789";
    private static final int ATTACKERS = 24;
    /** Each attacker declares this much and tries to send BODY_TRY of it. */
    private static final long DECLARED = 95L * 1024 * 1024;
    private static final long BODY_TRY = 32L * 1024 * 1024;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void manyUnauthenticatedLargeBodiesAreRefusedUnreadAndLeaveHeapAndHealthAlone(@TempDir Path dir) throws Exception {
        try (HubServer hub = keyedHub(dir, Map.of())) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();

            List<Socket> held = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(ATTACKERS);
            try {
                List<Future<Attack>> attacks = new ArrayList<>();
                for (int i = 0; i < ATTACKERS; i++) {
                    String path = i % 2 == 0 ? "/upload/start" : "/upload/chunk/00000000-0000-4000-8000-00000000000" + (i % 10);
                    attacks.add(pool.submit(() -> attack(hub.uri(path), held)));
                }
                for (Future<Attack> future : attacks) {
                    Attack attack = future.get();
                    // answered at once, before the body, and the connection closed long before the body was all sent
                    assertThat(attack.statusLine()).startsWith("HTTP/1.1 401");
                    assertThat(attack.sent()).isLessThan(BODY_TRY);
                }
                // with every attacker's connection still open on its side, the hub answers and its heap did not grow
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(hub.uri("/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                System.gc();
                long grown = memory.getHeapMemoryUsage().getUsed() - heapBefore;
                assertThat(grown).as("heap growth in bytes").isLessThan(128L * 1024 * 1024);
            } finally {
                pool.shutdownNow();
                synchronized (held) {
                    for (Socket socket : held) socket.close();
                }
            }
            // an authenticated client is served as before
            HttpResponse<String> start = post(hub, "/upload/start", ALICE_KEY,
                    "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":1}");
            assertThat(start.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unfinishedUploadsAreBoundedPerUserListableAndCancellable(@TempDir Path dir) throws Exception {
        try (HubServer hub = keyedHub(dir, Map.of("CHUNKED_UPLOADS_PER_USER", "2"))) {
            String first = startUpload(hub, ALICE_KEY, 2);
            String second = startUpload(hub, ALICE_KEY, 2);
            assertThat(chunk(hub, ALICE_KEY, first, 0).statusCode()).isEqualTo(200);

            HttpResponse<String> third = post(hub, "/upload/start", ALICE_KEY,
                    "{\"filename\":\"c.pdf\",\"total_size\":10,\"total_chunks\":2}");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(Json.MAPPER.readTree(third.body()).get("message").asText()).contains("CHUNKED_UPLOADS_PER_USER");
            // another user has bounds of her own
            startUpload(hub, BOB_KEY, 2);

            JsonNode list = Json.MAPPER.readTree(get(hub, "/uploads", ALICE_KEY).body());
            assertThat(list.get("total").asInt()).isEqualTo(2);
            assertThat(list.get("uploads")).extracting(u -> u.get("session_hash").asText()).containsExactlyInAnyOrder(first, second);
            JsonNode one = Json.MAPPER.readTree(get(hub, "/uploads/" + first, ALICE_KEY).body());
            assertThat(one.get("received_chunks").asInt()).isEqualTo(1);
            assertThat(one.get("missing_chunks")).extracting(JsonNode::asInt).containsExactly(1);
            assertThat(one.get("expires_at").asText()).isNotBlank();

            // only the owner can see or cancel it
            assertThat(get(hub, "/uploads/" + first, BOB_KEY).statusCode()).isEqualTo(404);
            assertThat(delete(hub, "/uploads/" + first, BOB_KEY).statusCode()).isEqualTo(404);
            HttpResponse<String> cancelled = delete(hub, "/uploads/" + first, ALICE_KEY);
            assertThat(cancelled.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(cancelled.body()).get("status").asText()).isEqualTo("cancelled");
            assertThat(dir.resolve("hub/tmp/uploads").resolve(UserIdentity.hashOf("alice@example.org")).resolve(first))
                    .doesNotExist();
            assertThat(chunk(hub, ALICE_KEY, first, 1).statusCode()).isEqualTo(404);
            assertThat(post(hub, "/upload/start", ALICE_KEY,
                    "{\"filename\":\"c.pdf\",\"total_size\":10,\"total_chunks\":2}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUploadWithoutAChunkForItsTtlIsGone(@TempDir Path dir) throws Exception {
        try (HubServer hub = HubServer.start(dir.resolve("hub"), Map.of("CHUNKED_UPLOAD_TTL", "2s", "DROP_FOLDER", ""))) {
            String user = "slow@example.org";
            String id = Json.MAPPER.readTree(hub.postJson("/upload/start", user,
                    "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":2}").body()).get("session_hash").asText();
            assertThat(hub.postJson("/upload/chunk/" + id, user, "{\"chunk_number\":0,\"data\":\"QUJDREU=\"}")
                    .statusCode()).isEqualTo(200);
            Path staged = dir.resolve("hub/tmp/uploads").resolve(UserIdentity.hashOf(user)).resolve(id);
            assertThat(staged).isDirectory();

            await("the idle upload to expire").atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(staged));
            HttpResponse<String> late = hub.postJson("/upload/chunk/" + id, user, "{\"chunk_number\":1,\"data\":\"QUJDREU=\"}");
            assertThat(late.statusCode()).isEqualTo(404);
            assertThat(Json.MAPPER.readTree(late.body()).get("message").asText()).isEqualTo("Upload session not found");
            assertThat(Json.MAPPER.readTree(hub.get("/uploads", user).body()).get("total").asInt()).isZero();
        }
    }

    @Test
    void aRestartRemovesStaleAndInterruptedUploadsAndKeepsFreshOnesToResume(@TempDir Path dir) throws Exception {
        String user = "restart@example.org";
        Path staging = dir.resolve("hub/tmp/uploads").resolve(UserIdentity.hashOf(user));
        byte[] text = "0123456789".getBytes(StandardCharsets.US_ASCII);
        String stale;
        String interrupted;
        String fresh;
        try (HubServer hub = HubServer.start(dir.resolve("hub"), Map.of("DROP_FOLDER", ""))) {
            stale = startAndSendFirstHalf(hub, user, text);
            interrupted = startAndSendFirstHalf(hub, user, text);
            fresh = startAndSendFirstHalf(hub, user, text);
        }
        // the stale one had its last chunk two hours ago (CHUNKED_UPLOAD_TTL is 1h); a stop cut the other's assembly
        Files.setLastModifiedTime(staging.resolve(stale), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Files.createFile(staging.resolve(interrupted).resolve("assembling"));
        Files.writeString(staging.resolve(fresh).resolve(".chunk-123.tmp"), "half-written");

        try (HubServer hub = HubServer.start(dir.resolve("hub"), Map.of("DROP_FOLDER", ""))) {
            assertThat(staging.resolve(stale)).doesNotExist();
            assertThat(staging.resolve(interrupted)).doesNotExist();
            assertThat(staging.resolve(fresh).resolve(".chunk-123.tmp")).doesNotExist();
            // the fresh one goes on where it stopped (its content is refused as no document, which is beside the point)
            HttpResponse<String> last = hub.postJson("/upload/chunk/" + fresh, user,
                    "{\"chunk_number\":1,\"data\":\"" + java.util.Base64.getEncoder().encodeToString(
                            java.util.Arrays.copyOfRange(text, 5, 10)) + "\"}");
            assertThat(last.statusCode()).as(last.body()).isEqualTo(415);
            assertThat(staging.resolve(fresh)).doesNotExist();
            assertThat(hub.postJson("/upload/chunk/" + stale, user, "{\"chunk_number\":1,\"data\":\"QUJD\"}")
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aChunkNumberOfTwoToThe32IsRefusedNotWrappedToChunkZero(@TempDir Path dir) throws Exception {
        try (HubServer hub = HubServer.start(dir.resolve("hub"), Map.of("DROP_FOLDER", ""))) {
            String user = "wrap@example.org";
            String id = Json.MAPPER.readTree(hub.postJson("/upload/start", user,
                    "{\"filename\":\"a.pdf\",\"total_size\":3,\"total_chunks\":1}").body()).get("session_hash").asText();
            for (String number : List.of("4294967296", "4294967297", "-4294967296", "18446744073709551616")) {
                HttpResponse<String> refused = hub.postJson("/upload/chunk/" + id, user,
                        "{\"chunk_number\":" + number + ",\"data\":\"QUJD\"}");
                assertThat(refused.statusCode()).as(number).isEqualTo(400);
                assertThat(Json.MAPPER.readTree(refused.body()).get("message").asText()).as(number)
                        .isEqualTo("chunk_number must be between 0 and 0, not " + number + ".");
            }
            HttpResponse<String> wrappedCount = hub.postJson("/upload/start", user,
                    "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":4294967298}");
            assertThat(wrappedCount.statusCode()).isEqualTo(400);
        }
    }

    // ---- helpers ----

    private static String startAndSendFirstHalf(HubServer hub, String user, byte[] text) throws Exception {
        String id = Json.MAPPER.readTree(hub.postJson("/upload/start", user, "{\"filename\":\"a.pdf\",\"total_size\":"
                + text.length + ",\"total_chunks\":2}").body()).get("session_hash").asText();
        HttpResponse<String> first = hub.postJson("/upload/chunk/" + id, user, "{\"chunk_number\":0,\"data\":\""
                + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(text, 0, 5)) + "\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        return id;
    }

    private static HubServer keyedHub(Path dir, Map<String, String> more) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.txt"),
                ALICE_KEY + " alice@example.org\n" + BOB_KEY + " bob@example.org\n");
        Map<String, String> settings = new java.util.HashMap<>(Map.of("AUTH_MODE", "api-key",
                "API_KEYS_FILE", keys.toString(), "DROP_FOLDER", ""));
        settings.putAll(more);
        return HubServer.start(dir.resolve("hub"), settings);
    }

    record Attack(String statusLine, long sent) {
    }

    /**
     * One raw connection without credentials that declares a 95 MB JSON body: it reads the answer to the headers
     * first (a hub that reads bodies before checking the caller gives none), then tries to push BODY_TRY bytes and
     * counts how many went out before the hub closed the connection. The socket is left open.
     */
    private static Attack attack(URI uri, List<Socket> held) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        synchronized (held) {
            held.add(socket);
        }
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + DECLARED + "\r\n\r\n{\"filename\":\"").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine;
        try {
            statusLine = statusLine(socket.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
            statusLine = "no answer within 15 s";
        }
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) 'A');
        long sent = 0;
        try {
            while (sent < BODY_TRY) {
                out.write(block);
                sent += block.length;
            }
        } catch (IOException closedByTheHub) {
            // expected: the hub dropped what it could not use and closed the connection
        }
        return new Attack(statusLine, sent);
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
        return line.toString().trim();
    }

    private HttpResponse<String> post(HubServer hub, String path, String key, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(hub.uri(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HubServer hub, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(hub.uri(path)).header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(HubServer hub, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(hub.uri(path)).header("Authorization", "Bearer " + key).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String startUpload(HubServer hub, String key, int chunks) throws Exception {
        HttpResponse<String> start = post(hub, "/upload/start", key,
                "{\"filename\":\"a.pdf\",\"total_size\":10,\"total_chunks\":" + chunks + "}");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        return Json.MAPPER.readTree(start.body()).get("session_hash").asText();
    }

    private HttpResponse<String> chunk(HubServer hub, String key, String id, int number) throws Exception {
        return post(hub, "/upload/chunk/" + id, key, "{\"chunk_number\":" + number + ",\"data\":\"QUJDREU=\"}");
    }
}
