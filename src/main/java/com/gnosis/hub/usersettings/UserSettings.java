package com.gnosis.hub.usersettings;

import com.gnosis.hub.identity.UserIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-user settings an operator writes down: lines {@code EMAIL name=value ...} in USER_SETTINGS_FILE, and the
 * {@code name=value} words after {@code KEY EMAIL} in API_KEYS_FILE (the settings file wins where both name a
 * value). The names: {@code callback_url} (the user's default webhook) and {@code quota_pages_queued},
 * {@code quota_pages_per_day}, {@code quota_bytes_stored} (overriding QUOTA_*). Read once at start.
 */
public final class UserSettings {

    public static final String CALLBACK_URL = "callback_url";
    public static final String QUOTA_PAGES_QUEUED = "quota_pages_queued";
    public static final String QUOTA_PAGES_PER_DAY = "quota_pages_per_day";
    public static final String QUOTA_BYTES_STORED = "quota_bytes_stored";
    private static final Set<String> NAMES = Set.of(CALLBACK_URL, QUOTA_PAGES_QUEUED, QUOTA_PAGES_PER_DAY,
            QUOTA_BYTES_STORED);

    public static final UserSettings NONE = new UserSettings(Map.of());

    /** user_hash -> name -> value */
    private final Map<String, Map<String, String>> byUser;

    private UserSettings(Map<String, Map<String, String>> byUser) {
        this.byUser = byUser;
    }

    /** From the two files, either of which may be null. */
    public static UserSettings read(Path settingsFile, Path apiKeysFile) throws IOException {
        Map<String, Map<String, String>> byUser = new HashMap<>();
        if (apiKeysFile != null) parse(apiKeysFile, 1, "API_KEYS_FILE", byUser);
        if (settingsFile != null) parse(settingsFile, 0, "USER_SETTINGS_FILE", byUser);
        return new UserSettings(byUser);
    }

    /** @param emailAt the word that holds the e-mail (0 in the settings file, 1 after the key) */
    private static void parse(Path file, int emailAt, String setting, Map<String, Map<String, String>> byUser)
            throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] words = line.split("\\s+");
            if (words.length <= emailAt || !UserIdentity.looksLikeEmail(words[emailAt])) {
                throw new IllegalStateException(setting + " line " + (i + 1) + " does not name an e-mail where expected");
            }
            Map<String, String> values = byUser.computeIfAbsent(UserIdentity.hashOf(words[emailAt]), h -> new HashMap<>());
            for (int w = emailAt + 1; w < words.length; w++) {
                int equals = words[w].indexOf('=');
                String name = equals < 0 ? words[w] : words[w].substring(0, equals).toLowerCase(Locale.ROOT);
                if (equals < 0 || !NAMES.contains(name)) {
                    throw new IllegalStateException(setting + " line " + (i + 1) + ": '" + words[w]
                            + "' is not one of " + String.join("=, ", NAMES.stream().sorted().toList()) + "=");
                }
                values.put(name, words[w].substring(equals + 1));
            }
        }
    }

    /** A setting of the user, if the files name one. */
    public Optional<String> get(UserIdentity user, String name) {
        return Optional.ofNullable(byUser.getOrDefault(user.hash(), Map.of()).get(name));
    }

    /** Every user's value of one setting, by user_hash (checking them all at start). */
    public Map<String, String> all(String name) {
        Map<String, String> values = new HashMap<>();
        byUser.forEach((hash, settings) -> {
            if (settings.containsKey(name)) values.put(hash, settings.get(name));
        });
        return values;
    }
}
