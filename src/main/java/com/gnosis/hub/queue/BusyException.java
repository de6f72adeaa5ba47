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
}
