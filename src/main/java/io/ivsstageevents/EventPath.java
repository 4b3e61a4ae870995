package io.ivsstageevents;

import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.UnrecognizedEvent;
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

    /**
     * Throws InvalidEventException for an event that cannot be processed, before anything of it is written.
     * Returns what the event turned out to be.
     */
    ParsedEvent run(Map<String, Object> payload, Invocation invocation) {
        ParsedEvent parsed = parser.parse(payload);
        if (parsed instanceof ForeignEvent foreign) {
            invocation.metrics().ignored(null);
            invocation.info("skipped: not an IVS stage update",
                    "source", foreign.source(), "detailType", foreign.detailType());
        } else if (parsed instanceof UnrecognizedEvent unrecognized) {
            keep(unrecognized, invocation);
        } else {
            handle((StageEvent) parsed, invocation);
        }
        return parsed;
    }

    private void handle(StageEvent event, Invocation invocation) {
        // Safe at any level: the tokens print without attributes or user id.
        invocation.debug("parsed", "event", event);
        String name = event.eventSource().nameAsString();
        if (!event.unknownMembers().isEmpty()) {
            // Key names only: the values may be personal data, and they are in the ledger item when it is recorded.
            invocation.info("detail keys this version does not read", "eventId", event.eventId(), "name", name,
                    "keys", String.join(",", event.unknownMembers().keySet()));
        }
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

    /** Not an error, so nothing is retried: kept whole, counted and logged with the detail's key names only. */
    private void keep(UnrecognizedEvent event, Invocation invocation) {
        if (invocation.isPriming()) {
            return;
        }
        RecordOutcome outcome = recorder.keep(event);
        invocation.metrics().unrecognized(event.name(), outcome);
        invocation.warn(outcome == RecordOutcome.RECORDED ? "kept: this version cannot record it"
                        : "kept before: this version cannot record it",
                "eventId", event.envelope().eventId(), "name", event.name(), "reason", event.reason(),
                "missing", event.missing(), "stageArn", event.envelope().stageArn(),
                "sessionId", event.envelope().sessionId(),
                "detailKeys", String.join(",", event.detail().keySet()));
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
