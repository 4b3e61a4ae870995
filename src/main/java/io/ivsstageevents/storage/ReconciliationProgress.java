package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What the reconciler has done, kept in the table so that each session is read once, and a session a run stopped
 * in, at its deadline or at the end of its share, is resumed where it stopped: per session, at one key, its saved
 * reading while it is read, then its marker; and one checkpoint, the stage the next run begins its pass
 * with (or none). The session's participants the ledger holds come from one query of its partition.
 *
 * <p>Calls dynamodb:GetItem, dynamodb:PutItem and dynamodb:Query (of one session's partition); the checkpoint is
 * cleared by writing it empty.
 */
public final class ReconciliationProgress {
    /**
     * A marker outlives the lookback window by this, so that a session is never read again while in it; and a
     * session that ended within this much before the window, without a marker, is known never to have been read.
     */
    public static final Duration MARKER_MARGIN = Duration.ofDays(1);

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ReconciliationProgress(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * A session's reading as saved: the participants of the current page still to read (the first one in
     * progress, at eventsNextToken), whether there are more pages of participants after participantsNextToken, the
     * coverage decided on its first page of participants (null before), and what was found so far. How a reading
     * moves from page to page is the reconciler's.
     */
    public record SavedSession(String stageArn, String sessionId, Instant sessionEnd, List<String> participants,
                               String participantsNextToken, String eventsNextToken, boolean moreParticipants,
                               String coverage, Counts counts) {
        public SavedSession {
            participants = List.copyOf(participants);
        }
    }

    /**
     * What reading a session found so far, as its saved reading and then its marker hold it: participants counts
     * those read to their last event, participantsSkipped those its coverage left unread.
     */
    public record Counts(long participants, long eventsRead, long eventsBackfilled, long unrecognized,
                         long invalid, long participantsSkipped) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    /**
     * What the table holds of a session: its marker (reconciled, or expired unread), its saved reading, or
     * neither.
     */
    public record SessionProgress(boolean marked, SavedSession saved) {
        static final SessionProgress NONE = new SessionProgress(false, null);
    }

    public SessionProgress session(String stageArn, String sessionId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(request -> request.tableName(tableName)
                .consistentRead(true).key(markerKey(stageArn, sessionId))).item();
        if (item.isEmpty()) {
            return SessionProgress.NONE;
        }
        boolean marked = RECONCILED_SESSION.equals(Attributes.string(item, ITEM_TYPE));
        return new SessionProgress(marked, marked ? null : saved(item));
    }

    /**
     * Its marker, in place of its saved reading if any, with the coverage its reading reached (or the word that it
     * expired unread) and what it found: the session is not read again while in the lookback.
     */
    public void markReconciled(SavedSession session, String coverage, Instant now, Duration lookback) {
        Map<String, AttributeValue> item = markerKey(session.stageArn(), session.sessionId());
        item.putAll(new Attributes()
                .s(ITEM_TYPE, RECONCILED_SESSION)
                .s("stageArn", session.stageArn())
                .s("sessionId", session.sessionId())
                .s("sessionEnd", session.sessionEnd())
                .s("reconciledAt", now)
                .s("coverage", coverage)
                .n(EXPIRES_AT, expiresAt(session, lookback))
                .build());
        item.putAll(counts(session.counts()));
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    /**
     * The participants of whom the ledger holds an event of the session: a Query of its partition, keys only
     * (the participant is in the sort key), paged to its end. It costs no IVS request.
     */
    public Set<String> participantsInLedger(String stageArn, String sessionId) {
        Set<String> participants = new HashSet<>();
        Map<String, AttributeValue> after = null;
        do {
            Map<String, AttributeValue> startKey = after;
            // The client's own calls, not its paginator: the shaded jar keeps only the classes the code names.
            QueryResponse page = dynamoDb.query(request -> request.tableName(tableName).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :event)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(sessionKey(stageArn, sessionId)),
                            ":event", AttributeValue.fromS(EVENT_PREFIX)))
                    .projectionExpression("#sk")
                    .exclusiveStartKey(startKey));
            page.items().forEach(item -> participants.add(participantOf(item.get(SK).s())));
            after = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (after != null);
        return participants;
    }

    /** EVENT#{time}#{participant}#...: the time holds no '#', and a key part never does. */
    private static String participantOf(String sortKey) {
        String[] parts = sortKey.split("#", 4);
        return parts[2];
    }

    public String resumeStageArn() {
        Map<String, AttributeValue> item = dynamoDb.getItem(request -> request.tableName(tableName)
                .consistentRead(true).key(checkpointKey())).item();
        return Attributes.string(item, "resumeStageArn");
    }

    private static SavedSession saved(Map<String, AttributeValue> item) {
        List<String> participants = new ArrayList<>();
        item.get("participants").l().forEach(value -> participants.add(value.s()));
        return new SavedSession(Attributes.string(item, "stageArn"), Attributes.string(item, "sessionId"),
                Instant.parse(Attributes.string(item, "sessionEnd")), participants,
                Attributes.string(item, "participantsNextToken"), Attributes.string(item, "eventsNextToken"),
                item.get("moreParticipants").bool(), Attributes.string(item, "coverage"),
                new Counts(number(item, "participantsRead"), number(item, "eventsRead"),
                        number(item, "eventsBackfilled"), number(item, "unrecognized"), number(item, "invalid"),
                        number(item, "participantsSkipped")));
    }

    /**
     * The session's reading, at its marker's key, after each page read: the next run that lists the session
     * resumes it there. It expires as the marker would, so a reading abandoned leaves nothing behind.
     */
    public void saveSession(SavedSession session, Instant now, Duration lookback) {
        Map<String, AttributeValue> item = markerKey(session.stageArn(), session.sessionId());
        item.putAll(new Attributes()
                .s(ITEM_TYPE, RECONCILING_SESSION)
                .s("stageArn", session.stageArn())
                .s("sessionId", session.sessionId())
                .s("sessionEnd", session.sessionEnd())
                .strings("participants", session.participants())
                .s("participantsNextToken", session.participantsNextToken())
                .s("eventsNextToken", session.eventsNextToken())
                .bool("moreParticipants", session.moreParticipants())
                .s("coverage", session.coverage())
                .s("savedAt", now)
                .n(EXPIRES_AT, expiresAt(session, lookback))
                .build());
        item.putAll(counts(session.counts()));
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    private static long expiresAt(SavedSession session, Duration lookback) {
        return session.sessionEnd().plus(lookback).plus(MARKER_MARGIN).getEpochSecond();
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
                .n("participantsSkipped", counts.participantsSkipped())
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
