package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /events/gcs makes the hub fetch, move and ingest an object into someone's account, so only the configured
 * Pub/Sub push subscription may post it: its OIDC token is verified (signature by a key of GCS_EVENTS_JWKS, issuer,
 * audience, service account), or the shared GCS_EVENTS_TOKEN; only GCS_EVENTS_BUCKETS are taken; and nothing of the
 * body is read before the caller is known.
 */
class GcsEventsTrustTest {

    private static final String AUDIENCE = "https://hub.example/events/gcs";
    private static final String PUSHER = "pubsub-push@project.iam.gserviceaccount.com";
    private static final String VICTIM = "victim@example.org";

    @TempDir
    static Path storage;

    static HubServer hub;
    static final Storage gcs = LocalStorageHelper.customOptions(false).getService();
    static KeyPair google;
    static KeyPair forger;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        google = generator.generateKeyPair();
        forger = generator.generateKeyPair();
        Path jwks = storage.resolve("jwks.json");
        RSAPublicKey key = (RSAPublicKey) google.getPublic();
        Files.writeString(jwks, Json.string(Map.of("keys", List.of(Map.of("kty", "RSA", "alg", "RS256", "use", "sig",
                "kid", "k1", "n", b64(unsigned(key.getModulus())), "e", b64(unsigned(key.getPublicExponent())))))));
        hub = HubServer.start(storage.resolve("hub"), Map.of("GCS_EVENTS", "true", "DROP_FOLDER", "",
                        "GCS_EVENTS_AUDIENCE", AUDIENCE, "GCS_EVENTS_SERVICE_ACCOUNT", PUSHER,
                        "GCS_EVENTS_JWKS", jwks.toString(), "GCS_EVENTS_BUCKETS", "in"),
                Map.of(HubConfiguration.GCS_CLIENT, gcs));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void anUnsignedOrForgedEventIsRefusedAndNothingIsTaken() throws Exception {
        Blob blob = seed("in", "incoming/" + VICTIM + "/planted.pdf");
        String event = pubSubPush(blob);
        assertThat(post(event, Map.of()).statusCode()).isEqualTo(401);
        assertThat(post(event, Map.of("Authorization", "Bearer " + jwt(forger, claims(PUSHER, AUDIENCE)))).statusCode())
                .isEqualTo(401);
        assertThat(post(event, Map.of("Authorization", "Bearer " + jwt(google, claims(PUSHER, "https://other.example"))))
                .statusCode()).isEqualTo(401);
        Map<String, Object> expired = claims(PUSHER, AUDIENCE);
        expired.put("exp", Instant.now().minusSeconds(3600).getEpochSecond());
        assertThat(post(event, Map.of("Authorization", "Bearer " + jwt(google, expired))).statusCode()).isEqualTo(401);
        HttpResponse<String> someoneElse = post(event, Map.of("Authorization", "Bearer "
                + jwt(google, claims("attacker@project.iam.gserviceaccount.com", AUDIENCE))));
        assertThat(someoneElse.statusCode()).isEqualTo(403);
        assertThat(post(event, Map.of("X-Gnosis-Events-Token", "guess")).statusCode()).isEqualTo(401);

        assertThat(gcs.get(blob.getBlobId())).as("the planted object is still where it was").isNotNull();
        assertThat(storage.resolve("hub/users/" + UserIdentity.hashOf(VICTIM))).doesNotExist();
    }

    @Test
    void aSignedEventOfAnotherBucketIsRefusedAndOfTheConfiguredBucketTaken() throws Exception {
        String token = jwt(google, claims(PUSHER, AUDIENCE));
        Blob elsewhere = seed("not-mine", "incoming/" + VICTIM + "/x.pdf");
        HttpResponse<String> refused = post(pubSubPush(elsewhere), Map.of("Authorization", "Bearer " + token));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(refused.body()).get("detail").asText()).startsWith("bucket_not_allowed:");

        var done = hub.documentsDone(1);
        Blob mine = seed("in", "incoming/owner@example.org/doc.pdf");
        HttpResponse<String> taken = post(pubSubPush(mine), Map.of("Authorization", "Bearer " + token));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
        HubServer.await(done);
        assertThat(storage.resolve("hub/users/" + UserIdentity.hashOf("owner@example.org"))).isDirectory();
    }

    @Test
    void aLoopingTiffInTheBucketIsRefusedWithItsReason() throws Exception {
        Path tiff = Files.write(storage.resolve("loop.tif"), HostileFiles.twoDirectoriesInALoop());
        Blob loop = gcs.createFrom(BlobInfo.newBuilder("in", "incoming/tim@example.org/loop.tif")
                .setContentType("image/tiff").build(), tiff);
        String token = jwt(google, claims(PUSHER, AUDIENCE));
        assertThat(post(pubSubPush(loop), Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(202);
        await("the looping TIFF to move to failed/").atMost(java.time.Duration.ofSeconds(30)).until(() -> gcs.get(com.google.cloud.storage.BlobId.of("in", "failed/tim@example.org/loop.error.txt")) != null);
        List<String> failed = new ArrayList<>();
        gcs.list("in", Storage.BlobListOption.prefix("failed/tim@example.org/")).iterateAll()
                .forEach(b -> failed.add(b.getName()));
        assertThat(failed).contains("failed/tim@example.org/loop.tif");
        assertThat(storage.resolve("hub/users/" + UserIdentity.hashOf("tim@example.org"))).doesNotExist();
    }

    @Test
    void anUnauthenticatedCallerIsAnsweredBeforeItsBodyIsRead() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket socket = new Socket("localhost", hub.uri("/").getPort());
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                // declares 95 MB and sends none of it: the answer comes from the headers alone
                out.write(("POST /events/gcs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 99614720\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sockets.add(socket);
            }
            for (Socket socket : sockets) {
                assertThat(statusLine(socket.getInputStream())).contains(" 401");
            }
        } finally {
            for (Socket socket : sockets) socket.close();
        }
        // a signed caller's oversized body is refused too (events are small)
        HttpResponse<String> big = post("{\"message\":{\"data\":\"" + "A".repeat(200_000) + "\"}}",
                Map.of("Authorization", "Bearer " + jwt(google, claims(PUSHER, AUDIENCE))));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(hub.get("/health", null).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        return hub.post("/events/gcs", null, HttpRequest.BodyPublishers.ofString(body), "application/json", headers);
    }

    private static Blob seed(String bucket, String name) throws Exception {
        return gcs.createFrom(BlobInfo.newBuilder(bucket, name).setContentType("application/pdf").build(),
                Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
    }

    private static Map<String, Object> claims(String email, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        claims.put("iss", "https://accounts.google.com");
        claims.put("aud", audience);
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put("sub", "1234567890");
        return claims;
    }

    /** An RS256 JWT as Pub/Sub push sends it, signed with the given key. */
    private static String jwt(KeyPair key, Map<String, Object> claims) throws Exception {
        String signed = b64(Json.string(Map.of("alg", "RS256", "kid", "k1", "typ", "JWT")).getBytes(StandardCharsets.UTF_8))
                + "." + b64(Json.string(claims).getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key.getPrivate());
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64(signature.sign());
    }

    private static String pubSubPush(Blob blob) {
        Map<String, Object> message = Map.of("attributes", Map.of("eventType", "OBJECT_FINALIZE",
                "bucketId", blob.getBucket(), "objectId", blob.getName(),
                "objectGeneration", String.valueOf(blob.getGeneration())), "messageId", "1");
        return Json.string(Map.of("message", message, "subscription", "projects/p/subscriptions/s"));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
        return line.toString();
    }
}
