package io.ivsstageevents.path;

import io.ivsstageevents.metrics.EventMetrics;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.storage.StageEventRecorder;
import io.ivsstageevents.time.TimeBudget;
import java.time.Duration;

/**
 * What one invocation carries through every step: its request id (on every log line it writes), the time it has
 * left, its metrics, the log, and whether its writes are real or SnapStart priming's rehearsal of them. A
 * reconciler run is one too, with no request id (its lines are the same wherever it runs) and its run's metrics.
 */
public final class Invocation {
    /** An event's DynamoDB calls end within their budget; two seconds more leave time to answer. */
    public static final Duration EVENT_START_MARGIN = StageEventRecorder.EVENT_TIME_BUDGET.plusSeconds(2);

    private final String requestId;
    private final TimeBudget time;
    private final EventMetrics metrics;
    private final Log log;
    private final boolean priming;

    private Invocation(String requestId, TimeBudget time, EventMetrics metrics, Log log, boolean priming) {
        this.requestId = requestId;
        this.time = time;
        this.metrics = metrics;
        this.log = log;
        this.priming = priming;
    }

    public static Invocation of(String requestId, TimeBudget time, EventMetrics metrics, Log log) {
        return new Invocation(requestId, time, metrics, log, false);
    }

    /** Priming's: no end, metrics into a sink that discards them, no log, and writes that DynamoDB refuses. */
    public static Invocation priming(EventMetrics discardingMetrics) {
        return new Invocation(null, TimeBudget.unlimited(), discardingMetrics, Log.silent(), true);
    }

    public TimeBudget time() {
        return time;
    }

    /** Whether the time left is enough to start one more event and still fail it within the DynamoDB bound. */
    public boolean hasTimeForAnotherEvent() {
        return time.hasAtLeast(EVENT_START_MARGIN);
    }

    public EventMetrics metrics() {
        return metrics;
    }

    boolean isPriming() {
        return priming;
    }

    /** The one way an invalid event is reported: counted, and logged with what was wrong (never the value). */
    public void invalid(InvalidEventException e) {
        metrics.invalid();
        log.error("invalid event: " + e.getMessage(), "requestId", requestId);
    }

    /** A failure that is not the event's fault (DynamoDB down, say): Lambda, or SQS, delivers the event again. */
    public void failed(RuntimeException e) {
        log.error("failed, for Lambda to retry: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                "requestId", requestId);
    }

    public void debug(String message, Object... keyValues) {
        log.debug(message, withRequestId(keyValues));
    }

    public void info(String message, Object... keyValues) {
        log.info(message, withRequestId(keyValues));
    }

    public void warn(String message, Object... keyValues) {
        log.warn(message, withRequestId(keyValues));
    }

    private Object[] withRequestId(Object[] keyValues) {
        Object[] all = new Object[keyValues.length + 2];
        all[0] = "requestId";
        all[1] = requestId;
        System.arraycopy(keyValues, 0, all, 2, keyValues.length);
        return all;
    }
}
