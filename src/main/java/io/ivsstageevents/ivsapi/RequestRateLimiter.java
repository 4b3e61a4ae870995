package io.ivsstageevents.ivsapi;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket of one token, refilled at the budget's rate: each request waits until 1/rate after the one
 * before it. A bucket that could hold more would let a caller that paused send a burst, and the budget is there
 * so that the customer's own applications keep most of a quota (5 per second per operation) that nothing can
 * raise; so no burst. Callers are served in the order they ask.
 */
final class RequestRateLimiter {
    /** How the limiter waits: {@link TimeUnit#sleep} in use, a fake clock's advance in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private long nextFreeNanos;

    RequestRateLimiter(double requestsPerSecond) {
        this(requestsPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    RequestRateLimiter(double requestsPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second must be a positive number, was "
                    + requestsPerSecond);
        }
        // Rounded up: a nanosecond too slow rather than ever too fast.
        this.intervalNanos = (long) Math.ceil(1_000_000_000d / requestsPerSecond);
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.nextFreeNanos = nanoClock.getAsLong();
    }

    /** Returns when this caller may send one request. */
    void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            // Differences, not comparisons: nanoTime may be negative and only its differences mean anything.
            long slot = now - nextFreeNanos > 0 ? now : nextFreeNanos;
            nextFreeNanos = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
    }
}
