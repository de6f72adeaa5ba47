package com.gnosis.hub.retention;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.metrics.HubMetrics;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.webhook.Outbox;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SESSION_TTL: a session older than it (from its created_at) is deleted with everything it owns (its files, its
 * entry in the duplicate index, its waiting webhooks) by a periodic sweep (route retention-sweep), through the
 * storage interface, so a local folder and a bucket are swept alike. Off by default; /status and /sessions
 * show each session's expires_at while it is on.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final SessionStore sessions;
    private final Outbox outbox;
    private final PendingPages pending;
    private final Duration ttl;
    private final Clock clock;
    private final HubMetrics metrics;

    /** @param ttl SESSION_TTL, null when retention is off */
    public Retention(SessionStore sessions, Outbox outbox, PendingPages pending, Duration ttl, Clock clock,
                     HubMetrics metrics) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.pending = pending;
        this.ttl = ttl;
        this.clock = clock;
        this.metrics = metrics;
    }

    public boolean enabled() {
        return ttl != null;
    }

    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    /** When a session created at {@code createdAt} expires; empty when retention is off. */
    public Optional<String> expiresAt(String createdAt) {
        if (ttl == null || createdAt == null) return Optional.empty();
        try {
            return Optional.of(Instant.parse(createdAt).plus(ttl).toString());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Deletes every expired session; returns how many. */
    public int sweep() throws IOException {
        if (ttl == null) return 0;
        Instant cutoff = clock.instant().minus(ttl);
        Storage storage = sessions.storage();
        int deleted = 0;
        for (String userHash : storage.children("users/")) {
            if (!UserIdentity.isHash(userHash)) continue;
            for (String sessionId : storage.children("users/" + userHash + "/")) {
                if (!SessionRef.isSessionId(sessionId)) continue;
                SessionRef ref = new SessionRef(userHash, sessionId);
                try {
                    if (expired(ref, cutoff)) {
                        sessions.delete(ref);
                        outbox.removeSession(ref);
                        pending.forget(sessionId);
                        deleted++;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Could not sweep session {}: {}", ref, e.toString());
                }
            }
        }
        if (deleted > 0) {
            LOG.info("Deleted {} session(s) older than SESSION_TTL ({})", deleted, ttl);
            metrics.sessionsExpired(deleted);
        }
        return deleted;
    }

    /**
     * Created before the cutoff. A folder without metadata (a session being created, or what a crash left) is
     * judged by its status.json's last update, and left alone when it has none either.
     */
    private boolean expired(SessionRef ref, Instant cutoff) throws IOException {
        try {
            SessionMetadata metadata = sessions.metadata(ref);
            return Instant.parse(metadata.createdAt()).isBefore(cutoff);
        } catch (FileNotFoundException e) {
            if (!sessions.storage().exists(ref.key(SessionFiles.STATUS))) return false;
            SessionStatus status = sessions.status(ref);
            return status.updatedAt() != null && Instant.parse(status.updatedAt()).isBefore(cutoff);
        }
    }
}
