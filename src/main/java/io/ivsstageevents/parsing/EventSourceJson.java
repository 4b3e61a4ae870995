package io.ivsstageevents.parsing;

import static io.ivsstageevents.parsing.JsonFields.bool;
import static io.ivsstageevents.parsing.JsonFields.member;
import static io.ivsstageevents.parsing.JsonFields.string;
import static io.ivsstageevents.parsing.JsonFields.timestamp;
import static io.ivsstageevents.parsing.JsonFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
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
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * IVS allows 1 KB of attributes per token. Eight times that is accepted, so that a looser limit AWS may set
     * later is not refused, while far larger maps (garbage, or an attack on the table's item size) are.
     */
    static final int MAX_ATTRIBUTES_BYTES = 8 * 1024;

    private EventSourceJson() {
    }

    /** Reads an EventSource from a {@code detail} object (or an API {@code Event}) at the given JSON path. */
    public static EventSource read(JsonNode object, String path) {
        if (!object.isObject()) {
            throw wrongType(path, "an object", object);
        }
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

    /** The API camelCase form; absent members are left out, token attributes are written in key order. */
    public static ObjectNode write(EventSource source) {
        ObjectNode json = NODES.objectNode();
        putIfPresent(json, "name", source.nameAsString());
        putIfPresent(json, "participantId", source.participantId());
        putIfPresent(json, "eventTime", source.eventTime());
        putIfPresent(json, "remoteParticipantId", source.remoteParticipantId());
        putIfPresent(json, "errorCode", source.errorCodeAsString());
        putIfPresent(json, "destinationStageArn", source.destinationStageArn());
        putIfPresent(json, "destinationSessionId", source.destinationSessionId());
        if (source.replica() != null) {
            json.put("replica", source.replica());
        }
        if (source.previousToken() != null) {
            json.set("previousToken", writeToken(source.previousToken()));
        }
        if (source.newToken() != null) {
            json.set("newToken", writeToken(source.newToken()));
        }
        return json;
    }

    private static JsonNode firstPresent(JsonNode object, String path, String camelCase, String snakeCase,
                                         String alternative) {
        JsonNode value = member(object, path, camelCase, snakeCase);
        return value != null ? value : JsonFields.present(object.get(alternative));
    }

    private static ExchangedParticipantToken readToken(JsonNode token, String path) {
        if (token == null) {
            return null;
        }
        if (!token.isObject()) {
            throw wrongType(path, "an object", token);
        }
        return ExchangedParticipantToken.builder()
                .capabilitiesWithStrings(readCapabilities(member(token, path, "capabilities", "capabilities"),
                        path + ".capabilities"))
                .attributes(readAttributes(member(token, path, "attributes", "attributes"), path + ".attributes"))
                .userId(string(member(token, path, "userId", "user_id"), path + ".userId"))
                .expirationTime(timestamp(member(token, path, "expirationTime", "expiration_time"),
                        path + ".expirationTime"))
                .build();
    }

    private static List<String> readCapabilities(JsonNode capabilities, String path) {
        if (capabilities == null) {
            return null;
        }
        if (!capabilities.isArray()) {
            throw wrongType(path, "an array of strings", capabilities);
        }
        List<String> values = new ArrayList<>(capabilities.size());
        for (int i = 0; i < capabilities.size(); i++) {
            JsonNode capability = capabilities.get(i);
            if (capability == null || !capability.isTextual()) {
                throw wrongType(path + "[" + i + "]", "a string", capability == null ? NODES.nullNode() : capability);
            }
            values.add(capability.textValue());
        }
        return values;
    }

    private static Map<String, String> readAttributes(JsonNode attributes, String path) {
        if (attributes == null) {
            return null;
        }
        if (!attributes.isObject()) {
            throw wrongType(path, "an object of strings", attributes);
        }
        Map<String, String> values = new LinkedHashMap<>();
        int bytes = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            // No attribute is named in a message: attribute names can carry personal data as well.
            if (!attribute.getValue().isTextual()) {
                throw wrongType(path + ".<attribute>", "a string", attribute.getValue());
            }
            if (attribute.getKey().isEmpty()) {
                throw new InvalidEventException(path + ".<attribute>", "an empty name, which DynamoDB cannot store");
            }
            bytes += utf8Length(attribute.getKey()) + utf8Length(attribute.getValue().textValue());
            values.put(attribute.getKey(), attribute.getValue().textValue());
        }
        if (bytes > MAX_ATTRIBUTES_BYTES) {
            throw new InvalidEventException(path, bytes + " bytes in all, over the " + MAX_ATTRIBUTES_BYTES
                    + " accepted (IVS allows 1 KB per token)");
        }
        return values;
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static ObjectNode writeToken(ExchangedParticipantToken token) {
        ObjectNode json = NODES.objectNode();
        if (token.capabilitiesAsStrings() != null) {
            ArrayNode capabilities = json.putArray("capabilities");
            token.capabilitiesAsStrings().forEach(capabilities::add);
        }
        if (token.attributes() != null) {
            ObjectNode attributes = json.putObject("attributes");
            new TreeMap<>(token.attributes()).forEach(attributes::put);
        }
        putIfPresent(json, "userId", token.userId());
        putIfPresent(json, "expirationTime", token.expirationTime());
        return json;
    }

    private static void putIfPresent(ObjectNode json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    private static void putIfPresent(ObjectNode json, String key, Instant value) {
        if (value != null) {
            json.put(key, value.toString());
        }
    }
}
