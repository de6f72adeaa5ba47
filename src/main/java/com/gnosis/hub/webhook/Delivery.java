package com.gnosis.hub.webhook;

/**
 * One webhook waiting in the outbox: where it goes, the exact body (signed anew at each attempt, with that
 * attempt's timestamp), and how its attempts went.
 *
 * @param id            X-Gnosis-Delivery: the same for every attempt, so a receiver can drop repeats
 * @param event         session.completed or session.failed
 * @param createdAt     when the event happened; attempts stop WEBHOOK_RETRY_FOR after it
 * @param nextAttemptAt not before this instant
 */
public record Delivery(String id, String userHash, String sessionId, String event, String url, String body,
                      String createdAt, int attempts, String nextAttemptAt, String lastError) {

    Delivery retryAt(String next, String error) {
        return new Delivery(id, userHash, sessionId, event, url, body, createdAt, attempts + 1, next, error);
    }
}
