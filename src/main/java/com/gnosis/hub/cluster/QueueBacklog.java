package com.gnosis.hub.cluster;

import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's queue as every hub can see it: one empty object per unfinished session under
 * {@code queue/backlog/}, named {@code {created epoch ms}.{user_hash}.{session_id}.{pages}}. The hub that queues a
 * session adds it, the hub that finishes it removes it, so one listing (no reads) tells any hub how many pages
 * wait cluster-wide, whose they are, and how old the oldest is: MAX_QUEUED_PAGES and /health count the cluster,
 * not one process. Listings are cached for {@code refresh}; between two, this hub adds what it queued itself.
 */
public final class QueueBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBacklog.class);
    private static final String PREFIX = "queue/backlog/";

    /** What one listing found. */
    public record Snapshot(long pages, int sessions, Map<String, Long> pagesByUser, Instant oldest, Instant takenAt) {
        static final Snapshot EMPTY = new Snapshot(0, 0, Map.of(), null, Instant.EPOCH);
    }

    private final Storage storage;
    private final Clock clock;
    private final Duration refresh;
    private Snapshot snapshot = Snapshot.EMPTY;
    private long addedSince;

    public QueueBacklog(Storage storage, Clock clock, Duration refresh) {
        this.storage = storage;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** The session is queued: it counts until {@link #remove}. */
    public void add(SessionRef ref, SessionMetadata metadata) throws IOException {
        storage.put(key(ref, metadata), new byte[0]);
        synchronized (this) {
            addedSince += Math.max(0, metadata.totalPages());
        }
    }

    /** The session ended (completed, failed or deleted). */
    public void remove(SessionRef ref, SessionMetadata metadata) throws IOException {
        storage.delete(key(ref, metadata));
    }

    /** Removes a session's entry knowing only its reference (its metadata is gone: it was deleted). */
    public void removeDeleted(SessionRef ref) throws IOException {
        for (String key : storage.list(PREFIX)) {
            if (key.contains("." + ref.userHash() + "." + ref.sessionId() + ".")) storage.delete(key);
        }
    }

    /** Pages waiting cluster-wide: the last listing (at most {@code refresh} old) plus what this hub queued since. */
    public long pages() {
        Snapshot now = current();
        synchronized (this) {
            return now.pages() + addedSince;
        }
    }

    /** The current listing (listed again when older than {@code refresh}). */
    public Snapshot current() {
        synchronized (this) {
            if (Duration.between(snapshot.takenAt(), clock.instant()).compareTo(refresh) < 0) return snapshot;
        }
        Snapshot fresh = list();
        synchronized (this) {
            if (fresh.takenAt().isAfter(snapshot.takenAt())) {
                snapshot = fresh;
                addedSince = 0;
            }
            return snapshot;
        }
    }

    private Snapshot list() {
        Instant takenAt = clock.instant();
        List<String> keys;
        try {
            keys = storage.list(PREFIX);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The queue backlog could not be listed: {}", e.toString());
            synchronized (this) {
                return new Snapshot(snapshot.pages(), snapshot.sessions(), snapshot.pagesByUser(), snapshot.oldest(), takenAt);
            }
        }
        long pages = 0;
        Instant oldest = null;
        Map<String, Long> byUser = new HashMap<>();
        for (String key : keys) {
            String[] parts = key.substring(PREFIX.length()).split("\\.");
            if (parts.length != 4) continue;
            long sessionPages = Long.parseLong(parts[3]);
            pages += sessionPages;
            byUser.merge(parts[1], sessionPages, Long::sum);
            Instant created = Instant.ofEpochMilli(Long.parseLong(parts[0]));
            if (oldest == null || created.isBefore(oldest)) oldest = created;
        }
        return new Snapshot(pages, keys.size(), Map.copyOf(byUser), oldest, takenAt);
    }

    private static String key(SessionRef ref, SessionMetadata metadata) {
        long created = metadata.createdAt() == null ? 0 : Instant.parse(metadata.createdAt()).toEpochMilli();
        return PREFIX + String.format("%013d", created) + "." + ref.userHash() + "." + ref.sessionId() + "."
                + Math.max(0, metadata.totalPages());
    }
}
