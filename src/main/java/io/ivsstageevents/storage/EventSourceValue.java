package io.ivsstageevents.storage;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The seed's {@code to_value}: an {@link EventSource} as a structured value with native types, which for this
 * project is the DynamoDB attribute map its ledger item stores. Strings and enum values are S, {@code replica} is
 * BOOL, capabilities an L of S, attributes an M of S, a token an M; times are S in ISO 8601, DynamoDB having no
 * time type. Absent members are absent. {@link #fromValue} reads it back: the two are inverses.
 */
public final class EventSourceValue {
    private EventSourceValue() {
    }

    public static Map<String, AttributeValue> toValue(EventSource source) {
        return new Attributes()
                .s("name", source.nameAsString())
                .s("participantId", source.participantId())
                .s("eventTime", source.eventTime())
                .s("remoteParticipantId", source.remoteParticipantId())
                .s("errorCode", source.errorCodeAsString())
                .s("destinationStageArn", source.destinationStageArn())
                .s("destinationSessionId", source.destinationSessionId())
                .bool("replica", source.replica())
                .m("previousToken", token(source.previousToken()))
                .m("newToken", token(source.newToken()))
                .build();
    }

    /** The EventSource held by a value (or a ledger item: attributes that are not members are passed over). */
    public static EventSource fromValue(Map<String, AttributeValue> value) {
        AttributeValue replica = value.get("replica");
        return EventSource.builder()
                .name(Attributes.string(value, "name"))
                .participantId(Attributes.string(value, "participantId"))
                .eventTime(time(value, "eventTime"))
                .remoteParticipantId(Attributes.string(value, "remoteParticipantId"))
                .errorCode(Attributes.string(value, "errorCode"))
                .destinationStageArn(Attributes.string(value, "destinationStageArn"))
                .destinationSessionId(Attributes.string(value, "destinationSessionId"))
                .replica(replica == null ? null : replica.bool())
                .previousToken(token(value.get("previousToken")))
                .newToken(token(value.get("newToken")))
                .build();
    }

    /** A token's members at the top level of a map: as a member of the ledger item, and as the token state. */
    static Attributes tokenMembers(Attributes attributes, ExchangedParticipantToken token) {
        return attributes
                .strings("capabilities", token.capabilitiesAsStrings())
                .stringMap("attributes", token.attributes())
                .s("userId", token.userId())
                .s("expirationTime", token.expirationTime());
    }

    private static Map<String, AttributeValue> token(ExchangedParticipantToken token) {
        return token == null ? null : tokenMembers(new Attributes(), token).build();
    }

    private static ExchangedParticipantToken token(AttributeValue value) {
        if (value == null) {
            return null;
        }
        Map<String, AttributeValue> token = value.m();
        AttributeValue capabilities = token.get("capabilities");
        AttributeValue attributes = token.get("attributes");
        return ExchangedParticipantToken.builder()
                .capabilitiesWithStrings(capabilities == null ? null : strings(capabilities.l()))
                .attributes(attributes == null ? null : stringMap(attributes.m()))
                .userId(Attributes.string(token, "userId"))
                .expirationTime(time(token, "expirationTime"))
                .build();
    }

    private static Instant time(Map<String, AttributeValue> value, String name) {
        String text = Attributes.string(value, name);
        return text == null ? null : Instant.parse(text);
    }

    private static List<String> strings(List<AttributeValue> values) {
        List<String> strings = new ArrayList<>(values.size());
        values.forEach(value -> strings.add(value.s()));
        return strings;
    }

    private static Map<String, String> stringMap(Map<String, AttributeValue> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((key, value) -> strings.put(key, value.s()));
        return strings;
    }
}
