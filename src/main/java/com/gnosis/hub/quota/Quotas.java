package com.gnosis.hub.quota;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.usersettings.UserSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Per-user limits on pages queued, pages taken per (UTC) day and bytes stored. A user at or over a limit is
 * refused until below it; the document that crosses a limit is still taken, so a limit is passed by at most
 * one document (the same rule as MAX_QUEUED_PAGES). What counts is read from storage, so every hub process
 * sharing it agrees: queued pages from the user's unfinished sessions, bytes from their stored originals, and
 * pages per day from a small ledger ({@code quota/{user_hash}/pages-{date}}) that deleting a session does not
 * give back.
 */
public final class Quotas {

    private final SessionStore sessions;
    private final QuotaLimits defaults;
    private final UserSettings overrides;
    private final Clock clock;
    private final Duration sessionTtl;

    /** @param sessionTtl SESSION_TTL, or null: tells a user over bytes_stored when space frees itself */
    public Quotas(SessionStore sessions, QuotaLimits defaults, UserSettings overrides, Clock clock, Duration sessionTtl) {
        this.sessions = sessions;
        this.defaults = defaults;
        this.overrides = overrides;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
    }

    /** Whether any user has a limit: a default is set, or a user's own value. */
    public boolean any() {
        return defaults.any() || !overrides.all(UserSettings.QUOTA_PAGES_QUEUED).isEmpty()
                || !overrides.all(UserSettings.QUOTA_PAGES_PER_DAY).isEmpty()
                || !overrides.all(UserSettings.QUOTA_BYTES_STORED).isEmpty();
    }

    public QuotaLimits limits(UserIdentity user) {
        return defaults.forUser(user, overrides);
    }

    /** Why the user may not send a document now, or empty. */
    public Optional<QuotaExceededException> refusal(UserIdentity user) throws IOException {
        QuotaLimits limits = limits(user);
        if (!limits.any()) return Optional.empty();
        Instant now = clock.instant();
        if (limits.pagesPerDay() > 0) {
            long today = pagesToday(user);
            if (today >= limits.pagesPerDay()) {
                long untilMidnight = Duration.between(now, LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds() + 1;
                return Optional.of(new QuotaExceededException("pages_per_day", limits.pagesPerDay(), today,
                        "Quota reached: " + today + " pages taken today (UTC) of " + limits.pagesPerDay()
                                + " allowed per day; the count starts again at midnight UTC.", untilMidnight));
            }
        }
        if (limits.pagesQueued() <= 0 && limits.bytesStored() <= 0) return Optional.empty();
        long queued = 0;
        long bytes = 0;
        Instant oldest = null;
        for (SessionStore.Summary session : sessions.list(user)) {
            SessionStatus status = session.status();
            if (!status.finished()) queued += Math.max(0, status.totalPages() - status.pagesDone());
            bytes += Math.max(0, session.metadata().fileSize());
            Instant created = Instant.parse(session.metadata().createdAt());
            if (oldest == null || created.isBefore(oldest)) oldest = created;
        }
        if (limits.pagesQueued() > 0 && queued >= limits.pagesQueued()) {
            // about a second per page over the limit: rough, as MAX_QUEUED_PAGES's hint is
            long seconds = Math.max(10, Math.min(600, queued - limits.pagesQueued() + 1));
            return Optional.of(new QuotaExceededException("pages_queued", limits.pagesQueued(), queued,
                    "Quota reached: " + queued + " of your pages are waiting to be read, and " + limits.pagesQueued()
                            + " may wait at once. Send more once some are done.", seconds));
        }
        if (limits.bytesStored() > 0 && bytes >= limits.bytesStored()) {
            long seconds = 3600;
            String frees = "Delete sessions you no longer need (DELETE /session/{id}) to make room.";
            if (sessionTtl != null && oldest != null) {
                seconds = Math.max(60, Duration.between(now, oldest.plus(sessionTtl)).toSeconds() + 1);
                frees += " Your oldest session expires in " + seconds + " s (SESSION_TTL).";
            }
            return Optional.of(new QuotaExceededException("bytes_stored", limits.bytesStored(), bytes,
                    "Quota reached: your stored documents take " + bytes + " bytes of the " + limits.bytesStored()
                            + " allowed. " + frees, seconds));
        }
        return Optional.empty();
    }

    /** Counts a taken document's pages into today's ledger (only for users with a daily limit). */
    public void taken(SessionMetadata metadata) throws IOException {
        UserIdentity user = UserIdentity.of(metadata.userEmail());
        if (limits(user).pagesPerDay() <= 0) return;
        String key = ledgerKey(user, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        synchronized (this) {
            long pages = read(key) + Math.max(0, metadata.totalPages());
            sessions.storage().put(key, Long.toString(pages).getBytes(StandardCharsets.US_ASCII));
            // yesterday's and older ledgers are of no use any more
            for (String old : sessions.storage().list("quota/" + user.hash() + "/")) {
                if (!old.equals(key)) sessions.storage().delete(old);
            }
        }
    }

    /** Pages taken today (UTC). */
    public long pagesToday(UserIdentity user) throws IOException {
        return read(ledgerKey(user, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    private long read(String key) throws IOException {
        return sessions.storage().get(key).map(b -> new String(b, StandardCharsets.US_ASCII).trim())
                .filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong).orElse(0L);
    }

    private static String ledgerKey(UserIdentity user, LocalDate day) {
        return "quota/" + user.hash() + "/pages-" + day;
    }
}
