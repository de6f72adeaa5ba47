package com.gnosis.hub.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The "queue" part of /health: which queue this hub consumes and how far behind the work is. */
public final class QueueHealth {

    private QueueHealth() {
    }

    /** Several hubs on Pub/Sub: the backlog is the cluster's, counted from storage ({@link QueueBacklog}). */
    public static Supplier<Map<String, Object>> broker(PubsubQueue queue, PageWorker worker, int workers, Clock clock) {
        return () -> {
            Map<String, Object> answer = new LinkedHashMap<>(queue.describe());
            answer.put("workers", workers);
            answer.put("reading_now", worker.readingNow());
            QueueBacklog.Snapshot backlog = worker.backlog().current();
            answer.put("backlog_sessions", backlog.sessions());
            answer.put("backlog_pages", backlog.pages());
            answer.put("backlog_users", backlog.pagesByUser().size());
            answer.put("oldest_pending", backlog.oldest() == null ? null : backlog.oldest().toString());
            answer.put("oldest_pending_age_s", backlog.oldest() == null ? 0
                    : Duration.between(backlog.oldest(), clock.instant()).toSeconds());
            answer.put("backlog_counted_at", backlog.takenAt().toString());
            return answer;
        };
    }

    /** One hub with its in-process queue. */
    public static Supplier<Map<String, Object>> inProcess(String uri, IntSupplier queuedPages, IntSupplier activeSessions) {
        return () -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("kind", "in-process");
            answer.put("uri", uri.replaceAll("\\?.*", ""));
            answer.put("backlog_pages", queuedPages.getAsInt());
            answer.put("active_sessions", activeSessions.getAsInt());
            return answer;
        };
    }
}
