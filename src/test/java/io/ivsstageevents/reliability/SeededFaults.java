package io.ivsstageevents.reliability;

import io.ivsstageevents.reliability.FaultProxy.Fault;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fault plan that is a pure function of the seed and the request's number, so that a run can be replayed:
 * a background rate of faults of every kind, now and then a storm in which most requests fail fast, and a tour
 * that puts every kind of fault in even a short run.
 */
final class SeededFaults implements FaultProxy.Plan {
    /**
     * Weighted by what each costs the caller, not by how common it is: the SDK waits 0.5 to 2 s after a throttle
     * and 2 s for a timeout, against 0.1 s or so after the rest.
     */
    private static final List<Fault> BACKGROUND = List.of(
            Fault.THROTTLE, Fault.THROTTLE,
            Fault.SERVER_ERROR, Fault.SERVER_ERROR, Fault.SERVER_ERROR,
            Fault.UNAVAILABLE, Fault.UNAVAILABLE, Fault.UNAVAILABLE,
            Fault.DROP_BEFORE, Fault.DROP_BEFORE, Fault.DROP_BEFORE,
            Fault.DROP_AFTER, Fault.DROP_AFTER, Fault.DROP_AFTER,
            Fault.DELAY, Fault.DELAY, Fault.DELAY,
            Fault.TIMEOUT);
    /**
     * Storms are made of the fastest failures, so that they exhaust the SDK's attempts rather than the clock
     * (after a throttle the SDK waits up to 2 s).
     */
    private static final List<Fault> STORM = List.of(
            Fault.SERVER_ERROR, Fault.UNAVAILABLE, Fault.DROP_BEFORE, Fault.DROP_AFTER);

    /** Every so many requests, one meets the next kind of fault in turn: a short run still meets them all. */
    private static final int TOUR_EVERY = 61;
    private static final List<Fault> TOUR = BACKGROUND.stream().distinct().toList();

    private final long seed;
    private final double rate;
    private final long stormEvery;
    private final long stormLength;
    private final double stormRate;

    private SeededFaults(long seed, double rate, long stormEvery, long stormLength, double stormRate) {
        this.seed = seed;
        this.rate = rate;
        this.stormEvery = stormEvery;
        this.stormLength = stormLength;
        this.stormRate = stormRate;
    }

    /** A share of requests fail, at random, in every way. */
    static SeededFaults background(long seed, double rate) {
        return new SeededFaults(seed, rate, 0, 0, 0);
    }

    /** As background, and in each stormEvery requests, the first stormLength fail at stormRate. */
    static SeededFaults withStorms(long seed, double rate, long stormEvery, long stormLength, double stormRate) {
        return new SeededFaults(seed, rate, stormEvery, stormLength, stormRate);
    }

    @Override
    public Fault faultOf(long request) {
        if (request % TOUR_EVERY == TOUR_EVERY - 1) {
            return TOUR.get((int) (request / TOUR_EVERY % TOUR.size()));
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + request);
        boolean storm = stormEvery > 0 && request % stormEvery < stormLength;
        if (random.nextDouble() >= (storm ? stormRate : rate)) {
            return Fault.NONE;
        }
        List<Fault> kinds = storm ? STORM : BACKGROUND;
        return kinds.get(random.nextInt(kinds.size()));
    }
}
