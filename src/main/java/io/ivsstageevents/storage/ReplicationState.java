package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A participant's replication into one destination stage, merged from the newest START and the newest STOP seen.
 * Everything shown (state, startedAt, stoppedAt, duration) is a function of those two alone, so the state is the
 * same whatever order the events arrive in and however often each arrives.
 */
final class ReplicationState {
    static final String ACTIVE = "ACTIVE";
    static final String STOPPED = "STOPPED";
    static final String LAST_START = "lastStart";
    static final String LAST_STOP = "lastStop";

    /** One START or STOP event, as kept in the state item: where it stands in the order, and what it tells. */
    record Mark(EventOrder order, String stageArn, String sessionId, String destinationSessionId, String eventId,
                Boolean replica) {

        Instant eventTime() {
            return order.time();
        }

        Map<String, AttributeValue> toAttribute() {
            return new Attributes()
                    .s("eventTime", eventTime())
                    .s("version", order.stored())
                    .s("stageArn", stageArn)
                    .s("sessionId", sessionId)
                    .s("destinationSessionId", destinationSessionId)
                    .s("eventId", eventId)
                    .bool("replica", replica)
                    .build();
        }

        static Mark from(AttributeValue attribute) {
            if (attribute == null) {
                return null;
            }
            Map<String, AttributeValue> m = attribute.m();
            AttributeValue replica = m.get("replica");
            return new Mark(EventOrder.parse(Attributes.string(m, "version")), Attributes.string(m, "stageArn"),
                    Attributes.string(m, "sessionId"), Attributes.string(m, "destinationSessionId"),
                    Attributes.string(m, "eventId"), replica == null ? null : replica.bool());
        }

        private boolean isNewerThan(Mark other) {
            return other == null || order.compareTo(other.order) > 0;
        }
    }

    private final Mark lastStart;
    private final Mark lastStop;

    private ReplicationState(Mark lastStart, Mark lastStop) {
        this.lastStart = lastStart;
        this.lastStop = lastStop;
    }

    static ReplicationState from(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return new ReplicationState(null, null);
        }
        return new ReplicationState(Mark.from(item.get(LAST_START)), Mark.from(item.get(LAST_STOP)));
    }

    boolean isEmpty() {
        return lastStart == null && lastStop == null;
    }

    Mark lastStart() {
        return lastStart;
    }

    Mark lastStop() {
        return lastStop;
    }

    ReplicationState withStart(Mark start) {
        return start.isNewerThan(lastStart) ? new ReplicationState(start, lastStop) : this;
    }

    ReplicationState withStop(Mark stop) {
        return stop.isNewerThan(lastStop) ? new ReplicationState(lastStart, stop) : this;
    }

    /** A STOP at or after the newest START ends the replication; a START after the newest STOP is a new one. */
    boolean isStopped() {
        return lastStop != null && (lastStart == null || !lastStop.eventTime().isBefore(lastStart.eventTime()));
    }

    Map<String, AttributeValue> toItem(Map<String, AttributeValue> key, String participantId,
                                       String destinationStageArn, int retentionDays) {
        boolean stopped = isStopped();
        Mark deciding = stopped ? lastStop : lastStart;
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.putAll(new Attributes()
                .s(GSI2_PK, destinationKey(destinationStageArn))
                .s(GSI2_SK, participantKey(participantId))
                .s(ITEM_TYPE, REPLICATION_STATE)
                .s("participantId", participantId)
                .s("stageArn", deciding.stageArn())
                .s("sessionId", deciding.sessionId())
                .s("destinationStageArn", destinationStageArn)
                .s("destinationSessionId", deciding.destinationSessionId() != null
                        ? deciding.destinationSessionId() : otherSide(deciding).destinationSessionId())
                .bool("replica", deciding.replica())
                .s("state", stopped ? STOPPED : ACTIVE)
                .s("startedAt", lastStart == null ? null : lastStart.eventTime())
                .s("stoppedAt", stopped ? lastStop.eventTime() : null)
                .n("durationMillis", stopped && lastStart != null
                        ? Duration.between(lastStart.eventTime(), lastStop.eventTime()).toMillis() : null)
                .m(LAST_START, lastStart == null ? null : lastStart.toAttribute())
                .m(LAST_STOP, lastStop == null ? null : lastStop.toAttribute())
                .n(EXPIRES_AT, expiresAt(deciding.eventTime(), retentionDays))
                .build());
        return item;
    }

    private Mark otherSide(Mark mark) {
        Mark other = mark == lastStart ? lastStop : lastStart;
        return other == null ? mark : other;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplicationState that
                && Objects.equals(lastStart, that.lastStart) && Objects.equals(lastStop, that.lastStop);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastStart, lastStop);
    }
}
