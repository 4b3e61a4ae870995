package io.ivsstageevents.path;

import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.storage.StageEventRecorder;
import java.util.Map;

/**
 * The path of one event, top to bottom: read it and build the EventSource, decide what it means, record it,
 * measure it. One decide step for both ways an event comes: the handler runs it for every event EventBridge
 * delivers, the reconciler for every event the IVS API lists, so a listed event means what a delivered one does.
 * SnapStart priming runs it on samples with writes DynamoDB refuses, so that what is in the snapshot cannot drift
 * from what the handler does.
 */
public final class EventPath {
    private final StageEventParser parser;
    private final StageEventRecorder recorder;

    public EventPath(StageEventParser parser, StageEventRecorder recorder) {
        this.parser = parser;
        this.recorder = recorder;
    }

    /** What one event turned out to be, and what recording it did to the ledger (null when it was not recorded). */
    public record Decided(ParsedEvent event, RecordOutcome recorded) {
    }

    /**
     * An event as EventBridge delivers it. Throws InvalidEventException for an event that cannot be processed,
     * before anything of it is written.
     */
    public Decided run(Map<String, Object> payload, Invocation invocation) {
        return decide(parser.parse(payload), invocation);
    }

    /** An event as the IVS API lists it for a stage's session: no envelope, the same decisions. */
    public Decided runListed(Map<String, Object> listed, String stageArn, String sessionId, Invocation invocation) {
        return decide(parser.parseListed(listed, stageArn, sessionId), invocation);
    }

    private Decided decide(ParsedEvent parsed, Invocation invocation) {
        if (parsed instanceof ForeignEvent foreign) {
            invocation.metrics().ignored(null);
            invocation.info("skipped: not an IVS stage update",
                    "source", foreign.source(), "detailType", foreign.detailType());
            return new Decided(parsed, null);
        }
        if (parsed instanceof UnrecognizedEvent unrecognized) {
            keep(unrecognized, invocation);
            return new Decided(parsed, null);
        }
        return new Decided(parsed, handle((StageEvent) parsed, invocation));
    }

    private RecordOutcome handle(StageEvent event, Invocation invocation) {
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
            return null;
        }
        RecordOutcome outcome = event.mustBeRecorded() ? record(event, invocation) : null;
        if (event.isParticipantError()) {
            invocation.metrics().participantError(event);
            invocation.info("participant error", "eventId", event.eventId(), "name", name,
                    "errorCode", event.eventSource().errorCodeAsString(),
                    "stageArn", event.stageArn(), "participantId", event.eventSource().participantId());
        }
        return outcome;
    }

    /**
     * Not an error, so nothing is retried: kept whole where it must be ({@link UnrecognizedEvent#mustBeKept}),
     * counted and logged with the detail's key names only.
     */
    private void keep(UnrecognizedEvent event, Invocation invocation) {
        if (invocation.isPriming()) {
            return;
        }
        boolean seenBefore = event.mustBeKept() && recorder.keep(event) == RecordOutcome.DUPLICATE;
        invocation.metrics().unrecognized(event.name(), seenBefore);
        invocation.warn(!event.mustBeKept() ? "listed event this version cannot record"
                        : seenBefore ? "kept before: this version cannot record it"
                        : "kept: this version cannot record it",
                "eventId", event.envelope().eventId(), "name", event.name(), "reason", event.reason(),
                "missing", event.missing(), "stageArn", event.envelope().stageArn(),
                "sessionId", event.envelope().sessionId(),
                "detailKeys", String.join(",", event.detail().keySet()));
    }

    private RecordOutcome record(StageEvent event, Invocation invocation) {
        if (invocation.isPriming()) {
            recorder.prime(event);
            return null;
        }
        RecordOutcome outcome = recorder.record(event);
        invocation.metrics().recorded(event, outcome);
        invocation.info(outcome == RecordOutcome.RECORDED ? "recorded" : "recorded before: state re-applied",
                "eventId", event.eventId(), "name", event.eventSource().nameAsString(),
                "stageArn", event.stageArn(), "sessionId", event.sessionId(),
                "participantId", event.eventSource().participantId());
        return outcome;
    }
}
