package com.gnosis.hub.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves forward (bound as HubConfiguration.CLOCK): time passes when the test says so. */
public final class MovableClock extends Clock {

    private final AtomicReference<Instant> now;

    /** A clock at a fixed moment (2026-12-02T12:00:00Z). */
    public MovableClock() {
        this(Instant.parse("2026-12-02T12:00:00Z"));
    }

    public MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
