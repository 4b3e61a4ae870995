package io.ivsstageevents.metrics;

import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The reconciler's metrics, one set per run, written as Embedded Metric Format documents when the run ends: what
 * the API had that EventBridge had not delivered, how far the run got, and what it cost in API requests. Not
 * thread-safe: one run is one thread.
 */
public final class ReconciliationMetrics implements EventMetrics {
    public static final String EVENTS_BACKFILLED = "EventsBackfilled";
    public static final String SESSIONS_RECONCILED = "SessionsReconciled";
    public static final String SESSIONS_PENDING = "SessionsPending";
    public static final String API_REQUESTS = "ApiRequests";
    public static final String API_REQUESTS_THROTTLED = "ApiRequestsThrottled";

    private final String namespace;
    private final Consumer<String> sink;
    private final Clock clock;
    private final Map<String, Long> backfilledByName = new TreeMap<>();
    private final Map<String, Long> unrecognizedByName = new TreeMap<>();
    private long invalid;
    private long sessionsReconciled;

    public ReconciliationMetrics(String namespace, Consumer<String> sink, Clock clock) {
        this.namespace = namespace;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Counted when the ledger lacked it, as backfilled: EventBridge lost it, or has not delivered it yet. One the
     * ledger had is EventBridge's, counted when it was delivered.
     */
    @Override
    public void recorded(StageEvent event, RecordOutcome outcome) {
        if (outcome == RecordOutcome.RECORDED) {
            backfilledByName.merge(event.eventSource().nameAsString(), 1L, Long::sum);
        }
    }

    /** The API lists every event of a session; those the function ignores are not counted a second time. */
    @Override
    public void ignored(String eventName) {
    }

    /** Counted with EventBridge's, so the same alarm sees it. */
    @Override
    public void unrecognized(String eventName, boolean seenBefore) {
        if (!seenBefore) {
            unrecognizedByName.merge(eventName == null ? "" : eventName, 1L, Long::sum);
        }
    }

    /**
     * Not counted: EventBridge delivers errors and the function measures each one it delivers. Errors are not
     * recorded, so nothing tells a listed error EventBridge delivered from one it lost; measuring every listed
     * one would count nearly every error twice.
     */
    @Override
    public void participantError(StageEvent event) {
    }

    @Override
    public void invalid() {
        invalid++;
    }

    public void sessionReconciled() {
        sessionsReconciled++;
    }

    public long sessionsReconciled() {
        return sessionsReconciled;
    }

    /**
     * The run's documents: one of totals (sessions reconciled and still pending, requests sent and throttled),
     * and one per event name backfilled or unrecognized, each also counted without the name (dimension sets
     * [] and [EventName]), as the function's own counts are. Only counts above zero are written, as the
     * function's are: a run every 15 minutes writing zeros would keep every series billed.
     */
    public void flush(long sessionsPending, long apiRequests, long apiThrottled) {
        long now = clock.millis();
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put(SESSIONS_RECONCILED, sessionsReconciled);
        totals.put(SESSIONS_PENDING, sessionsPending);
        totals.put(API_REQUESTS, apiRequests);
        totals.put(API_REQUESTS_THROTTLED, apiThrottled);
        totals.put(StageEventMetrics.INVALID_EVENTS, invalid);
        totals.values().removeIf(count -> count == 0);
        if (!totals.isEmpty()) {
            EmfDocument document = new EmfDocument(namespace, now).dimensionSet();
            totals.forEach(document::count);
            sink.accept(document.toJson());
        }
        byName(EVENTS_BACKFILLED, backfilledByName, now);
        byName(StageEventMetrics.UNRECOGNIZED_EVENTS, unrecognizedByName, now);
    }

    private void byName(String metric, Map<String, Long> counts, long now) {
        counts.forEach((name, count) -> {
            EmfDocument document = new EmfDocument(namespace, now).dimensionSet().count(metric, count);
            if (!name.isEmpty()) {
                document.dimensionSet(StageEventMetrics.EVENT_NAME)
                        .member(StageEventMetrics.EVENT_NAME, DimensionValues.of(name));
            }
            sink.accept(document.toJson());
        });
    }
}
