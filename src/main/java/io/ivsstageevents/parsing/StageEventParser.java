package io.ivsstageevents.parsing;

import static io.ivsstageevents.json.JsonFields.array;
import static io.ivsstageevents.json.JsonFields.member;
import static io.ivsstageevents.json.JsonFields.string;
import static io.ivsstageevents.json.JsonFields.text;
import static io.ivsstageevents.json.JsonFields.timestamp;

import io.ivsstageevents.json.EventSourceJson;
import io.ivsstageevents.json.JsonFields;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.Envelope;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventOrigin;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.UnrecognizedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the bytes of one EventBridge event into a {@link StageEvent}, an {@link UnrecognizedEvent} (an IVS stage
 * update this version cannot record: kept whole, never dropped), a {@link ForeignEvent}, or an
 * {@link InvalidEventException} that names what was wrong. Stateless and thread-safe.
 */
public final class StageEventParser {
    public static final String SOURCE = "aws.ivs";
    public static final String DETAIL_TYPE = "IVS Stage Update";

    /** Keys of {@code detail} read here rather than by the EventSource reader, without and with a precise time. */
    private static final Set<String> ENVELOPE_KEYS = Set.of("session_id", "sessionId", "user_id", "userId");
    private static final Set<String> ENVELOPE_AND_PRECISE_TIME_KEYS =
            Set.of("session_id", "sessionId", "user_id", "userId", "event_time_precise", "eventTimePrecise");

    public ParsedEvent parse(byte[] bytes) {
        return parse(JsonTree.readObject(bytes));
    }

    /** An event already read by {@link JsonTree#readObject}. */
    public ParsedEvent parse(Map<String, Object> event) {
        String source = requiredString(event, "source");
        String detailType = requiredString(event, "detail-type");
        if (!SOURCE.equals(source) || !DETAIL_TYPE.equals(detailType)) {
            return new ForeignEvent(source, detailType);
        }
        if (event.get("detail") == null) {
            throw new InvalidEventException("detail", "missing");
        }
        Map<String, Object> detail = JsonFields.object(event.get("detail"), "detail");
        Instant envelopeTime = timestamp(event.get("time"), "time");
        Envelope envelope = envelope(event, detail, envelopeTime);
        String name = EventSourceJson.nameOf(detail, "detail");
        if (name == null || EventName.fromValue(name) == EventName.UNKNOWN_TO_SDK_VERSION) {
            return unrecognized(EventOrigin.EVENTBRIDGE, envelope, detail, name,
                    UnrecognizedEvent.Reason.UNRECOGNIZED_NAME, null);
        }
        EventSource eventSource = EventSourceJson.fromJson(detail, "detail");
        Instant preciseTime = preciseTime(detail, eventSource.eventTime());
        if (preciseTime != null || eventSource.eventTime() == null) {
            eventSource = eventSource.toBuilder().eventTime(preciseTime != null ? preciseTime : envelopeTime).build();
        }
        StageEvent stageEvent = StageEvent.builder()
                .envelope(envelope)
                .eventSource(eventSource)
                .userId(text(member(detail, "detail", "user_id", "userId"), "detail.user_id"))
                .unknownMembers(EventSourceJson.unknownMembers(detail,
                        preciseTime == null ? ENVELOPE_KEYS : ENVELOPE_AND_PRECISE_TIME_KEYS))
                .build();
        return decided(stageEvent, detail, name, "detail");
    }

    /**
     * One event as ListParticipantEvents returns it, for the stage and session it was listed in: the API's
     * {@code Event}, which is the EventSource itself. It has no envelope: no id and no time, and its account and
     * Region are the stage ARN's. What it means is decided as for an EventBridge event.
     */
    public ParsedEvent parseListed(Map<String, Object> event, String stageArn, String sessionId) {
        String[] arn = stageArn.split(":", 6);
        Envelope envelope = new Envelope(null, arn.length == 6 ? arn[4] : null, arn.length == 6 ? arn[3] : null,
                null, stageArn, sessionId);
        String name = EventSourceJson.nameOf(event, "event");
        if (name == null || EventName.fromValue(name) == EventName.UNKNOWN_TO_SDK_VERSION) {
            return unrecognized(EventOrigin.API, envelope, event, name, UnrecognizedEvent.Reason.UNRECOGNIZED_NAME,
                    null);
        }
        StageEvent stageEvent = StageEvent.builder()
                .origin(EventOrigin.API)
                .envelope(envelope)
                .eventSource(EventSourceJson.fromJson(event, "event"))
                .unknownMembers(EventSourceJson.unknownMembers(event, Set.of()))
                .build();
        return decided(stageEvent, event, name, "event");
    }

    /** A recorded kind that lacks what its kind needs is kept whole instead; the others are as they are. */
    private static ParsedEvent decided(StageEvent stageEvent, Map<String, Object> detail, String name, String path) {
        if (stageEvent.mustBeRecorded()) {
            requireComplete(stageEvent, path);
            String missing = missingForItsKind(stageEvent.eventSource());
            if (missing != null) {
                return unrecognized(stageEvent.origin(), stageEvent.envelope(), detail, name,
                        UnrecognizedEvent.Reason.INCOMPLETE, missing);
            }
        }
        return stageEvent;
    }

    /**
     * A finer time for the same instant, which AWS's own examples are reported to carry as
     * {@code event_time_precise}: null when absent, or when it is no timestamp this reader knows (it is then kept
     * as an unknown member rather than refused). Its whole second must be {@code event_time}'s.
     */
    private static Instant preciseTime(Map<String, Object> detail, Instant eventTime) {
        Object value = member(detail, "detail", "eventTimePrecise", "event_time_precise");
        Instant precise = lenientTimestamp(value, "detail.event_time_precise");
        if (precise != null && eventTime != null
                && precise.getEpochSecond() != eventTime.getEpochSecond()) {
            throw new InvalidEventException("detail.event_time_precise",
                    "a different second than detail.event_time: they must name the same instant");
        }
        return precise;
    }

    /** What each recorded kind needs beyond who, where and when; null when the event has it. */
    private static String missingForItsKind(EventSource source) {
        EventName name = source.name();
        if (name == EventName.TOKEN_EXCHANGED && source.newToken() == null) {
            return "newToken";
        }
        if ((name == EventName.REPLICATION_STARTED || name == EventName.REPLICATION_STOPPED)
                && (source.destinationStageArn() == null || source.destinationStageArn().isEmpty())) {
            return "destinationStageArn";
        }
        return null;
    }

    /**
     * Kept whole, so nothing of it can be lost: only what places it (stage, session, time) is read, and leniently,
     * since a version that does not know the event cannot say what its members should look like.
     */
    private static UnrecognizedEvent unrecognized(EventOrigin origin, Envelope envelope, Map<String, Object> detail,
                                                  String name, UnrecognizedEvent.Reason reason, String missing) {
        return UnrecognizedEvent.builder()
                .origin(origin)
                .envelope(envelope)
                .name(name)
                .eventTime(lenientTimestamp(member(detail, "detail", "eventTime", "event_time"), "detail.eventTime"))
                .reason(reason)
                .missing(missing)
                .detail(detail)
                .build();
    }

    private static Envelope envelope(Map<String, Object> event, Map<String, Object> detail, Instant envelopeTime) {
        return new Envelope(text(event.get("id"), "id"), text(event.get("account"), "account"),
                text(event.get("region"), "region"), envelopeTime, stageArn(event), sessionId(detail));
    }

    private static Instant lenientTimestamp(Object value, String path) {
        if (!(value instanceof String)) {
            return null;
        }
        try {
            return timestamp(value, path);
        } catch (InvalidEventException notOneWeRead) {
            return null;
        }
    }

    private static String sessionId(Map<String, Object> detail) {
        return text(member(detail, "detail", "session_id", "sessionId"), "detail.session_id");
    }

    private static String requiredString(Map<String, Object> event, String key) {
        String value = string(event.get(key), key);
        if (value == null) {
            throw new InvalidEventException(key, "missing");
        }
        return value;
    }

    private static String stageArn(Map<String, Object> event) {
        List<Object> resources = array(event.get("resources"), "resources", "an array");
        return resources == null || resources.isEmpty() ? null : text(resources.get(0), "resources[0]");
    }

    /**
     * A recorded event must say who did what where and when, or it cannot be placed even as a kept event; whether each
     * value can also be a key part is the table's rule, checked by storage before it writes.
     */
    private static void requireComplete(StageEvent event, String path) {
        EventSource source = event.eventSource();
        if (event.origin() == EventOrigin.EVENTBRIDGE) {
            requirePresent(event.eventId(), "id");
            requirePresent(event.stageArn(), "resources[0]");
            requirePresent(event.sessionId(), "detail.session_id");
        }
        requirePresent(source.participantId(), path + ".participantId");
        if (source.eventTime() == null) {
            throw new InvalidEventException(path + ".eventTime", event.origin() == EventOrigin.EVENTBRIDGE
                    ? "missing, and the envelope has no time either" : "missing");
        }
    }

    private static void requirePresent(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException(field, "missing, and it is needed to record this event");
        }
    }
}
