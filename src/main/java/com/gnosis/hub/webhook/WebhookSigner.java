package com.gnosis.hub.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook body: HMAC-SHA256 with WEBHOOK_SECRET over {@code "{timestamp}.{body}"}, sent as
 * {@code X-Gnosis-Signature: sha256={hex}} beside {@code X-Gnosis-Timestamp: {unix seconds}}. The timestamp is
 * part of what is signed, so a receiver that refuses old timestamps cannot be fed a recorded delivery again.
 */
public final class WebhookSigner {

    public static final String SIGNATURE_HEADER = "X-Gnosis-Signature";
    public static final String TIMESTAMP_HEADER = "X-Gnosis-Timestamp";

    private final byte[] secret;

    public WebhookSigner(String secret) {
        if (secret == null || secret.isBlank()) throw new IllegalArgumentException("a webhook secret is required");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The X-Gnosis-Signature value for a body sent at {@code timestamp} (unix seconds). */
    public String sign(long timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(timestamp + "." + body));
    }

    /** What a receiver does: recompute and compare in constant time. */
    public boolean verify(long timestamp, String body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] hmac(String material) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(material.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
