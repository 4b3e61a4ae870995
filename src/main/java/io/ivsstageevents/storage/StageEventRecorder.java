package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.requireKeyPart;
import static io.ivsstageevents.storage.TableDesign.requireKeyTime;

import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventOrigin;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.time.TimeBudget;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Writes a recorded event: its ledger item, then the participant's token or replication state.
 *
 * <p>Both writes are idempotent and safe against reordering, so that Lambda may retry freely: the ledger write
 * is a put-if-absent on the event's identity, or a merge into the item of the same event ({@link LedgerWriter});
 * the state writes only ever move state forward in event time, and are built from what the ledger holds after
 * the write, so state shows everything any form of the event told. A retry after a failure between the two writes finds the ledger item (a duplicate) and still
 * applies the state. Any other DynamoDB error propagates, and the invocation fails for Lambda to retry.
 *
 * <p>The function's IAM policy grants exactly the actions called here, dynamodb:PutItem, dynamodb:GetItem and
 * dynamodb:UpdateItem (what another form of an event adds to its ledger item), and
 * those of {@link KeptEvents} on the kept events' partitions only.
 */
public final class StageEventRecorder {
    /**
     * All of one event's DynamoDB calls, retries included, end within this: each call gets what is left as its
     * own timeout, so that an invocation fails well inside the function's timeout however slow DynamoDB is.
     */
    public static final Duration EVENT_TIME_BUDGET = DynamoDbClients.CALL_TIMEOUT;

    /** Concurrent writers to one replication item retry their read-merge-write this many times. */
    private static final int REPLICATION_WRITE_ATTEMPTS = 8;

    /**
     * The key a rehearsing recorder reads and puts to: no item is ever stored under it (real keys start with
     * SESSION# or PARTICIPANT#, and the rehearsal's put, which requires an item there, is the only write to it).
     */
    private static final Map<String, AttributeValue> NEVER_WRITTEN =
            Map.of(PK, AttributeValue.fromS("REHEARSAL"), TableDesign.SK, AttributeValue.fromS("REHEARSAL"));

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final int retentionDays;
    private final LedgerWriter ledger;
    private final boolean rehearsing;

    private StageEventRecorder(DynamoDbClient dynamoDb, String tableName, int retentionDays, boolean rehearsing) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.retentionDays = retentionDays;
        this.ledger = new LedgerWriter(dynamoDb, tableName);
        this.rehearsing = rehearsing;
    }

    public StageEventRecorder(DynamoDbClient dynamoDb, String tableName, int retentionDays) {
        this(dynamoDb, tableName, retentionDays, false);
    }

    /**
     * A recorder that rehearses every write and makes none: it builds every item an event would write, checks
     * them as a real write does, and sends the requests a real write sends, so that their code paths and the
     * client's connection are warmed, and leaves the table as it was. It reads a key no item has (a GetItem, as
     * replication does) and puts the event's item under that key through the ledger's conditional put, but on
     * the condition that an item is already there: it never is, so DynamoDB refuses the put with a
     * ConditionalCheckFailedException. The put's marshalling, its condition and the refusal's unmarshalling are
     * the path of every write and of every duplicate; every event is reported a DUPLICATE.
     */
    public static StageEventRecorder rehearsing(DynamoDbClient dynamoDb, String tableName, int retentionDays) {
        return new StageEventRecorder(dynamoDb, tableName, retentionDays, true);
    }

    public RecordOutcome record(StageEvent event) {
        TimeBudget deadline = TimeBudget.of(EVENT_TIME_BUDGET);
        StageEventItems items = itemsOf(event);
        if (rehearsing) {
            items.tokenStateItem(items.created());
            ReplicationState.from(null).withStart(items.replicationMark(items.created()))
                    .toItem(items.replicationKey(), "rehearsal", "rehearsal", retentionDays);
            return rehearse(items.ledgerItem(), deadline);
        }
        LedgerWriter.Written written = ledger.write(items, deadline);
        EventName name = event.eventSource().name();
        if (name == EventName.TOKEN_EXCHANGED) {
            applyToken(items, written.entry(), deadline);
        } else if (event.isReplication()) {
            applyReplication(items, written.entry(), name == EventName.REPLICATION_STARTED, deadline);
        }
        return written.outcome();
    }

    /**
     * Keeps an event this version cannot record, whole, in one put-if-absent: a redelivery finds it there
     * (DUPLICATE). Replaying it later through a version that can record it is {@link KeptEvents}' part.
     */
    public RecordOutcome keep(UnrecognizedEvent event) {
        TimeBudget deadline = TimeBudget.of(EVENT_TIME_BUDGET);
        Map<String, AttributeValue> item = UnrecognizedItems.item(event, retentionDays);
        requireWithinItemLimit(item);
        if (rehearsing) {
            return rehearse(item, deadline);
        }
        return ledger.putIfAbsent(item, deadline) == null ? RecordOutcome.RECORDED : RecordOutcome.DUPLICATE;
    }

    private RecordOutcome rehearse(Map<String, AttributeValue> item, TimeBudget deadline) {
        dynamoDb.getItem(request -> request
                .overrideConfiguration(DynamoDbClients.within(deadline))
                .tableName(tableName).key(NEVER_WRITTEN).consistentRead(true));
        Map<String, AttributeValue> underKeyNeverWritten = new HashMap<>(item);
        underKeyNeverWritten.putAll(NEVER_WRITTEN);
        if (ledger.putIfPresent(underKeyNeverWritten, deadline) == null) {
            throw new IllegalStateException("a rehearsal wrote an item: something was stored under its key");
        }
        return RecordOutcome.DUPLICATE;
    }

    /**
     * Ends a rehearsal with a read on which DynamoDB closes the connection after its answer. Priming runs before
     * the SnapStart snapshot, and a connection kept in it is dead when the snapshot is restored (hours later, on
     * another host): the first event's request would be sent on it, fail, and wait for the SDK's retry. Priming's
     * requests go one after another over the one pooled connection, so this closes it.
     */
    public void endRehearsal() {
        if (!rehearsing) {
            throw new IllegalStateException("only a rehearsal can be ended");
        }
        dynamoDb.getItem(request -> request
                .overrideConfiguration(override -> override.putHeader("Connection", "close"))
                .tableName(tableName).key(NEVER_WRITTEN));
    }

    /**
     * The event's items, once every value that goes into a key obeys the table's rules and the largest item fits
     * DynamoDB's limit: an event that breaks either is invalid, and nothing of it is written.
     */
    private StageEventItems itemsOf(StageEvent event) {
        EventSource source = event.eventSource();
        if (event.origin() == EventOrigin.EVENTBRIDGE) {
            requireKeyPart(event.eventId(), "eventId");
        }
        requireKeyPart(event.stageArn(), "stageArn");
        requireKeyPart(event.sessionId(), "sessionId");
        requireKeyPart(source.participantId(), "participantId");
        requireKeyTime(source.eventTime(), "eventTime");
        if (event.isReplication()) {
            requireKeyPart(source.destinationStageArn(), "destinationStageArn");
            if (source.destinationSessionId() != null) {
                requireKeyPart(source.destinationSessionId(), "destinationSessionId");
            }
        }
        StageEventItems items = new StageEventItems(event, retentionDays);
        // The ledger item holds both tokens, so it is the largest item an event writes.
        requireWithinItemLimit(items.ledgerItem());
        return items;
    }

    /** Replaces the token state unless it already reflects this event or a later one. */
    private void applyToken(StageEventItems items, StageEventItems.Entry entry, TimeBudget deadline) {
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .overrideConfiguration(DynamoDbClients.within(deadline))
                    .tableName(tableName)
                    .item(items.tokenStateItem(entry))
                    .conditionExpression("attribute_not_exists(#pk) OR #version <= :version")
                    .expressionAttributeNames(Map.of("#pk", PK, "#version", "stateVersion"))
                    .expressionAttributeValues(Map.of(":version", AttributeValue.fromS(entry.order().stored())))
                    .build());
        } catch (ConditionalCheckFailedException newerStateKept) {
            // An exchange later in event time is already applied: this one stays in the ledger only.
        }
    }

    /**
     * Read, merge, write if unchanged since the read. The condition compares the orders of the two marks the merge
     * was based on, not a counter, so the item's content depends only on which events were applied.
     */
    private void applyReplication(StageEventItems items, StageEventItems.Entry entry, boolean started,
                                  TimeBudget deadline) {
        Map<String, AttributeValue> key = items.replicationKey();
        ReplicationState.Mark mark = items.replicationMark(entry);
        StageEvent event = items.event();
        for (int attempt = 1; attempt <= REPLICATION_WRITE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = dynamoDb.getItem(request -> request
                    .overrideConfiguration(DynamoDbClients.within(deadline))
                    .tableName(tableName).key(key).consistentRead(true)).item();
            ReplicationState before = ReplicationState.from(current);
            ReplicationState after = started ? before.withStart(mark) : before.withStop(mark);
            if (after.equals(before)) {
                return;
            }
            try {
                dynamoDb.putItem(withUnchangedCondition(PutItemRequest.builder()
                        .overrideConfiguration(DynamoDbClients.within(deadline))
                        .tableName(tableName)
                        .item(after.toItem(key, event.eventSource().participantId(),
                                event.eventSource().destinationStageArn(), retentionDays)), before)
                        .build());
                return;
            } catch (ConditionalCheckFailedException concurrentWrite) {
                // Another invocation changed the item since the read: merge again on top of its write.
            }
        }
        throw new IllegalStateException("replication state of one participant kept changing under concurrent "
                + "writes; giving up after " + REPLICATION_WRITE_ATTEMPTS + " attempts so that Lambda retries");
    }

    private static PutItemRequest.Builder withUnchangedCondition(PutItemRequest.Builder request,
                                                                 ReplicationState before) {
        if (before.isEmpty()) {
            return request.conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK));
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#v", "version");
        String condition = unchanged("#start", ReplicationState.LAST_START, ":start", before.lastStart(), names, values)
                + " AND " + unchanged("#stop", ReplicationState.LAST_STOP, ":stop", before.lastStop(), names, values);
        request.conditionExpression(condition).expressionAttributeNames(names);
        return values.isEmpty() ? request : request.expressionAttributeValues(values);
    }

    private static String unchanged(String nameToken, String attribute, String valueToken, ReplicationState.Mark mark,
                                    Map<String, String> names, Map<String, AttributeValue> values) {
        names.put(nameToken, attribute);
        if (mark == null) {
            return "attribute_not_exists(" + nameToken + ")";
        }
        values.put(valueToken, AttributeValue.fromS(mark.order().stored()));
        return nameToken + ".#v = " + valueToken;
    }

    private static void requireWithinItemLimit(Map<String, AttributeValue> item) {
        int size = ItemSize.of(item);
        if (size > ItemSize.MAX_ITEM_BYTES) {
            throw new InvalidEventException("detail",
                    "the event would make a " + size + "-byte item, over DynamoDB's limit of "
                            + ItemSize.MAX_ITEM_BYTES + " bytes (token attributes are the usual cause)");
        }
    }
}
