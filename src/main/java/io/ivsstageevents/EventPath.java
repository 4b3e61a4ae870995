package io.ivsstageevents;

import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.storage.StageEventRecorder;
import java.util.Map;

/**
 * The path of one event, top to bottom: read the envelope and build the EventSource, decide what it means,
 * record it, measure it. The handler runs it for every event; SnapStart priming runs it on samples with writes
 * DynamoDB refuses, so that what is in the snapshot cannot drift from what the handler does.
 */
final class EventPath {
    private final StageEventParser parser;
    private final StageEventRecorder recorder;

    EventPath(StageEventParser parser, StageEventRecorder recorder) {
        this.parser = parser;
        this.recorder = recorder;
    }

    /** Throws InvalidEventException for an event that cannot be processed, before anything of it is written. */
    void run(Map<String, Object> payload, Invocation invocation) {
        ParsedEvent parsed = parser.parse(payload);
        if (parsed instanceof ForeignEvent foreign) {
            invocation.metrics().ignored(null);
            invocation.info("skipped: not an IVS stage update",
                    "source", foreign.source(), "detailType", foreign.detailType());
            return;
        }
        StageEvent event = (StageEvent) parsed;
        // Safe at any level: the tokens print without attributes or user id.
        invocation.debug("parsed", "event", event);
        String name = event.eventSource().nameAsString();
        if (!event.mustBeRecorded() && !event.isParticipantError()) {
            invocation.metrics().ignored(name);
            invocation.info("skipped: not a recorded event", "eventId", event.eventId(), "name", name);
            return;
        }
        if (event.mustBeRecorded()) {
            record(event, invocation);
        }
        if (event.isParticipantError()) {
            invocation.metrics().participantError(event);
            invocation.info("participant error", "eventId", event.eventId(), "name", name,
                    "errorCode", event.eventSource().errorCodeAsString(),
                    "stageArn", event.stageArn(), "participantId", event.eventSource().participantId());
        }
    }

    private void record(StageEvent event, Invocation invocation) {
        if (invocation.isPriming()) {
            recorder.prime(event);
            return;
        }
        RecordOutcome outcome = recorder.record(event);
        invocation.metrics().recorded(event, outcome);
        invocation.info(outcome == RecordOutcome.RECORDED ? "recorded" : "recorded before: state re-applied",
                "eventId", event.eventId(), "name", event.eventSource().nameAsString(),
                "stageArn", event.stageArn(), "sessionId", event.sessionId(),
                "participantId", event.eventSource().participantId());
    }
}
