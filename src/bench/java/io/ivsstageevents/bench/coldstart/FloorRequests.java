package io.ivsstageevents.bench.coldstart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The two requests the function sends for events/token-exchanged.json, as literals: what any function recording
 * that event has to send, written by hand as a minimal handler would. They are not the source of truth: after every
 * floor run the driver compares the table, item for item and attribute for attribute, with what the function itself
 * wrote for the same event, and names each difference; {@code bench/run --check} (in CI) runs that comparison, so a
 * change of the function's stored form that these literals miss fails the build.
 */
final class FloorRequests {
    private static final String STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij";
    private static final String SESSION = "st-ZyXwvu1T2s";
    private static final String PARTICIPANT = "aBc9d8e7f6g";
    private static final String EVENT_ID = "3d6a9a4c-2f1e-4b8a-9d51-0c7e21f4a108";
    private static final String EVENT_TIME = "2026-03-14T18:06:12.482Z";
    private static final String VERSION = "2026-03-14T18:06:12.482000000Z#3883e745a080b1b18595ac0d7707100b";
    /** The token state's version: the event's, then how complete its form is (EventBridge's form with its id: 11). */
    private static final String STATE_VERSION = VERSION + "#11";

    private FloorRequests() {
    }

    static PutItemRequest ledger(String table) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s("SESSION#" + STAGE + "#" + SESSION));
        // The ledger identity: stage, session, participant, name and the second of the event (not its form).
        item.put("sk", s("EVENT#2026-03-14T18:06:12.000000000Z#" + PARTICIPANT
                + "#TOKEN_EXCHANGED#adee07a2482c12c9ee536f14aed3475a"));
        item.put("gsi1pk", s("PARTICIPANT#" + PARTICIPANT));
        item.put("gsi1sk", s(VERSION));
        item.put("itemType", s("EVENT"));
        item.put("stageArn", s(STAGE));
        item.put("sessionId", s(SESSION));
        item.put("eventId", s(EVENT_ID));
        item.put("region", s("us-west-2"));
        item.put("account", s("123456789012"));
        item.put("userId", s("viewer-0815"));
        item.put("name", s("TOKEN_EXCHANGED"));
        item.put("participantId", s(PARTICIPANT));
        item.put("eventTime", s(EVENT_TIME));
        item.put("previousToken", AttributeValue.fromM(token(List.of(s("SUBSCRIBE")),
                Map.of("displayName", s("Guest 0815")))));
        item.put("newToken", AttributeValue.fromM(newToken()));
        item.put("source", AttributeValue.fromSs(List.of("EventBridge")));
        // The digest of the item's content as merged (the event's canonical form, then its unknown members' names),
        // which a merge of another form is conditioned on.
        item.put("formDigest", s("3883e745a080b1b18595ac0d7707100b"));
        return PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", "pk"))
                // The function reads the item it collides with, to merge the other form of the event into it.
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    static PutItemRequest tokenState(String table) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s("PARTICIPANT#" + PARTICIPANT));
        item.put("sk", s("TOKEN"));
        item.put("itemType", s("TOKEN_STATE"));
        item.put("participantId", s(PARTICIPANT));
        item.put("stageArn", s(STAGE));
        item.put("sessionId", s(SESSION));
        item.put("eventId", s(EVENT_ID));
        item.put("asOf", s(EVENT_TIME));
        item.put("stateVersion", s(STATE_VERSION));
        item.putAll(newToken());
        return PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(#pk) OR #version <= :version")
                .expressionAttributeNames(Map.of("#pk", "pk", "#version", "stateVersion"))
                .expressionAttributeValues(Map.of(":version", s(STATE_VERSION)))
                .build();
    }

    private static Map<String, AttributeValue> newToken() {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("displayName", s("Guest 0815"));
        attributes.put("role", s("co-host"));
        attributes.put("avatarUrl", s("https://example.com/a/0815.png"));
        return token(List.of(s("PUBLISH"), s("SUBSCRIBE")), attributes);
    }

    private static Map<String, AttributeValue> token(List<AttributeValue> capabilities,
                                                     Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> token = new LinkedHashMap<>();
        token.put("capabilities", AttributeValue.fromL(capabilities));
        token.put("attributes", AttributeValue.fromM(attributes));
        token.put("userId", s("viewer-0815"));
        token.put("expirationTime", s("2026-03-15T06:00:00Z"));
        return token;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
