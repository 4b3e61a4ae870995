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

/**
 * What the reconciler has done, kept in the table so that each session is read once, and a session a run stopped
 * in, at its deadline or at the end of its share, is resumed where it stopped: per session, at one key, the cursor
 * of its reading while it is read, then its marker; and one checkpoint, the stage the next run begins its pass
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
    /** The marker's coverage when every participant's events were read. */
    public static final String ALL = "ALL";
    /** The marker's coverage of a session read for its publishers, those shown replicating and the ledger's. */
    public static final String PUBLISHERS_REPLICATING_AND_LEDGER = "PUBLISHERS_REPLICATING_AND_LEDGER";
    /** The marker's coverage of a session whose end fell out of the lookback before it was read to its end. */
    public static final String EXPIRED_UNREAD = "EXPIRED_UNREAD";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ReconciliationProgress(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * Where a session's reading stands: the participants of the current page still to read (the first one in
     * progress, at eventsNextToken), and whether there are more pages of participants, after
     * participantsNextToken; and its coverage, decided on the first page of participants (null before). A session
     * not started yet has no participants and more pages.
     */
    public record Cursor(String stageArn, String sessionId, Instant sessionEnd, List<String> participants,
                         String participantsNextToken, String eventsNextToken, boolean moreParticipants,
                         String coverage, Counts counts) {
        public Cursor {
            participants = List.copyOf(participants);
        }

        /** A session not started yet. */
        public static Cursor start(String stageArn, String sessionId, Instant sessionEnd) {
            return new Cursor(stageArn, sessionId, sessionEnd, List.of(), null, null, true, null, Counts.NONE);
        }

        /** The coverage the marker states: ALL when no participant was skipped, whatever was decided. */
        public String coverageReached() {
            return counts.participantsSkipped() == 0 ? ALL : coverage;
        }

        /** The reading is at its end: no participant left, and no page of them after. */
        public boolean isDone() {
            return participants.isEmpty() && !moreParticipants;
        }

        /**
         * After a page of participants, read with that coverage: those chosen are the ones to read, then the page
         * after it, if any; the others are counted as skipped.
         */
        public Cursor afterParticipantsPage(String pageCoverage, List<String> chosen, long skipped,
                                            String nextToken) {
            return new Cursor(stageArn, sessionId, sessionEnd, chosen, nextToken, null, nextToken != null,
                    pageCoverage, counts.plus(new Counts(0, 0, 0, 0, 0, skipped), 0));
        }

        /**
         * After a page of the first participant's events, which found {@code found}: the next page of the same
         * participant, or, after its last, the next participant.
         */
        public Cursor afterEventsPage(Counts found, String nextToken) {
            boolean participantDone = nextToken == null;
            return new Cursor(stageArn, sessionId, sessionEnd,
                    participantDone ? participants.subList(1, participants.size()) : participants,
                    participantsNextToken, nextToken, moreParticipants, coverage,
                    counts.plus(found, participantDone ? 1 : 0));
        }
    }

    /** What reading a session found so far; participants counts those read to their last event. */
    public record Counts(long participants, long eventsRead, long eventsBackfilled, long unrecognized,
                         long invalid, long participantsSkipped) {
        Counts plus(Counts found, long participantsDone) {
            return new Counts(participants + found.participants + participantsDone, eventsRead + found.eventsRead,
                    eventsBackfilled + found.eventsBackfilled, unrecognized + found.unrecognized,
                    invalid + found.invalid, participantsSkipped + found.participantsSkipped);
        }

        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    /**
     * What the table holds of a session: its marker (reconciled, or expired unread), the cursor of a reading in
     * progress, or neither.
     */
    public record SessionProgress(boolean marked, Cursor cursor) {
        static final SessionProgress NONE = new SessionProgress(false, null);
    }

    public SessionProgress session(String stageArn, String sessionId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(request -> request.tableName(tableName)
                .consistentRead(true).key(markerKey(stageArn, sessionId))).item();
        if (item.isEmpty()) {
            return SessionProgress.NONE;
        }
        boolean marked = RECONCILED_SESSION.equals(Attributes.string(item, ITEM_TYPE));
        return new SessionProgress(marked, marked ? null : cursor(item));
    }

    /** Its marker, in place of its cursor: read to its end with the coverage the cursor reached. */
    public void markReconciled(Cursor done, Instant now, Duration lookback) {
        mark(done, done.coverageReached(), now, lookback);
    }

    /** Its marker, in place of its cursor if any: its end fell out of the lookback before it was read whole. */
    public void markExpiredUnread(Cursor unread, Instant now, Duration lookback) {
        mark(unread, EXPIRED_UNREAD, now, lookback);
    }

    private void mark(Cursor cursor, String coverage, Instant now, Duration lookback) {
        Map<String, AttributeValue> item = markerKey(cursor.stageArn(), cursor.sessionId());
        item.putAll(new Attributes()
                .s(ITEM_TYPE, RECONCILED_SESSION)
                .s("stageArn", cursor.stageArn())
                .s("sessionId", cursor.sessionId())
                .s("sessionEnd", cursor.sessionEnd())
                .s("reconciledAt", now)
                .s("coverage", coverage)
                .n(EXPIRES_AT, expiresAt(cursor, lookback))
                .build());
        item.putAll(counts(cursor.counts()));
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    /**
     * The participants of whom the ledger holds an event of the session: a Query of its partition, keys only
     * (the participant is in the sort key), paged to its end. It costs no IVS request.
     */
    public Set<String> participantsInLedger(String stageArn, String sessionId) {
        Set<String> participants = new HashSet<>();
        dynamoDb.queryPaginator(request -> request.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :event)")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(sessionKey(stageArn, sessionId)),
                                ":event", AttributeValue.fromS(EVENT_PREFIX)))
                        .projectionExpression("#sk"))
                .items().forEach(item -> participants.add(participantOf(item.get(SK).s())));
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

    private static Cursor cursor(Map<String, AttributeValue> item) {
        List<String> participants = new ArrayList<>();
        item.get("participants").l().forEach(value -> participants.add(value.s()));
        return new Cursor(Attributes.string(item, "stageArn"), Attributes.string(item, "sessionId"),
                Instant.parse(Attributes.string(item, "sessionEnd")), participants,
                Attributes.string(item, "participantsNextToken"), Attributes.string(item, "eventsNextToken"),
                item.get("moreParticipants").bool(), Attributes.string(item, "coverage"),
                new Counts(number(item, "participantsRead"), number(item, "eventsRead"),
                        number(item, "eventsBackfilled"), number(item, "unrecognized"), number(item, "invalid"),
                        number(item, "participantsSkipped")));
    }

    /**
     * The session's cursor, at its marker's key, after each page read: the next run that lists the session
     * resumes it there. It expires as the marker would, so a reading abandoned leaves nothing behind.
     */
    public void saveCursor(Cursor cursor, Instant now, Duration lookback) {
        Map<String, AttributeValue> item = markerKey(cursor.stageArn(), cursor.sessionId());
        item.putAll(new Attributes()
                .s(ITEM_TYPE, RECONCILING_SESSION)
                .s("stageArn", cursor.stageArn())
                .s("sessionId", cursor.sessionId())
                .s("sessionEnd", cursor.sessionEnd())
                .strings("participants", cursor.participants())
                .s("participantsNextToken", cursor.participantsNextToken())
                .s("eventsNextToken", cursor.eventsNextToken())
                .bool("moreParticipants", cursor.moreParticipants())
                .s("coverage", cursor.coverage())
                .s("savedAt", now)
                .n(EXPIRES_AT, expiresAt(cursor, lookback))
                .build());
        item.putAll(counts(cursor.counts()));
        dynamoDb.putItem(request -> request.tableName(tableName).item(item));
    }

    private static long expiresAt(Cursor cursor, Duration lookback) {
        return cursor.sessionEnd().plus(lookback).plus(MARKER_MARGIN).getEpochSecond();
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
