package com.gnosis.hub.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition that no Camel exchange signals (a file that appears, a health state that changes),
 * checking it every 100 ms until a deadline: the test moves on as soon as it holds, never after a fixed pause.
 */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting for " + what);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
