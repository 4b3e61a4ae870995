package io.ivsstageevents.parsing;

import static io.ivsstageevents.parsing.JsonFields.member;
import static io.ivsstageevents.parsing.JsonFields.present;
import static io.ivsstageevents.parsing.JsonFields.string;
import static io.ivsstageevents.parsing.JsonFields.timestamp;
import static io.ivsstageevents.parsing.JsonFields.wrongType;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.StageEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * Turns the bytes of one EventBridge event into a {@link StageEvent}, a {@link ForeignEvent}, or an
 * {@link InvalidEventException} that names what was wrong. Thread-safe; build one per process.
 */
public final class StageEventParser {
    public static final String SOURCE = "aws.ivs";
    public static final String DETAIL_TYPE = "IVS Stage Update";

    /** Longest key component accepted; DynamoDB allows 2048 bytes for a partition key and 1024 for a sort key. */
    static final int MAX_KEY_COMPONENT_LENGTH = 256;

    private final ObjectReader reader;

    public StageEventParser() {
        this(new ObjectMapper());
    }

    public StageEventParser(ObjectMapper mapper) {
        // Duplicate keys make an event ambiguous and trailing bytes make it truncated or spliced: both are rejected.
        this.reader = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ParsedEvent parse(byte[] bytes) {
        return parse(readTree(bytes));
    }

    public ParsedEvent parse(JsonNode event) {
        if (!event.isObject()) {
            throw wrongType("event", "an object", event);
        }
        String source = requiredString(event, "source");
        String detailType = requiredString(event, "detail-type");
        if (!SOURCE.equals(source) || !DETAIL_TYPE.equals(detailType)) {
            return new ForeignEvent(source, detailType);
        }
        JsonNode detail = present(event.get("detail"));
        if (detail == null) {
            throw new InvalidEventException("detail", "missing");
        }
        Instant envelopeTime = timestamp(present(event.get("time")), "time");
        EventSource eventSource = EventSourceJson.read(detail, "detail");
        if (eventSource.eventTime() == null) {
            eventSource = eventSource.toBuilder().eventTime(envelopeTime).build();
        }
        StageEvent stageEvent = StageEvent.builder()
                .eventId(string(present(event.get("id")), "id"))
                .account(string(present(event.get("account")), "account"))
                .region(string(present(event.get("region")), "region"))
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

    /** The bytes as a JSON tree, for a caller that must look at the payload's shape first. */
    public JsonNode readTree(byte[] bytes) {
        try {
            JsonNode tree = reader.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new InvalidEventException("event", "empty input, expected a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            // Only the position: the parser's own message quotes the input, which may hold personal data.
            JsonLocation location = e.getLocation();
            throw new InvalidEventException("event", "not valid JSON"
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")")
                    + ": " + e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new InvalidEventException("event", "unreadable: " + e.getClass().getSimpleName());
        }
    }

    private static String requiredString(JsonNode event, String key) {
        String value = string(present(event.get(key)), key);
        if (value == null) {
            throw new InvalidEventException(key, "missing");
        }
        return value;
    }

    private static String stageArn(JsonNode event) {
        JsonNode resources = present(event.get("resources"));
        if (resources == null) {
            return null;
        }
        if (!resources.isArray()) {
            throw wrongType("resources", "an array", resources);
        }
        return resources.isEmpty() ? null : string(present(resources.get(0)), "resources[0]");
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
