package io.ivsstageevents.parsing;

import static io.ivsstageevents.parsing.JsonFields.array;
import static io.ivsstageevents.parsing.JsonFields.bool;
import static io.ivsstageevents.parsing.JsonFields.member;
import static io.ivsstageevents.parsing.JsonFields.object;
import static io.ivsstageevents.parsing.JsonFields.string;
import static io.ivsstageevents.parsing.JsonFields.timestamp;
import static io.ivsstageevents.parsing.JsonFields.wrongType;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link EventSource} to and from JSON. Reads both wire forms, the API's camelCase with enum names and
 * EventBridge's snake_case with phrase names; writes the API form. Unknown keys are ignored, unknown enum values
 * kept as they are.
 */
public final class EventSourceJson {
    /**
     * IVS allows 1 KB of attributes per token. Eight times that is accepted, so that a looser limit AWS may set
     * later is not refused, while far larger maps (garbage, or an attack on the table's item size) are.
     */
    static final int MAX_ATTRIBUTES_BYTES = 8 * 1024;

    private EventSourceJson() {
    }

    /** Reads an EventSource from a {@code detail} object (or an API {@code Event}) at the given JSON path. */
    public static EventSource read(Map<String, Object> object, String path) {
        String name = string(firstPresent(object, path, "name", "event_name", "eventName"), path + ".name");
        return EventSource.builder()
                .name(name == null ? null : EventName.canonicalValue(name))
                .participantId(string(member(object, path, "participantId", "participant_id"), path + ".participantId"))
                .eventTime(timestamp(member(object, path, "eventTime", "event_time"), path + ".eventTime"))
                .remoteParticipantId(string(member(object, path, "remoteParticipantId", "remote_participant_id"),
                        path + ".remoteParticipantId"))
                .errorCode(string(member(object, path, "errorCode", "error_code"), path + ".errorCode"))
                .destinationStageArn(string(member(object, path, "destinationStageArn", "destination_stage_arn"),
                        path + ".destinationStageArn"))
                .destinationSessionId(string(member(object, path, "destinationSessionId", "destination_session_id"),
                        path + ".destinationSessionId"))
                .replica(bool(member(object, path, "replica", "replica"), path + ".replica"))
                .previousToken(readToken(member(object, path, "previousToken", "previous_token"),
                        path + ".previousToken"))
                .newToken(readToken(member(object, path, "newToken", "new_token"), path + ".newToken"))
                .build();
    }

    /**
     * The API camelCase form, compact; absent members are left out, token attributes are written in key order,
     * so that one EventSource always has one text (the table's keys hold a digest of it).
     */
    public static String write(EventSource source) {
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
                .userId(string(member(token, path, "userId", "user_id"), path + ".userId"))
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
            values.add((String) capability);
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
            if (!(attribute.getValue() instanceof String text)) {
                throw wrongType(path + ".<attribute>", "a string", attribute.getValue());
            }
            if (name.isEmpty()) {
                throw new InvalidEventException(path + ".<attribute>", "an empty name, which DynamoDB cannot store");
            }
            bytes += Utf8.length(name) + Utf8.length(text);
            values.put(name, text);
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
                json.writeString(capability);
            }
            json.writeEndArray();
        }
        if (token.attributes() != null) {
            json.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> attribute : new TreeMap<>(token.attributes()).entrySet()) {
                json.writeStringField(attribute.getKey(), attribute.getValue());
            }
            json.writeEndObject();
        }
        writeIfPresent(json, "userId", token.userId());
        writeIfPresent(json, "expirationTime", token.expirationTime());
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, String key, String value) throws IOException {
        if (value != null) {
            json.writeStringField(key, value);
        }
    }

    private static void writeIfPresent(JsonGenerator json, String key, Instant value) throws IOException {
        if (value != null) {
            json.writeStringField(key, IsoTimestamps.format(value));
        }
    }
}
