package com.gnosis.hub.queue;

import com.gnosis.hub.session.SessionRef;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many pages wait to be read, all sessions together (MAX_QUEUED_PAGES). Intake counts a session's pages
 * in; the page pipeline counts them out as they are done, and forgets a session that ends. Above the limit
 * uploads are answered 429 and the drop folder and bucket consumers leave files where they are. Where several
 * hubs share a broker queue, the count is the cluster's ({@link #countCluster}), not this process's.
 */
public final class PendingPages {

    private final long limit;
    private final int workers;
    private final ConcurrentHashMap<String, Long> bySession = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    // for /metrics: whose pages wait, and since when (sessions counted in through their ref)
    private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> since = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile LongSupplier cluster;

    public PendingPages(long limit, int workers) {
        this(limit, workers, Clock.systemUTC());
    }

    public PendingPages(long limit, int workers, Clock clock) {
        this.limit = limit;
        this.workers = Math.max(1, workers);
        this.clock = clock;
    }

    /** Sets how many pages of a session are still to be read, remembering its owner and when it began to wait. */
    public void expect(SessionRef ref, long pages) {
        owners.put(ref.sessionId(), ref.userHash());
        since.putIfAbsent(ref.sessionId(), clock.instant());
        expect(ref.sessionId(), pages);
    }

    /**
     * Counts the pages waiting in the whole cluster from shared state instead of this process's sessions: with
     * a broker, other hubs read the pages this one took in, and this one reads theirs.
     */
    public void countCluster(LongSupplier waitingPages) {
        this.cluster = waitingPages;
    }

    /** Sets how many pages of a session are still to be read. */
    public void expect(String sessionId, long pages) {
        if (cluster != null) return;
        Long before = bySession.put(sessionId, pages);
        total.addAndGet(pages - (before == null ? 0 : before));
    }

    /** One page of the session is done. */
    public void pageDone(String sessionId) {
        bySession.computeIfPresent(sessionId, (id, pages) -> {
            total.decrementAndGet();
            return pages - 1;
        });
    }

    /** The session ended (completed, failed or deleted): its remaining pages are no longer waiting. */
    public void forget(String sessionId) {
        Long before = bySession.remove(sessionId);
        if (before != null) total.addAndGet(-before);
        owners.remove(sessionId);
        since.remove(sessionId);
    }

    /** Pages still to be read per user_hash, only users that have some. */
    public Map<String, Long> byUser() {
        Map<String, Long> users = new HashMap<>();
        bySession.forEach((session, pages) -> {
            String owner = owners.get(session);
            if (owner != null && pages > 0) users.merge(owner, pages, Long::sum);
        });
        return users;
    }

    /** When the session that has waited longest with unread pages was queued; empty when none waits. */
    public Optional<Instant> oldestWaiting() {
        return bySession.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> since.get(e.getKey()))
                .filter(java.util.Objects::nonNull).min(Instant::compareTo);
    }

    public long total() {
        LongSupplier shared = cluster;
        return shared != null ? shared.getAsLong() : total.get();
    }

    public boolean hasRoom() {
        return total() <= limit;
    }

    /** Refuses new work while more pages than the limit wait. */
    public void checkRoom() throws BusyException {
        long waiting = total();
        if (waiting > limit) {
            // about one second per page and worker: a rough but honest hint for clients
            long seconds = Math.max(5, Math.min(600, (waiting - limit) / workers + 1));
            throw new BusyException("The hub is busy: " + waiting + " pages are waiting (MAX_QUEUED_PAGES is " + limit
                    + "). Try again later.", seconds);
        }
    }
}
