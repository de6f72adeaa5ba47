package com.gnosis.hub.queue;

/** Too much work is waiting; the caller should come back after {@link #retryAfterSeconds()} (answered 429). */
public class BusyException extends Exception {

    private final long retryAfterSeconds;

    public BusyException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The error code of the 429 answer: busy (MAX_QUEUED_PAGES) unless a subclass says otherwise. */
    public String code() {
        return "busy";
    }

    /** More fields for the 429 answer's JSON body. */
    public java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }
}
