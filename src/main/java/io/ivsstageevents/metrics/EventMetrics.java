package io.ivsstageevents.metrics;

import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;

/**
 * What the one decide step reports of each event it decides, whichever way the event came: the function counts it
 * per invocation ({@link StageEventMetrics.Invocation}), the reconciler per run ({@link ReconciliationMetrics}).
 */
public interface EventMetrics {
    /** A recorded kind, written to the ledger now (RECORDED) or found there (DUPLICATE). */
    void recorded(StageEvent event, RecordOutcome outcome);

    /** An event of ours that is neither recorded nor an error, or (eventName null) an event not ours. */
    void ignored(String eventName);

    /**
     * An IVS stage update this version cannot record, by its name as it came; eventName null for one without a
     * name. {@code seenBefore} when it was kept already (a redelivery, or a replay that still cannot record it).
     */
    void unrecognized(String eventName, boolean seenBefore);

    /** An error event, or any event that carries an error code. */
    void participantError(StageEvent event);

    void invalid();
}
