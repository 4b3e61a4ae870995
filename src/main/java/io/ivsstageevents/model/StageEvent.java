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

    private final String eventId;
    private final String account;
    private final String region;
    private final Instant time;
    private final String stageArn;
    private final String sessionId;
    private final EventSource eventSource;
    private final Map<String, Object> unknownMembers;

    private StageEvent(Builder builder) {
        this.eventId = builder.eventId;
        this.account = builder.account;
        this.region = builder.region;
        this.time = builder.time;
        this.stageArn = builder.stageArn;
        this.sessionId = builder.sessionId;
        this.eventSource = Objects.requireNonNull(builder.eventSource, "eventSource");
        this.unknownMembers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.unknownMembers));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The EventBridge event id: identifies a delivery, not the occurrence (a retry by IVS may carry another). */
    public String eventId() {
        return eventId;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** The envelope's {@code time}. */
    public Instant time() {
        return time;
    }

    public String stageArn() {
        return stageArn;
    }

    public String sessionId() {
        return sessionId;
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
        return Objects.equals(eventId, that.eventId)
                && Objects.equals(account, that.account)
                && Objects.equals(region, that.region)
                && Objects.equals(time, that.time)
                && Objects.equals(stageArn, that.stageArn)
                && Objects.equals(sessionId, that.sessionId)
                && eventSource.equals(that.eventSource)
                && unknownMembers.equals(that.unknownMembers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, account, region, time, stageArn, sessionId, eventSource, unknownMembers);
    }

    @Override
    public String toString() {
        return "StageEvent(eventId=" + eventId + ", account=" + account + ", region=" + region + ", time=" + time
                + ", stageArn=" + stageArn + ", sessionId=" + sessionId + ", eventSource=" + eventSource
                + ", unknownMembers=" + unknownMembers.keySet() + ")";
    }

    public static final class Builder {
        private String eventId;
        private String account;
        private String region;
        private Instant time;
        private String stageArn;
        private String sessionId;
        private EventSource eventSource;
        private Map<String, Object> unknownMembers = Map.of();

        private Builder() {
        }

        private Builder(StageEvent event) {
            this.eventId = event.eventId;
            this.account = event.account;
            this.region = event.region;
            this.time = event.time;
            this.stageArn = event.stageArn;
            this.sessionId = event.sessionId;
            this.eventSource = event.eventSource;
            this.unknownMembers = event.unknownMembers;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder stageArn(String stageArn) {
            this.stageArn = stageArn;
            return this;
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
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

        public StageEvent build() {
            return new StageEvent(this);
        }
    }
}
