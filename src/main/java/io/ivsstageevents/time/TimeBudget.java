package io.ivsstageevents.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Time that may still be spent, read from its clock each time it is asked: what an invocation has left before
 * Lambda's timeout, what a reconciler run has left before it must stop, what one event's DynamoDB calls may still
 * take. One type, so that every rule for stopping in time reads alike.
 */
public final class TimeBudget {
    /** The JVM's monotonic clock, which no adjustment of the wall clock moves. */
    private static final InstantSource MONOTONIC = () -> Instant.EPOCH.plusNanos(System.nanoTime());
    private static final TimeBudget UNLIMITED = new TimeBudget(MONOTONIC, Instant.MAX);

    private final InstantSource clock;
    private final Instant end;

    private TimeBudget(InstantSource clock, Instant end) {
        this.clock = clock;
        this.end = end;
    }

    /** So much time from now, on the monotonic clock. */
    public static TimeBudget of(Duration budget) {
        return of(budget, MONOTONIC);
    }

    /** So much time from now on the given clock: the reconciler's, which its tests set. */
    public static TimeBudget of(Duration budget, InstantSource clock) {
        return new TimeBudget(clock, clock.instant().plus(budget));
    }

    /** No end: where nothing says how long there is (no Lambda context, or SnapStart priming). */
    public static TimeBudget unlimited() {
        return UNLIMITED;
    }

    /** What is left, zero or less once spent. */
    public Duration remaining() {
        return end == Instant.MAX ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.between(clock.instant(), end);
    }

    public boolean isSpent() {
        return end != Instant.MAX && !clock.instant().isBefore(end);
    }

    /** Whether at least this much is left: enough to start work that may take that long. */
    public boolean hasAtLeast(Duration needed) {
        return end == Instant.MAX || remaining().compareTo(needed) >= 0;
    }
}
