package io.ivsstageevents.parsing;

import static io.ivsstageevents.parsing.JsonFields.array;
import static io.ivsstageevents.parsing.JsonFields.member;
import static io.ivsstageevents.parsing.JsonFields.string;
import static io.ivsstageevents.parsing.JsonFields.timestamp;

import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.StageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Turns the bytes of one EventBridge event into a {@link StageEvent}, a {@link ForeignEvent}, or an
 * {@link InvalidEventException} that names what was wrong. Stateless and thread-safe.
 */
public final class StageEventParser {
    public static final String SOURCE = "aws.ivs";
    public static final String DETAIL_TYPE = "IVS Stage Update";

    /** Longest key component accepted; DynamoDB allows 2048 bytes for a partition key and 1024 for a sort key. */
    static final int MAX_KEY_COMPONENT_LENGTH = 256;

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
        EventSource eventSource = EventSourceJson.read(detail, "detail");
        if (eventSource.eventTime() == null) {
            eventSource = eventSource.toBuilder().eventTime(envelopeTime).build();
        }
        StageEvent stageEvent = StageEvent.builder()
                .eventId(string(event.get("id"), "id"))
                .account(string(event.get("account"), "account"))
                .region(string(event.get("region"), "region"))
                .time(envelopeTime)
                .stageArn(stageArn(event))
                .sessionId(string(member(detail, "detail", "session_id", "sessionId"), "detail.session_id"))
                .eventSource(eventSource)
                .build();
        if (stageEvent.mustBeRecorded()) {
            requireRecordable(stageEvent);
        }
        return stageEvent;
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
        return resources == null || resources.isEmpty() ? null : string(resources.get(0), "resources[0]");
    }

    /**
     * What the table's keys are built from must be there and must not break the keys apart. Lengths are checked
     * only against what DynamoDB can hold, not against the API model: AWS's own samples break the model's limits.
     */
    private static void requireRecordable(StageEvent event) {
        EventSource source = event.eventSource();
        requireKeyComponent(event.eventId(), "id");
        requireKeyComponent(event.stageArn(), "resources[0]");
        requireKeyComponent(event.sessionId(), "detail.session_id");
        requireKeyComponent(source.participantId(), "detail.participantId");
        if (source.eventTime() == null) {
            throw new InvalidEventException("detail.eventTime", "missing, and the envelope has no time either");
        }
        if (source.name() == EventName.REPLICATION_STARTED || source.name() == EventName.REPLICATION_STOPPED) {
            requireKeyComponent(source.destinationStageArn(), "detail.destinationStageArn");
            if (source.destinationSessionId() != null) {
                requireKeyComponent(source.destinationSessionId(), "detail.destinationSessionId");
            }
        }
    }

    private static void requireKeyComponent(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException(field, "missing, and it is needed to record this event");
        }
        if (value.length() > MAX_KEY_COMPONENT_LENGTH) {
            throw new InvalidEventException(field, "longer than " + MAX_KEY_COMPONENT_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~' || c == '#') {
                throw new InvalidEventException(field,
                        "holds a character that is not printable ASCII, or '#', which separates key parts");
            }
        }
    }
}
