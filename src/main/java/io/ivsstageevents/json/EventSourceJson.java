package io.ivsstageevents.json;

import static io.ivsstageevents.json.JsonFields.array;
import static io.ivsstageevents.json.JsonFields.bool;
import static io.ivsstageevents.json.JsonFields.member;
import static io.ivsstageevents.json.JsonFields.object;
import static io.ivsstageevents.json.JsonFields.text;
import static io.ivsstageevents.json.JsonFields.timestamp;
import static io.ivsstageevents.json.JsonFields.wrongType;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.InvalidEventException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link EventSource} to and from JSON: the seed's {@code of_json}, {@code of_string} and {@code to_json}. Reads
 * both wire forms, the API's camelCase with enum names and EventBridge's snake_case with phrase names; writes the
 * API form. Unknown keys are ignored, unknown enum values kept as they are. What the writer writes, the reader
 * reads back as the same EventSource; what the reader would refuse, the writer refuses to write.
 */
public final class EventSourceJson {
    /**
     * IVS allows 1 KB of attributes per token. Eight times that is accepted, so that a looser limit AWS may set
     * later is not refused, while far larger maps (garbage, or an attack on the table's item size) are.
     */
    static final int MAX_ATTRIBUTES_BYTES = 8 * 1024;

    /** Every key the reader reads in an event object, in both forms. */
    private static final Set<String> MEMBER_KEYS = Set.of("name", "event_name", "eventName",
            "participantId", "participant_id", "eventTime", "event_time",
            "remoteParticipantId", "remote_participant_id", "errorCode", "error_code",
            "destinationStageArn", "destination_stage_arn", "destinationSessionId", "destination_session_id",
            "replica", "previousToken", "previous_token", "newToken", "new_token");
    private static final Set<String> TOKEN_KEYS = Set.of("capabilities", "attributes", "userId", "user_id",
            "expirationTime", "expiration_time");
    private static final List<String> TOKENS = List.of("previousToken", "previous_token", "newToken", "new_token");

    private EventSourceJson() {
    }

    /**
     * The members of an event object that {@link #fromJson} does not read, with their values as read: keys at the
     * top level under their own name, keys inside a token as {@code newToken.key} (whichever form the token came in).
     * {@code alsoRead} names the keys the caller reads itself ({@code session_id}, say). Insertion-ordered, as in the
     * object.
     */
    public static Map<String, Object> unknownMembers(Map<String, Object> object, Set<String> alsoRead) {
        Map<String, Object> unknown = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            if (!MEMBER_KEYS.contains(key) && !alsoRead.contains(key)) {
                unknown.put(key, value);
            }
        });
        for (String tokenKey : TOKENS) {
            if (object.get(tokenKey) instanceof Map<?, ?> token) {
                // Named by the API's spelling of the token, so that either form of one event names it alike.
                String tokenName = tokenKey.startsWith("new") ? "newToken" : "previousToken";
                token.forEach((key, value) -> {
                    if (!TOKEN_KEYS.contains(key)) {
                        unknown.put(tokenName + "." + key, value);
                    }
                });
            }
        }
        return unknown;
    }

    /** of_string: an EventSource from the text of one JSON object, in either form. */
    public static EventSource fromString(String json) {
        return fromBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    /** of_string, from the UTF-8 bytes of one JSON object. */
    public static EventSource fromBytes(byte[] json) {
        return fromJson(JsonTree.readObject(json), "event");
    }

    /**
     * of_json: an EventSource from an object already read by {@link JsonTree} (EventBridge's {@code detail}, or an
     * API {@code Event}); errors name members by their path below {@code path}.
     */
    public static EventSource fromJson(Map<String, Object> object, String path) {
        return EventSource.builder()
                .name(nameOf(object, path))
                .participantId(text(member(object, path, "participantId", "participant_id"), path + ".participantId"))
                .eventTime(timestamp(member(object, path, "eventTime", "event_time"), path + ".eventTime"))
                .remoteParticipantId(text(member(object, path, "remoteParticipantId", "remote_participant_id"),
                        path + ".remoteParticipantId"))
                .errorCode(text(member(object, path, "errorCode", "error_code"), path + ".errorCode"))
                .destinationStageArn(text(member(object, path, "destinationStageArn", "destination_stage_arn"),
                        path + ".destinationStageArn"))
                .destinationSessionId(text(member(object, path, "destinationSessionId", "destination_session_id"),
                        path + ".destinationSessionId"))
                .replica(bool(member(object, path, "replica", "replica"), path + ".replica"))
                .previousToken(readToken(member(object, path, "previousToken", "previous_token"),
                        path + ".previousToken"))
                .newToken(readToken(member(object, path, "newToken", "new_token"), path + ".newToken"))
                .build();
    }

    /**
     * The object's event name: the API's value for a name recognized in any spelling ({@link EventNameSpellings}),
     * any other name exactly as it came, null for none.
     */
    public static String nameOf(Map<String, Object> object, String path) {
        String wireName = text(firstPresent(object, path, "name", "event_name", "eventName"), path + ".name");
        EventName recognized = EventNameSpellings.recognize(wireName);
        return recognized != null ? recognized.toString() : wireName;
    }

    /**
     * to_json: the API camelCase form, compact; absent members are left out, token attributes are written in key
     * order, so that one EventSource always has one text (the table's keys hold a digest of it).
     *
     * @throws IllegalArgumentException for a value the reader would refuse: a string holding a lone UTF-16
     *         surrogate, or a time outside the years 0000 to 9999. Only code can build such an EventSource.
     */
    public static String toJson(EventSource source) {
        return JsonTree.write(json -> write(source, json));
    }

    private static void write(EventSource source, JsonGenerator json) throws IOException {
        json.writeStartObject();
        writeIfPresent(json, "name", source.nameAsString());
        writeIfPresent(json, "participantId", source.participantId());
        writeIfPresent(json, "eventTime", source.eventTime());
        writeIfPresent(json, "remoteParticipantId", source.remoteParticipantId());
        writeIfPresent(json, "errorCode", source.errorCodeAsString());
        writeIfPresent(json, "destinationStageArn", source.destinationStageArn());
        writeIfPresent(json, "destinationSessionId", source.destinationSessionId());
        if (source.replica() != null) {
            json.writeBooleanField("replica", source.replica());
        }
        if (source.previousToken() != null) {
            json.writeFieldName("previousToken");
            writeToken(source.previousToken(), json);
        }
        if (source.newToken() != null) {
            json.writeFieldName("newToken");
            writeToken(source.newToken(), json);
        }
        json.writeEndObject();
    }

    private static Object firstPresent(Map<String, Object> object, String path, String camelCase,
                                       String snakeCase, String alternative) {
        Object value = member(object, path, camelCase, snakeCase);
        return value != null ? value : object.get(alternative);
    }

    private static ExchangedParticipantToken readToken(Object value, String path) {
        if (value == null) {
            return null;
        }
        Map<String, Object> token = object(value, path);
        return ExchangedParticipantToken.builder()
                .capabilitiesWithStrings(readCapabilities(member(token, path, "capabilities", "capabilities"),
                        path + ".capabilities"))
                .attributes(readAttributes(member(token, path, "attributes", "attributes"), path + ".attributes"))
                .userId(text(member(token, path, "userId", "user_id"), path + ".userId"))
                .expirationTime(timestamp(member(token, path, "expirationTime", "expiration_time"),
                        path + ".expirationTime"))
                .build();
    }

    private static List<String> readCapabilities(Object value, String path) {
        List<Object> capabilities = array(value, path, "an array of strings");
        if (capabilities == null) {
            return null;
        }
        List<String> values = new ArrayList<>(capabilities.size());
        for (int i = 0; i < capabilities.size(); i++) {
            Object capability = capabilities.get(i);
            if (!(capability instanceof String)) {
                throw wrongType(path + "[" + i + "]", "a string", capability);
            }
            values.add(text(capability, path + "[" + i + "]"));
        }
        return values;
    }

    private static Map<String, String> readAttributes(Object value, String path) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> attributes)) {
            throw wrongType(path, "an object of strings", value);
        }
        Map<String, String> values = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<?, ?> attribute : attributes.entrySet()) {
            String name = (String) attribute.getKey();
            // No attribute is named in a message: attribute names can carry personal data as well.
            if (!(attribute.getValue() instanceof String attributeValue)) {
                throw wrongType(path + ".<attribute>", "a string", attribute.getValue());
            }
            if (name.isEmpty()) {
                throw new InvalidEventException(path + ".<attribute>", "an empty name, which DynamoDB cannot store");
            }
            text(name, path + ".<attribute>");
            text(attributeValue, path + ".<attribute>");
            bytes += Utf8.length(name) + Utf8.length(attributeValue);
            values.put(name, attributeValue);
        }
        if (bytes > MAX_ATTRIBUTES_BYTES) {
            throw new InvalidEventException(path, bytes + " bytes in all, over the " + MAX_ATTRIBUTES_BYTES
                    + " accepted (IVS allows 1 KB per token)");
        }
        return values;
    }

    private static void writeToken(ExchangedParticipantToken token, JsonGenerator json) throws IOException {
        json.writeStartObject();
        if (token.capabilitiesAsStrings() != null) {
            json.writeArrayFieldStart("capabilities");
            for (String capability : token.capabilitiesAsStrings()) {
                json.writeString(readable(capability, "capabilities"));
            }
            json.writeEndArray();
        }
        if (token.attributes() != null) {
            json.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> attribute : new TreeMap<>(token.attributes()).entrySet()) {
                json.writeStringField(readable(attribute.getKey(), "attributes"),
                        readable(attribute.getValue(), "attributes"));
            }
            json.writeEndObject();
        }
        writeIfPresent(json, "userId", token.userId());
        writeIfPresent(json, "expirationTime", token.expirationTime());
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, String key, String value) throws IOException {
        if (value != null) {
            json.writeStringField(key, readable(value, key));
        }
    }

    private static void writeIfPresent(JsonGenerator json, String key, Instant value) throws IOException {
        if (value != null) {
            try {
                IsoTimestamps.requireFourDigitYears(value, key);
            } catch (InvalidEventException outside) {
                // Only code builds such a time, so it is the caller's mistake, not the event's.
                throw new IllegalArgumentException(outside.getMessage() + ", which no reader of this form accepts");
            }
            json.writeStringField(key, IsoTimestamps.format(value));
        }
    }

    /** The name only, never the value: values may be personal data. */
    private static String readable(String value, String member) {
        if (!Utf8.isEncodable(value)) {
            throw new IllegalArgumentException(member + ": holds a lone UTF-16 surrogate, which UTF-8 cannot carry");
        }
        return value;
    }
}
