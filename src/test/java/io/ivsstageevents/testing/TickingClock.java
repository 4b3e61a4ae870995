package io.ivsstageevents.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves on by a fixed step each time it is read: time that passes with the work done, not with
 * the wall clock, so that where a run reaches its deadline is the same on every machine.
 */
public final class TickingClock extends Clock {
    private final AtomicReference<Instant> now;
    private final Duration step;

    public TickingClock(Instant start, Duration step) {
        this.now = new AtomicReference<>(start);
        this.step = step;
    }

    @Override
    public Instant instant() {
        return now.getAndUpdate(time -> time.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
