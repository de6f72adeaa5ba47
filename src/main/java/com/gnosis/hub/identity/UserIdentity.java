package com.gnosis.hub.identity;

import com.gnosis.hub.digest.Sha256;
import java.util.Locale;

/**
 * Who a document belongs to: the e-mail (trimmed, lower-cased) and its {@code user_hash}, the first
 * 12 hex characters of SHA-256 over the e-mail's UTF-8 bytes, which partitions all storage.
 * {@link #toString()} shows only the hash, so an e-mail never reaches a log by accident.
 */
public record UserIdentity(String email, String hash) {

    public static final String ANONYMOUS_EMAIL = "anonymous@gnosis-ocr.local";

    public static UserIdentity of(String email) {
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("an e-mail is required");
        }
        return new UserIdentity(normalised, hashOf(normalised));
    }

    public static UserIdentity anonymous() {
        return of(ANONYMOUS_EMAIL);
    }

    /** The user_hash of an e-mail, normalised as {@link #of(String)} does. */
    public static String hashOf(String email) {
        return Sha256.hex(email.trim().toLowerCase(Locale.ROOT)).substring(0, 12);
    }

    /** Whether a folder or metadata value can name a user: one '@', a dot after it, no spaces or slashes. */
    public static boolean looksLikeEmail(String value) {
        return value != null && EMAIL_SHAPE.matcher(value.trim()).matches();
    }

    private static final java.util.regex.Pattern EMAIL_SHAPE =
            java.util.regex.Pattern.compile("[^@\\s/\\\\]+@[^@\\s/\\\\]+\\.[^@\\s/\\\\]+");

    /** Whether a string has the shape of a user_hash (it can then be used in a storage key). */
    public static boolean isHash(String value) {
        return value != null && HASH_SHAPE.matcher(value).matches();
    }

    private static final java.util.regex.Pattern HASH_SHAPE = java.util.regex.Pattern.compile("[0-9a-f]{12}");

    @Override
    public String toString() {
        return "user " + hash;
    }
}
