package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.FORM_DIGEST;
import static io.ivsstageevents.storage.TableDesign.GSI1_SK;
import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.UNKNOWN_MEMBERS;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.time.TimeBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * this version does not read. What it overwrites (the members, the order in {@code gsi1sk}, the first unknown
 * members) it overwrites on the one condition that the item's form digest is as read; every merge that overwrites
 * anything changes the digest, so of two merges at once one starts over from a fresh read and merges on top of
 * the other: neither undoes the other, and the state each applies knows everything the item knew when it wrote.
 * What it only adds to (the envelope's context, {@code source}, a further unknown member) it adds to whatever the
 * item holds by then.
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

    Written write(StageEventItems items, TimeBudget deadline) {
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
    Map<String, AttributeValue> putIfAbsent(Map<String, AttributeValue> item, TimeBudget deadline) {
        return put(item, "attribute_not_exists(#pk)", deadline);
    }

    /** The put {@link #putIfAbsent} sends, on the condition that an item is there already: null when it was written. */
    Map<String, AttributeValue> putIfPresent(Map<String, AttributeValue> item, TimeBudget deadline) {
        return put(item, "attribute_exists(#pk)", deadline);
    }

    /** Null when the condition, on the item's partition key as #pk, held and the item was written. */
    private Map<String, AttributeValue> put(Map<String, AttributeValue> item, String condition, TimeBudget deadline) {
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .overrideConfiguration(DynamoDbClients.within(deadline))
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
                                        StageEventItems items, TimeBudget deadline) {
        StageEvent event = items.event();
        EventSource merged = EventForms.merged(recorded, event.eventSource());
        String eventId = Attributes.string(found, "eventId");
        StageEventItems.Entry entry = new StageEventItems.Entry(merged, eventId != null ? eventId : event.eventId(),
                EventOrder.digestInLedgerForm(Attributes.string(found, GSI1_SK)));
        Map<String, AttributeValue> arriving = items.ledgerItem();

        // What it overwrites: members the item lacked, a finer time and so the order, the first unknown members.
        Map<String, AttributeValue> replaced = new LinkedHashMap<>(EventSourceValue.toValue(merged));
        replaced.put(GSI1_SK, AttributeValue.fromS(entry.order().ledgerForm()));
        AttributeValue unknownAsRead = found.get(UNKNOWN_MEMBERS);
        Map<String, AttributeValue> unknownArriving = arriving.containsKey(UNKNOWN_MEMBERS)
                ? arriving.get(UNKNOWN_MEMBERS).m() : Map.of();
        Set<String> unknownNames = new HashSet<>(unknownArriving.keySet());
        if (unknownAsRead != null) {
            unknownNames.addAll(unknownAsRead.m().keySet());
        } else if (!unknownArriving.isEmpty()) {
            replaced.put(UNKNOWN_MEMBERS, AttributeValue.fromM(unknownArriving));
        }
        replaced.entrySet().removeIf(attribute -> attribute.getValue().equals(found.get(attribute.getKey())));

        Update update = new Update();
        for (String context : List.of("eventId", "region", "account", "userId")) {
            if (!found.containsKey(context) && arriving.containsKey(context)) {
                update.setIfAbsent(update.name(context), arriving.get(context));
            }
        }
        if (unknownAsRead != null) {
            unknownArriving.forEach((name, value) -> {
                if (!unknownAsRead.m().containsKey(name)) {
                    update.setIfAbsent(update.name(UNKNOWN_MEMBERS) + "." + update.name(name), value);
                }
            });
        }
        String origin = event.origin().label();
        AttributeValue sources = found.get(TableDesign.SOURCE);
        if (sources == null || !sources.ss().contains(origin)) {
            update.add(TableDesign.SOURCE, AttributeValue.fromSs(List.of(origin)));
        }
        if (replaced.isEmpty() && update.isEmpty()) {
            return entry;
        }
        AttributeValue digest = AttributeValue.fromS(
                StageEventItems.formDigest(event.stageArn(), event.sessionId(), merged, unknownNames));
        if (!digest.equals(found.get(FORM_DIGEST))) {
            replaced.put(FORM_DIGEST, digest);
        }
        replaced.forEach(update::set);
        try {
            dynamoDb.updateItem(request -> request
                    .overrideConfiguration(DynamoDbClients.within(deadline))
                    .tableName(tableName)
                    .key(Map.of(PK, found.get(PK), TableDesign.SK, found.get(TableDesign.SK)))
                    .updateExpression(update.expression())
                    .conditionExpression(asRead(update, found, replaced.keySet()))
                    .expressionAttributeNames(update.names)
                    .expressionAttributeValues(update.values));
            return entry;
        } catch (ConditionalCheckFailedException changedSinceRead) {
            return null;
        }
    }

    /**
     * That the item is as it was read: its form digest is, since every merge that overwrites anything changes it.
     * An item written by a version before the form digest has none: then, that it still has none (no merge since
     * the read wrote one) and that what this merge overwrites holds what was read (no earlier version's merge
     * since the read changed it).
     */
    private static String asRead(Update update, Map<String, AttributeValue> found, Set<String> overwritten) {
        AttributeValue digest = found.get(FORM_DIGEST);
        if (digest != null) {
            return update.name(FORM_DIGEST) + " = " + update.value(digest);
        }
        StringBuilder condition = new StringBuilder("attribute_exists(" + update.name(PK) + ")"
                + " AND attribute_not_exists(" + update.name(FORM_DIGEST) + ")");
        for (String attribute : overwritten) {
            AttributeValue before = found.get(attribute);
            if (!attribute.equals(FORM_DIGEST)) {
                String name = update.name(attribute);
                condition.append(" AND ").append(before == null
                        ? "attribute_not_exists(" + name + ")" : name + " = " + update.value(before));
            }
        }
        return condition.toString();
    }

    /** One UpdateItem's SET and ADD clauses, with the names and values they refer to. */
    private static final class Update {
        private final List<String> sets = new ArrayList<>();
        private final List<String> adds = new ArrayList<>();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();

        void set(String attribute, AttributeValue value) {
            sets.add(name(attribute) + " = " + value(value));
        }

        void setIfAbsent(String path, AttributeValue value) {
            sets.add(path + " = if_not_exists(" + path + ", " + value(value) + ")");
        }

        void add(String attribute, AttributeValue value) {
            adds.add(name(attribute) + " " + value(value));
        }

        boolean isEmpty() {
            return sets.isEmpty() && adds.isEmpty();
        }

        String expression() {
            return (sets.isEmpty() ? "" : "SET " + String.join(", ", sets))
                    + (adds.isEmpty() ? "" : (sets.isEmpty() ? "" : " ") + "ADD " + String.join(", ", adds));
        }

        String name(String attribute) {
            String token = "#n" + names.size();
            names.put(token, attribute);
            return token;
        }

        String value(AttributeValue value) {
            String token = ":v" + values.size();
            values.put(token, value);
            return token;
        }
    }
}
