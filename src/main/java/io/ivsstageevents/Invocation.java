package io.ivsstageevents;

import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.InvalidEventException;

/**
 * What one invocation carries through every step: its request id (on every log line it writes), its metrics, the
 * log, and whether its writes are real or SnapStart priming's rehearsal of them.
 */
final class Invocation {
    private final String requestId;
    private final StageEventMetrics.Invocation metrics;
    private final Log log;
    private final boolean priming;

    private Invocation(String requestId, StageEventMetrics.Invocation metrics, Log log, boolean priming) {
        this.requestId = requestId;
        this.metrics = metrics;
        this.log = log;
        this.priming = priming;
    }

    static Invocation of(String requestId, StageEventMetrics metrics, Log log) {
        return new Invocation(requestId, metrics.startInvocation(), log, false);
    }

    /** Priming's: metrics into a sink that discards them, no log, and writes that DynamoDB refuses. */
    static Invocation priming(StageEventMetrics discardingMetrics) {
        return new Invocation(null, discardingMetrics.startInvocation(), Log.silent(), true);
    }

    StageEventMetrics.Invocation metrics() {
        return metrics;
    }

    boolean isPriming() {
        return priming;
    }

    /** The one way an invalid event is reported: counted, and logged with what was wrong (never the value). */
    void invalid(InvalidEventException e) {
        metrics.invalid();
        log.error("invalid event: " + e.getMessage(), "requestId", requestId);
    }

    /** A failure that is not the event's fault (DynamoDB down, say): Lambda, or SQS, delivers the event again. */
    void failed(RuntimeException e) {
        log.error("failed, for Lambda to retry: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                "requestId", requestId);
    }

    void debug(String message, Object... keyValues) {
        log.debug(message, withRequestId(keyValues));
    }

    void info(String message, Object... keyValues) {
        log.info(message, withRequestId(keyValues));
    }

    void warn(String message, Object... keyValues) {
        log.warn(message, withRequestId(keyValues));
    }

    void flush() {
        metrics.flush();
    }

    private Object[] withRequestId(Object[] keyValues) {
        Object[] all = new Object[keyValues.length + 2];
        all[0] = "requestId";
        all[1] = requestId;
        System.arraycopy(keyValues, 0, all, 2, keyValues.length);
        return all;
    }
}
