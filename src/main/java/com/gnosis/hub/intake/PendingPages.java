package com.gnosis.hub.intake;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many pages wait to be read, all sessions together (MAX_QUEUED_PAGES). Intake counts a session's pages
 * in; the page pipeline counts them out as they are done, and forgets a session that ends. Above the limit
 * uploads are answered 429 and the drop folder and bucket consumers leave files where they are.
 */
public final class PendingPages {

    private final long limit;
    private final int workers;
    private final ConcurrentHashMap<String, Long> bySession = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    public PendingPages(long limit, int workers) {
        this.limit = limit;
        this.workers = Math.max(1, workers);
    }

    /** Sets how many pages of a session are still to be read. */
    public void expect(String sessionId, long pages) {
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
    }

    public long total() {
        return total.get();
    }

    public boolean hasRoom() {
        return total.get() <= limit;
    }

    /** Refuses new work while more pages than the limit wait. */
    public void checkRoom() throws BusyException {
        long waiting = total.get();
        if (waiting > limit) {
            // about one second per page and worker: a rough but honest hint for clients
            long seconds = Math.max(5, Math.min(600, (waiting - limit) / workers + 1));
            throw new BusyException("The hub is busy: " + waiting + " pages are waiting (MAX_QUEUED_PAGES is " + limit
                    + "). Try again later.", seconds);
        }
    }
}
