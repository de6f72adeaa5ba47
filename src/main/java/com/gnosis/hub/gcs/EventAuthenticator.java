package com.gnosis.hub.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may post bucket events: POST /events/gcs makes the hub's service account fetch, move and ingest the object
 * it names, so a caller must prove it is the configured Pub/Sub push subscription. Either
 * <ul>
 *   <li>a Pub/Sub push OIDC token ({@code Authorization: Bearer JWT}): RS256-signed by a key of the JWKS
 *       ({@code GCS_EVENTS_JWKS}, Google's certificates by default), issuer accounts.google.com, audience
 *       {@code GCS_EVENTS_AUDIENCE}, e-mail {@code GCS_EVENTS_SERVICE_ACCOUNT} (verified), not expired; or</li>
 *   <li>the shared secret {@code GCS_EVENTS_TOKEN} as query parameter {@code token} (a push endpoint URL can carry
 *       it) or header {@value #TOKEN_HEADER}, compared in constant time.</li>
 * </ul>
 * With neither configured every event is refused: the endpoint is never open by default.
 */
public final class EventAuthenticator {

    public static final String TOKEN_HEADER = "X-Gnosis-Events-Token";
    public static final String GOOGLE_JWKS = "https://www.googleapis.com/oauth2/v3/certs";
    private static final Set<String> ISSUERS = Set.of("accounts.google.com", "https://accounts.google.com");
    private static final Duration SKEW = Duration.ofMinutes(2);
    private static final Duration REFETCH = Duration.ofMinutes(1);

    /** Why a caller is refused: 401 (no or bad credentials) or 403 (valid, but not the one configured). */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() { return status; }
    }

    private final byte[] tokenDigest;
    private final String audience;
    private final String serviceAccount;
    private final String jwks;
    private final Clock clock;
    private Map<String, PublicKey> keys = Map.of();
    private Instant fetched = Instant.EPOCH;

    /**
     * @param token          the shared secret, or null
     * @param audience       the OIDC audience, or null for no OIDC
     * @param serviceAccount the push subscription's service-account e-mail (required with an audience)
     * @param jwks           an http(s) URL or a file of the signing keys (JWKS JSON)
     */
    public EventAuthenticator(String token, String audience, String serviceAccount, String jwks, Clock clock) {
        if (audience != null && serviceAccount == null) {
            throw new IllegalStateException("GCS_EVENTS_AUDIENCE is set but GCS_EVENTS_SERVICE_ACCOUNT is not: "
                    + "name the service account of the Pub/Sub push subscription.");
        }
        this.tokenDigest = token == null ? null : sha256(token);
        this.audience = audience;
        this.serviceAccount = serviceAccount == null ? null : serviceAccount.trim().toLowerCase(Locale.ROOT);
        this.jwks = jwks == null ? GOOGLE_JWKS : jwks;
        this.clock = clock;
    }

    public boolean configured() {
        return tokenDigest != null || audience != null;
    }

    /**
     * Checks the caller of an event from its headers alone (before any body is read).
     *
     * @param header a request header (or query parameter, as platform-http gives them) by name, null when absent
     */
    public void check(Function<String, String> header) throws Refused {
        if (!configured()) {
            throw new Refused(401, "Bucket events are not accepted: the hub has neither GCS_EVENTS_TOKEN nor "
                    + "GCS_EVENTS_AUDIENCE configured.");
        }
        String token = header.apply(TOKEN_HEADER);
        if (token == null) token = header.apply("token");
        if (tokenDigest != null && token != null) {
            if (MessageDigest.isEqual(tokenDigest, sha256(token))) return;
            throw new Refused(401, "The events token is wrong.");
        }
        String authorization = header.apply("Authorization");
        if (audience != null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            verify(authorization.substring(7).trim());
            return;
        }
        throw new Refused(401, "A bucket event must carry its Pub/Sub push token (Authorization: Bearer) or the "
                + "events token (?token=).");
    }

    private void verify(String jwt) throws Refused {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) throw new Refused(401, "The bearer token is not a signed JWT.");
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        if (!"RS256".equals(header.path("alg").asText())) throw new Refused(401, "The token is not signed with RS256.");
        PublicKey key = key(header.path("kid").asText(""));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new Refused(401, "The token's signature does not verify.");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Refused(401, "The token's signature does not verify.");
        }
        Instant now = clock.instant();
        if (!ISSUERS.contains(claims.path("iss").asText())) throw new Refused(401, "The token was not issued by Google.");
        if (!claims.has("exp") || Instant.ofEpochSecond(claims.path("exp").asLong()).isBefore(now.minus(SKEW))) {
            throw new Refused(401, "The token has expired.");
        }
        if (claims.has("iat") && Instant.ofEpochSecond(claims.path("iat").asLong()).isAfter(now.plus(SKEW))) {
            throw new Refused(401, "The token is issued in the future.");
        }
        JsonNode aud = claims.path("aud");
        boolean forUs = aud.isArray() ? java.util.stream.StreamSupport.stream(aud.spliterator(), false)
                .anyMatch(a -> audience.equals(a.asText())) : audience.equals(aud.asText());
        if (!forUs) throw new Refused(401, "The token is meant for another audience.");
        if (!serviceAccount.equals(claims.path("email").asText("").toLowerCase(Locale.ROOT))
                || !claims.path("email_verified").asBoolean(false)) {
            throw new Refused(403, "The token is not from the configured push service account (GCS_EVENTS_SERVICE_ACCOUNT).");
        }
    }

    /** The signing key by id; the key set is fetched again (at most once a minute) when an id is not known. */
    private synchronized PublicKey key(String kid) throws Refused {
        PublicKey key = keys.get(kid);
        if (key == null && Duration.between(fetched, clock.instant()).compareTo(REFETCH) > 0) {
            fetched = clock.instant();
            try {
                keys = parseKeys(load());
            } catch (IOException | RuntimeException | GeneralSecurityException e) {
                throw new Refused(401, "The signing keys (GCS_EVENTS_JWKS) cannot be read: " + e.getMessage());
            }
            key = keys.get(kid);
        }
        if (key == null) throw new Refused(401, "The token is signed by an unknown key.");
        return key;
    }

    private byte[] load() throws IOException {
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try {
                HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(jwks))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (answer.statusCode() != 200) throw new IOException(jwks + " answered " + answer.statusCode());
                return answer.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return Files.readAllBytes(Path.of(jwks));
    }

    static Map<String, PublicKey> parseKeys(byte[] jwks) throws IOException, GeneralSecurityException {
        Map<String, PublicKey> parsed = new HashMap<>();
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        for (JsonNode key : Json.MAPPER.readTree(jwks).path("keys")) {
            if (!"RSA".equals(key.path("kty").asText())) continue;
            BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asText()));
            BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asText()));
            parsed.put(key.path("kid").asText(""), rsa.generatePublic(new RSAPublicKeySpec(n, e)));
        }
        return parsed;
    }

    private static JsonNode json(String base64url) throws Refused {
        try {
            JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(base64url));
            if (node == null || !node.isObject()) throw new Refused(401, "The bearer token is not a JWT.");
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused(401, "The bearer token is not a JWT.");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
