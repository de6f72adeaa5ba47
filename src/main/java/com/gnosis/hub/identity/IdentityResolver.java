package com.gnosis.hub.identity;

import com.gnosis.hub.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Finds the user of a request, as AUTH_MODE says:
 * <ul>
 * <li>{@code header} (default, a trusted network): the e-mail in USER_HEADER; none means anonymous;</li>
 * <li>{@code api-key}: {@code Authorization: Bearer KEY}, looked up in API_KEYS_FILE (lines {@code KEY EMAIL});
 *     the key decides the user and USER_HEADER is ignored; a missing or unknown key is refused;</li>
 * <li>{@code iap}: Cloud Run / Identity-Aware Proxy's {@code X-Goog-Authenticated-User-Email:
 *     accounts.google.com:EMAIL}; a request without it is refused.</li>
 * </ul>
 * Keys are kept only as SHA-256 digests and compared in constant time; they are never logged.
 */
public final class IdentityResolver {

    public enum Mode { HEADER, API_KEY, IAP }

    public static final String IAP_HEADER = "X-Goog-Authenticated-User-Email";

    private record Key(byte[] digest, String email) {
    }

    private final Mode mode;
    private final String userHeader;
    private final List<Key> keys;

    private IdentityResolver(Mode mode, String userHeader, List<Key> keys) {
        this.mode = mode;
        this.userHeader = userHeader;
        this.keys = keys;
    }

    /** The default mode: trust the user header. */
    public IdentityResolver(String userHeader) {
        this(Mode.HEADER, userHeader, List.of());
    }

    /** From AUTH_MODE (header, api-key, iap), USER_HEADER and, for api-key, API_KEYS_FILE. */
    public static IdentityResolver of(String mode, String userHeader, Path apiKeysFile) throws IOException {
        switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "header":
                return new IdentityResolver(userHeader);
            case "iap":
                return new IdentityResolver(Mode.IAP, userHeader, List.of());
            case "api-key":
                if (apiKeysFile == null) {
                    throw new IllegalStateException("AUTH_MODE=api-key needs API_KEYS_FILE (lines 'KEY EMAIL').");
                }
                return new IdentityResolver(Mode.API_KEY, userHeader, readKeys(apiKeysFile));
            default:
                throw new IllegalArgumentException("AUTH_MODE must be header, api-key or iap, not '" + mode + "'");
        }
    }

    /** @param header looks up a request header by name (case-insensitive), null when absent */
    public UserIdentity resolve(Function<String, String> header) {
        return switch (mode) {
            case HEADER -> {
                String email = header.apply(userHeader);
                yield email == null || email.isBlank() ? UserIdentity.anonymous() : UserIdentity.of(email);
            }
            case API_KEY -> fromKey(header.apply("Authorization"));
            case IAP -> fromIap(header.apply(IAP_HEADER));
        };
    }

    public Mode mode() {
        return mode;
    }

    public String userHeader() {
        return userHeader;
    }

    private UserIdentity fromKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("An API key is required: send 'Authorization: Bearer KEY'.");
        }
        byte[] candidate = sha256(authorization.substring(7).trim());
        String match = null;
        for (Key key : keys) { // every key is compared, so the time does not tell which one was close
            if (MessageDigest.isEqual(key.digest(), candidate) && match == null) match = key.email();
        }
        if (match == null) throw new UnauthorizedException("The API key is not known.");
        return UserIdentity.of(match);
    }

    private static UserIdentity fromIap(String value) {
        if (value == null || value.isBlank()) {
            throw new UnauthorizedException("The request did not come through Identity-Aware Proxy (no " + IAP_HEADER + ").");
        }
        String email = value.contains(":") ? value.substring(value.indexOf(':') + 1) : value;
        if (!email.contains("@")) throw new UnauthorizedException(IAP_HEADER + " holds no e-mail.");
        return UserIdentity.of(email);
    }

    private static List<Key> readKeys(Path file) throws IOException {
        List<Key> keys = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            String[] parts = trimmed.split("\\s+");
            // KEY EMAIL, then optionally the user's name=value settings (read by UserSettings)
            if (parts.length < 2 || !parts[1].contains("@")
                    || java.util.Arrays.stream(parts, 2, parts.length).anyMatch(p -> !p.contains("="))) {
                throw new IllegalStateException("API_KEYS_FILE line " + lineNumber + " is not 'KEY EMAIL [name=value ...]'");
            }
            keys.add(new Key(sha256(parts[0]), parts[1]));
        }
        if (keys.isEmpty()) throw new IllegalStateException("API_KEYS_FILE " + file + " holds no keys");
        return List.copyOf(keys);
    }

    private static byte[] sha256(String value) {
        return Sha256.of(value);
    }
}
