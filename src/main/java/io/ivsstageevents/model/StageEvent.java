package io.ivsstageevents.model;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One "IVS Stage Update" as delivered by EventBridge: the envelope's context plus the {@link EventSource} built
 * from its {@code detail}. It also says what the event means to this function (recorded, measured as an error,
 * or neither), so that the rule lives in one place.
 */
public final class StageEvent implements ParsedEvent {
    private static final Set<EventName> RECORDED =
            EnumSet.of(EventName.TOKEN_EXCHANGED, EventName.REPLICATION_STARTED, EventName.REPLICATION_STOPPED);
    private static final Set<EventName> ERRORS =
            EnumSet.of(EventName.PUBLISH_ERROR, EventName.SUBSCRIBE_ERROR, EventName.JOIN_ERROR);

    private final Envelope envelope;
    private final EventSource eventSource;
    private final Map<String, Object> unknownMembers;
    private final String userId;
    private final EventOrigin origin;

    private StageEvent(Builder builder) {
        this.envelope = Objects.requireNonNull(builder.envelope, "envelope");
        this.eventSource = Objects.requireNonNull(builder.eventSource, "eventSource");
        this.unknownMembers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.unknownMembers));
        this.userId = builder.userId;
        this.origin = Objects.requireNonNull(builder.origin, "origin");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public Envelope envelope() {
        return envelope;
    }

    /** The EventBridge event id: identifies a delivery, not the occurrence (a retry by IVS may carry another). */
    public String eventId() {
        return envelope.eventId();
    }

    public String account() {
        return envelope.account();
    }

    public String region() {
        return envelope.region();
    }

    /** The envelope's {@code time}. */
    public Instant time() {
        return envelope.time();
    }

    public String stageArn() {
        return envelope.stageArn();
    }

    public String sessionId() {
        return envelope.sessionId();
    }

    public EventSource eventSource() {
        return eventSource;
    }

    /**
     * Members of {@code detail} this version does not read, with their values as read (keys inside a token as
     * {@code newToken.key}): kept in the ledger item, so that nothing AWS adds is lost.
     */
    public Map<String, Object> unknownMembers() {
        return unknownMembers;
    }

    /**
     * The participant's user id, as EventBridge's detail gives it ({@code user_id}; empty when the token had none);
     * null when absent, as in every event the API lists. Personal data: the table keeps it, no log line may.
     */
    public String userId() {
        return userId;
    }

    /** EventBridge, or the IVS API when the reconciler read it (it then has no envelope id, account or time). */
    public EventOrigin origin() {
        return origin;
    }

    /** Token exchanges and replication are written to the table. */
    public boolean mustBeRecorded() {
        return RECORDED.contains(eventSource.name());
    }

    /** Error events, and any event that carries an error code, are counted by error code. */
    public boolean isParticipantError() {
        return ERRORS.contains(eventSource.name()) || eventSource.errorCodeAsString() != null;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof StageEvent)) {
            return false;
        }
        StageEvent that = (StageEvent) other;
        return envelope.equals(that.envelope)
                && eventSource.equals(that.eventSource)
                && unknownMembers.equals(that.unknownMembers)
                && Objects.equals(userId, that.userId)
                && origin == that.origin;
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelope, eventSource, unknownMembers, userId, origin);
    }

    @Override
    public String toString() {
        return "StageEvent(" + origin + ", " + envelope + ", eventSource=" + eventSource
                + ", unknownMembers=" + unknownMembers.keySet() + ")";
    }

    public static final class Builder {
        private Envelope envelope;
        private EventSource eventSource;
        private Map<String, Object> unknownMembers = Map.of();
        private String userId;
        private EventOrigin origin = EventOrigin.EVENTBRIDGE;

        private Builder() {
        }

        private Builder(StageEvent event) {
            this.envelope = event.envelope;
            this.eventSource = event.eventSource;
            this.unknownMembers = event.unknownMembers;
            this.userId = event.userId;
            this.origin = event.origin;
        }

        public Builder envelope(Envelope envelope) {
            this.envelope = envelope;
            return this;
        }

        public Builder eventSource(EventSource eventSource) {
            this.eventSource = eventSource;
            return this;
        }

        public Builder unknownMembers(Map<String, Object> unknownMembers) {
            this.unknownMembers = unknownMembers;
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder origin(EventOrigin origin) {
            this.origin = origin;
            return this;
        }

        public StageEvent build() {
            return new StageEvent(this);
        }
    }
}
