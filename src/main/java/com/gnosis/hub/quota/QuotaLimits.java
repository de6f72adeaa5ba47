package com.gnosis.hub.quota;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.usersettings.UserSettings;
import java.util.Locale;
import java.util.function.Function;

/**
 * A user's limits; 0 is no limit. The defaults come from QUOTA_PAGES_QUEUED, QUOTA_PAGES_PER_DAY and
 * QUOTA_BYTES_STORED (all off unless set); a user's own values from {@link UserSettings}.
 */
public record QuotaLimits(long pagesQueued, long pagesPerDay, long bytesStored) {

    public static final QuotaLimits NONE = new QuotaLimits(0, 0, 0);

    public boolean any() {
        return pagesQueued > 0 || pagesPerDay > 0 || bytesStored > 0;
    }

    /** The defaults from the settings (environment names). */
    public static QuotaLimits fromSettings(Function<String, String> setting) {
        return new QuotaLimits(count("QUOTA_PAGES_QUEUED", setting.apply("QUOTA_PAGES_QUEUED")),
                count("QUOTA_PAGES_PER_DAY", setting.apply("QUOTA_PAGES_PER_DAY")),
                bytes("QUOTA_BYTES_STORED", setting.apply("QUOTA_BYTES_STORED")));
    }

    /** These limits with the user's own values where the user settings name some. */
    public QuotaLimits forUser(UserIdentity user, UserSettings settings) {
        return new QuotaLimits(
                settings.get(user, UserSettings.QUOTA_PAGES_QUEUED).map(v -> count(UserSettings.QUOTA_PAGES_QUEUED, v)).orElse(pagesQueued),
                settings.get(user, UserSettings.QUOTA_PAGES_PER_DAY).map(v -> count(UserSettings.QUOTA_PAGES_PER_DAY, v)).orElse(pagesPerDay),
                settings.get(user, UserSettings.QUOTA_BYTES_STORED).map(v -> bytes(UserSettings.QUOTA_BYTES_STORED, v)).orElse(bytesStored));
    }

    static long count(String name, String value) {
        if (value == null || value.isBlank()) return 0;
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number (0 = no limit), not '" + value + "'");
        }
    }

    /** "500000", "200k", "500m", "10g" (powers of 1024). */
    static long bytes(String name, String value) {
        if (value == null || value.isBlank()) return 0;
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) v = v.substring(0, v.length() - 1);
        long unit = 1;
        if (v.endsWith("k")) unit = 1024L;
        else if (v.endsWith("m")) unit = 1024L * 1024;
        else if (v.endsWith("g")) unit = 1024L * 1024 * 1024;
        else if (v.endsWith("t")) unit = 1024L * 1024 * 1024 * 1024;
        if (unit > 1) v = v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be a size like 500m or 10g (0 = no limit), not '" + value + "'");
        }
    }
}
