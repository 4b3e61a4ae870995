package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the reconciler has done, kept in the table so that each session is read once, and a run cut off by its
 * deadline is resumed by the next where it stopped: one marker per reconciled session, and one checkpoint, the
 * saved reading of the session being read (or none).
 *
 * <p>Calls dynamodb:GetItem and dynamodb:PutItem only; the checkpoint is cleared by writing it empty.
 */
public final class ReconciliationProgress {
    /** A marker outlives the lookback window by this, so that a session is never read again while in it. */
    private static final Duration MARKER_MARGIN = Duration.ofDays(1);

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ReconciliationProgress(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * A session's reading as saved: the participants of the current page still to read (the first one in
     * progress, at eventsNextToken), whether there are more pages of participants after participantsNextToken, and
     * what was found so far. How a reading moves from page to page is the reconciler's.
     */
    public record SavedSession(String stageArn, String sessionId, Instant sessionEnd, List<String> participants,
                               String participantsNextToken, String eventsNextToken, boolean moreParticipants,
                               Counts counts) {
        public SavedSession {
            participants = List.copyOf(participants);
        }
    }

    /**
     * Where the next run starts: inside the session a run stopped in, or, when a run stopped between sessions, at
     * the stage it was about to list; both null when the last run finished its pass.
     */
    public record Checkpoint(SavedSession session, String resumeStageArn) {
        public static final Checkpoint NONE = new Checkpoint(null, null);
    }

    /** What reading a session found so far, as its checkpoint and then its marker hold it. */
    public record Counts(long participants, long eventsRead, long eventsBackfilled, long unrecognized,
                         long invalid) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    public boolean isReconciled(String stageArn, String sessionId) {
        return !dynamoDb.getItem(request -> request.tableName(tableName).consistentRead(true)
                .key(markerKey(stageArn, sessionId))).item().isEmpty();
    }

    public void markReconciled(SavedSession done, Instant now, Duration lookback) {
        Map<String, AttributeValue> item = markerKey(done.stageArn(), done.sessionId());
        item.putAll(new Attributes()
                .s(ITEM_TYPE, RECONCILED_SESSION)
                .s("stageArn", done.stageArn())
                .s("sessionId", done.sessionId())
                .s("sessionEnd", done.sessionEnd())
                .s("reconciledAt", now)
                .n(EXPIRES_AT, done.sessionEnd().plus(lookback).plus(MARKER_MARGIN).getEpochSecond())
                .build());
        item.putAll(counts(done.counts()));
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    public Checkpoint checkpoint() {
        Map<String, AttributeValue> item = dynamoDb.getItem(request -> request.tableName(tableName)
                .consistentRead(true).key(checkpointKey())).item();
        if (item.isEmpty()) {
            return Checkpoint.NONE;
        }
        return new Checkpoint(item.containsKey("sessionId") ? session(item) : null,
                Attributes.string(item, "resumeStageArn"));
    }

    private static SavedSession session(Map<String, AttributeValue> item) {
        List<String> participants = new ArrayList<>();
        item.get("participants").l().forEach(value -> participants.add(value.s()));
        return new SavedSession(Attributes.string(item, "stageArn"), Attributes.string(item, "sessionId"),
                Instant.parse(Attributes.string(item, "sessionEnd")), participants,
                Attributes.string(item, "participantsNextToken"), Attributes.string(item, "eventsNextToken"),
                item.get("moreParticipants").bool(),
                new Counts(number(item, "participantsRead"), number(item, "eventsRead"),
                        number(item, "eventsBackfilled"), number(item, "unrecognized"), number(item, "invalid")));
    }

    public void saveCheckpoint(SavedSession session, Instant now) {
        Map<String, AttributeValue> item = checkpointKey();
        item.putAll(new Attributes()
                .s(ITEM_TYPE, RECONCILIATION_CHECKPOINT)
                .s("stageArn", session.stageArn())
                .s("sessionId", session.sessionId())
                .s("sessionEnd", session.sessionEnd())
                .strings("participants", session.participants())
                .s("participantsNextToken", session.participantsNextToken())
                .s("eventsNextToken", session.eventsNextToken())
                .bool("moreParticipants", session.moreParticipants())
                .s("savedAt", now)
                .build());
        item.putAll(counts(session.counts()));
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    /** A run stopped before listing this stage's sessions: the next starts its pass there. */
    public void saveResumeStage(String stageArn, Instant now) {
        Map<String, AttributeValue> item = checkpointKey();
        item.putAll(new Attributes().s(ITEM_TYPE, RECONCILIATION_CHECKPOINT).s("resumeStageArn", stageArn)
                .s("savedAt", now).build());
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    public void clearCheckpoint(Instant now) {
        Map<String, AttributeValue> item = checkpointKey();
        item.putAll(new Attributes().s(ITEM_TYPE, RECONCILIATION_CHECKPOINT).s("savedAt", now).build());
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    private static Map<String, AttributeValue> counts(Counts counts) {
        return new Attributes()
                .n("participantsRead", counts.participants())
                .n("eventsRead", counts.eventsRead())
                .n("eventsBackfilled", counts.eventsBackfilled())
                .n("unrecognized", counts.unrecognized())
                .n("invalid", counts.invalid())
                .build();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static Map<String, AttributeValue> markerKey(String stageArn, String sessionId) {
        return new Attributes().s(PK, reconciliationKey(stageArn)).s(SK, SESSION_PREFIX + sessionId).build();
    }

    private static Map<String, AttributeValue> checkpointKey() {
        return new Attributes().s(PK, CHECKPOINT_PK).s(SK, CHECKPOINT_SK).build();
    }
}
