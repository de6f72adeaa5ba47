package com.gnosis.hub.quota;

import com.gnosis.hub.queue.BusyException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A user is at or over one of their limits: answered 429 {@code quota_exceeded} with the reason and Retry-After. */
public final class QuotaExceededException extends BusyException {

    private final String quota;
    private final long limit;
    private final long used;

    /** @param quota pages_queued, pages_per_day or bytes_stored */
    public QuotaExceededException(String quota, long limit, long used, String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
        this.quota = quota;
        this.limit = limit;
        this.used = used;
    }

    public String quota() {
        return quota;
    }

    @Override
    public String code() {
        return "quota_exceeded";
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("quota", quota);
        details.put("limit", limit);
        details.put("used", used);
        return details;
    }
}
