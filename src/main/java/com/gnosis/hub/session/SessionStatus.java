package com.gnosis.hub.session;

import java.time.Duration;
import java.time.Instant;

/**
 * status.json: where a session stands. Rewritten (atomically) after every page.
 *
 * @param status     pending, processing, completed or failed
 * @param progress   0-100, the share of pages done
 * @param currentPage the last page finished (pages run in parallel, so this is not a cursor)
 * @param pagesDone  how many pages are finished
 */
public record SessionStatus(String status, int progress, int currentPage, int totalPages, int pagesDone,
                            String message, String error, String startedAt, String completedAt,
                            String updatedAt) {

    public static final String PENDING = "pending";
    public static final String PROCESSING = "processing";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public static SessionStatus pending(int totalPages, Instant now) {
        return new SessionStatus(PENDING, 0, 0, totalPages, 0, "Queued for processing", null, null, null,
                now.toString());
    }

    public SessionStatus started(Instant now) {
        return new SessionStatus(PROCESSING, progress, currentPage, totalPages, pagesDone,
                "Processing " + totalPages + (totalPages == 1 ? " page" : " pages"), null,
                startedAt == null ? now.toString() : startedAt, null, now.toString());
    }

    public SessionStatus pageDone(int page, Instant now) {
        int done = pagesDone + 1;
        return new SessionStatus(PROCESSING, totalPages == 0 ? 0 : Math.min(99, done * 100 / totalPages), page,
                totalPages, done, "Processed page " + page + " (" + done + " of " + totalPages + ")", null,
                startedAt, null, now.toString());
    }

    public SessionStatus completed(Instant now) {
        return new SessionStatus(COMPLETED, 100, currentPage, totalPages, pagesDone,
                "All " + totalPages + (totalPages == 1 ? " page" : " pages") + " processed", null, startedAt,
                now.toString(), now.toString());
    }

    public SessionStatus failed(String reason, Instant now) {
        return new SessionStatus(FAILED, progress, currentPage, totalPages, pagesDone, "Processing failed: " + reason,
                reason, startedAt, now.toString(), now.toString());
    }

    public boolean finished() {
        return COMPLETED.equals(status) || FAILED.equals(status);
    }

    /** Seconds from start to completion (or until now while running); null before the start. */
    public Double processingSeconds(Instant now) {
        if (startedAt == null) return null;
        Instant end = completedAt == null ? now : Instant.parse(completedAt);
        return Duration.between(Instant.parse(startedAt), end).toMillis() / 1000.0;
    }
}
