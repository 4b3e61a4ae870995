package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.GSI1_SK;
import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.UNKNOWN_MEMBERS;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.RecordOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The ledger's one write: a put-if-absent of the event's item under its identity, or, where an item of that
 * identity is there, a merge into it when it is the same event (another form, a redelivery) and the next slot
 * when it is not. The put returns the item it found, so a duplicate costs one request and a merge two.
 *
 * <p>A merge only adds: members a form lacked, a finer time, the envelope id, where the event came from, keys
 * this version does not read. It is conditioned on the item's members and version being as read, so of two
 * merges at once one starts over from a fresh read and merges on top of the other: neither undoes the other,
 * and the state each applies knows everything the item knew when it wrote.
 */
final class LedgerWriter {
    /** A merge that keeps losing to concurrent merges of the same item starts over at most this often. */
    private static final int MERGE_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    LedgerWriter(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** What the write did, and the ledger's entry for the event after it. */
    record Written(RecordOutcome outcome, StageEventItems.Entry entry) {
    }

    Written write(StageEventItems items, Deadline deadline) {
        for (int attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
            for (int slot = 1; slot <= StageEventItems.MAX_SLOTS; slot++) {
                Map<String, AttributeValue> found = putIfAbsent(items.ledgerItem(slot), deadline);
                if (found == null) {
                    return new Written(RecordOutcome.RECORDED, items.created());
                }
                EventSource recorded = EventSourceValue.fromValue(found);
                if (!EventForms.sameEvent(recorded, items.event().eventSource())) {
                    continue;
                }
                StageEventItems.Entry merged = merge(found, recorded, items, deadline);
                if (merged != null) {
                    return new Written(RecordOutcome.DUPLICATE, merged);
                }
                break;
            }
        }
        throw new IllegalStateException("the ledger items of one event identity kept changing under concurrent "
                + "writes, or more than " + StageEventItems.MAX_SLOTS + " distinct events share it; giving up so "
                + "that Lambda retries");
    }

    /**
     * A put of an item whose key is derived from its content (a ledger item, a kept event): null when it was
     * written; else the item already under its key.
     */
    Map<String, AttributeValue> putIfAbsent(Map<String, AttributeValue> item, Deadline deadline) {
        return put(item, "attribute_not_exists(#pk)", deadline);
    }

    /**
     * The put {@link #putIfAbsent} sends, with the condition that an item is there already, for SnapStart
     * priming: under a key nothing is ever written to, DynamoDB refuses it, so the request, its condition and
     * the refusal with the item it returns are all exercised and nothing is written.
     */
    void rehearsePut(Map<String, AttributeValue> underKeyNeverWritten, Deadline deadline) {
        if (put(underKeyNeverWritten, "attribute_exists(#pk)", deadline) == null) {
            throw new IllegalStateException("priming wrote an item: something was stored under its key");
        }
    }

    /** Null when the condition, on the item's partition key as #pk, held and the item was written. */
    private Map<String, AttributeValue> put(Map<String, AttributeValue> item, String condition, Deadline deadline) {
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .overrideConfiguration(deadline.remaining())
                    .tableName(tableName)
                    .item(item)
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return null;
        } catch (ConditionalCheckFailedException refused) {
            return refused.item();
        }
    }

    /**
     * Merges the arriving form into the item found; null when the item changed since it was read (the caller
     * starts over). Writes nothing when the item already holds everything the form carries.
     */
    private StageEventItems.Entry merge(Map<String, AttributeValue> found, EventSource recorded,
                                        StageEventItems items, Deadline deadline) {
        EventSource merged = EventForms.merged(recorded, items.event().eventSource());
        String version = Attributes.string(found, GSI1_SK);
        if (!merged.eventTime().equals(recorded.eventTime())) {
            version = StageEventItems.refinedVersion(version, merged.eventTime());
        }
        String eventId = Attributes.string(found, "eventId");
        StageEventItems.Entry entry = new StageEventItems.Entry(merged,
                eventId != null ? eventId : items.event().eventId(), version);

        Update update = new Update();
        Map<String, AttributeValue> members = EventSourceValue.toValue(merged);
        for (String member : EventSourceValue.MEMBERS) {
            update.setIfUnchanged(member, members.get(member), found);
        }
        update.setIfUnchanged(GSI1_SK, AttributeValue.fromS(version), found);
        Map<String, AttributeValue> arriving = items.ledgerItem();
        for (String context : List.of("eventId", "region", "account", "userId")) {
            if (!found.containsKey(context) && arriving.containsKey(context)) {
                update.setIfAbsent(context, arriving.get(context));
            }
        }
        String origin = items.event().origin().label();
        AttributeValue sources = found.get(TableDesign.SOURCE);
        if (sources == null || !sources.ss().contains(origin)) {
            update.add(TableDesign.SOURCE, AttributeValue.fromSs(List.of(origin)));
        }
        if (arriving.containsKey(UNKNOWN_MEMBERS)) {
            update.mergeMap(UNKNOWN_MEMBERS, arriving.get(UNKNOWN_MEMBERS).m(), found);
        }
        if (update.isEmpty()) {
            return entry;
        }
        try {
            dynamoDb.updateItem(request -> request
                    .overrideConfiguration(deadline.remaining())
                    .tableName(tableName)
                    .key(Map.of(PK, found.get(PK), TableDesign.SK, found.get(TableDesign.SK)))
                    .updateExpression(update.expression())
                    .conditionExpression(update.condition())
                    .expressionAttributeNames(update.names)
                    .expressionAttributeValues(update.values.isEmpty() ? null : update.values));
            return entry;
        } catch (ConditionalCheckFailedException changedSinceRead) {
            return null;
        }
    }

    /** One UpdateItem's SET and ADD clauses, with the conditions that make it safe against concurrent merges. */
    private static final class Update {
        private final List<String> sets = new ArrayList<>();
        private final List<String> adds = new ArrayList<>();
        private final List<String> conditions = new ArrayList<>(List.of("attribute_exists(#pk)"));
        private final Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
        private final Map<String, AttributeValue> values = new HashMap<>();

        /**
         * On condition the attribute still holds what was read (or is still absent), sets it to the value unless it
         * holds it already; a null value leaves it absent.
         */
        void setIfUnchanged(String attribute, AttributeValue value, Map<String, AttributeValue> read) {
            AttributeValue before = read.get(attribute);
            String name = name(attribute);
            conditions.add(before == null ? "attribute_not_exists(" + name + ")" : name + " = " + value(before));
            if (value != null && !value.equals(before)) {
                sets.add(name + " = " + value(value));
            }
        }

        void setIfAbsent(String attribute, AttributeValue value) {
            String name = name(attribute);
            sets.add(name + " = if_not_exists(" + name + ", " + value(value) + ")");
        }

        void add(String attribute, AttributeValue value) {
            adds.add(name(attribute) + " " + value(value));
        }

        /** The map's entries the item lacks, each only if still absent; the whole map where the item has none. */
        void mergeMap(String attribute, Map<String, AttributeValue> entries, Map<String, AttributeValue> read) {
            AttributeValue before = read.get(attribute);
            if (before == null) {
                setIfUnchanged(attribute, AttributeValue.fromM(entries), read);
                return;
            }
            String map = null;
            for (Map.Entry<String, AttributeValue> entry : entries.entrySet()) {
                if (!before.m().containsKey(entry.getKey())) {
                    map = map == null ? name(attribute) : map;
                    String path = map + "." + name(entry.getKey());
                    sets.add(path + " = if_not_exists(" + path + ", " + value(entry.getValue()) + ")");
                }
            }
        }

        boolean isEmpty() {
            return sets.isEmpty() && adds.isEmpty();
        }

        String expression() {
            return (sets.isEmpty() ? "" : "SET " + String.join(", ", sets))
                    + (adds.isEmpty() ? "" : (sets.isEmpty() ? "" : " ") + "ADD " + String.join(", ", adds));
        }

        String condition() {
            return String.join(" AND ", conditions);
        }

        private String name(String attribute) {
            String token = "#n" + names.size();
            names.put(token, attribute);
            return token;
        }

        private String value(AttributeValue value) {
            String token = ":v" + values.size();
            values.put(token, value);
            return token;
        }
    }
}
