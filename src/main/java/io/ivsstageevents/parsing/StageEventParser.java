package io.ivsstageevents.parsing;

import static io.ivsstageevents.json.JsonFields.array;
import static io.ivsstageevents.json.JsonFields.member;
import static io.ivsstageevents.json.JsonFields.string;
import static io.ivsstageevents.json.JsonFields.text;
import static io.ivsstageevents.json.JsonFields.timestamp;

import io.ivsstageevents.json.EventSourceJson;
import io.ivsstageevents.json.JsonFields;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.InvalidEventException;
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
        EventSource eventSource = EventSourceJson.fromJson(detail, "detail");
        if (eventSource.eventTime() == null) {
            eventSource = eventSource.toBuilder().eventTime(envelopeTime).build();
        }
        StageEvent stageEvent = StageEvent.builder()
                .eventId(text(event.get("id"), "id"))
                .account(text(event.get("account"), "account"))
                .region(text(event.get("region"), "region"))
                .time(envelopeTime)
                .stageArn(stageArn(event))
                .sessionId(text(member(detail, "detail", "session_id", "sessionId"), "detail.session_id"))
                .eventSource(eventSource)
                .build();
        if (stageEvent.mustBeRecorded()) {
            requireComplete(stageEvent);
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
        return resources == null || resources.isEmpty() ? null : text(resources.get(0), "resources[0]");
    }

    /**
     * A recorded event must say who did what where and when; whether each value can also be a key part is the
     * table's rule, checked by storage before it writes.
     */
    private static void requireComplete(StageEvent event) {
        EventSource source = event.eventSource();
        requirePresent(event.eventId(), "id");
        requirePresent(event.stageArn(), "resources[0]");
        requirePresent(event.sessionId(), "detail.session_id");
        requirePresent(source.participantId(), "detail.participantId");
        if (source.eventTime() == null) {
            throw new InvalidEventException("detail.eventTime", "missing, and the envelope has no time either");
        }
        if (source.name() == EventName.REPLICATION_STARTED || source.name() == EventName.REPLICATION_STOPPED) {
            requirePresent(source.destinationStageArn(), "detail.destinationStageArn");
        }
    }

    private static void requirePresent(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException(field, "missing, and it is needed to record this event");
        }
    }
}
