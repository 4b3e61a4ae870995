package io.ivsstageevents.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An occurrence during a stage session: the IVS Real-Time API's {@code Event}. Every member is optional.
 * Enum members keep the string they were built from, so a value AWS adds later survives a round trip; the
 * enum accessor maps it to {@code UNKNOWN_TO_SDK_VERSION}.
 */
public final class EventSource {
    private final String name;
    private final String participantId;
    private final Instant eventTime;
    private final String remoteParticipantId;
    private final String errorCode;
    private final String destinationStageArn;
    private final String destinationSessionId;
    private final Boolean replica;
    private final ExchangedParticipantToken previousToken;
    private final ExchangedParticipantToken newToken;

    private EventSource(Builder builder) {
        this.name = builder.name;
        this.participantId = builder.participantId;
        this.eventTime = builder.eventTime;
        this.remoteParticipantId = builder.remoteParticipantId;
        this.errorCode = builder.errorCode;
        this.destinationStageArn = builder.destinationStageArn;
        this.destinationSessionId = builder.destinationSessionId;
        this.replica = builder.replica;
        this.previousToken = builder.previousToken;
        this.newToken = builder.newToken;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public EventName name() {
        return EventName.fromValue(name);
    }

    public String nameAsString() {
        return name;
    }

    public String participantId() {
        return participantId;
    }

    public Instant eventTime() {
        return eventTime;
    }

    public String remoteParticipantId() {
        return remoteParticipantId;
    }

    public EventErrorCode errorCode() {
        return EventErrorCode.fromValue(errorCode);
    }

    public String errorCodeAsString() {
        return errorCode;
    }

    public String destinationStageArn() {
        return destinationStageArn;
    }

    public String destinationSessionId() {
        return destinationSessionId;
    }

    /** Null when the event did not say; the API's default meaning is false. */
    public Boolean replica() {
        return replica;
    }

    public ExchangedParticipantToken previousToken() {
        return previousToken;
    }

    public ExchangedParticipantToken newToken() {
        return newToken;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof EventSource)) {
            return false;
        }
        EventSource that = (EventSource) other;
        return Objects.equals(name, that.name)
                && Objects.equals(participantId, that.participantId)
                && Objects.equals(eventTime, that.eventTime)
                && Objects.equals(remoteParticipantId, that.remoteParticipantId)
                && Objects.equals(errorCode, that.errorCode)
                && Objects.equals(destinationStageArn, that.destinationStageArn)
                && Objects.equals(destinationSessionId, that.destinationSessionId)
                && Objects.equals(replica, that.replica)
                && Objects.equals(previousToken, that.previousToken)
                && Objects.equals(newToken, that.newToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, participantId, eventTime, remoteParticipantId, errorCode, destinationStageArn,
                destinationSessionId, replica, previousToken, newToken);
    }

    /** Safe to log: the tokens print without attributes or user id. */
    @Override
    public String toString() {
        return "EventSource(name=" + name
                + ", participantId=" + participantId
                + ", eventTime=" + eventTime
                + ", remoteParticipantId=" + remoteParticipantId
                + ", errorCode=" + errorCode
                + ", destinationStageArn=" + destinationStageArn
                + ", destinationSessionId=" + destinationSessionId
                + ", replica=" + replica
                + ", previousToken=" + previousToken
                + ", newToken=" + newToken + ")";
    }

    public static final class Builder {
        private String name;
        private String participantId;
        private Instant eventTime;
        private String remoteParticipantId;
        private String errorCode;
        private String destinationStageArn;
        private String destinationSessionId;
        private Boolean replica;
        private ExchangedParticipantToken previousToken;
        private ExchangedParticipantToken newToken;

        private Builder() {
        }

        private Builder(EventSource source) {
            this.name = source.name;
            this.participantId = source.participantId;
            this.eventTime = source.eventTime;
            this.remoteParticipantId = source.remoteParticipantId;
            this.errorCode = source.errorCode;
            this.destinationStageArn = source.destinationStageArn;
            this.destinationSessionId = source.destinationSessionId;
            this.replica = source.replica;
            this.previousToken = source.previousToken;
            this.newToken = source.newToken;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder name(EventName name) {
            this.name = name == null ? null : name.toString();
            return this;
        }

        public Builder participantId(String participantId) {
            this.participantId = participantId;
            return this;
        }

        public Builder eventTime(Instant eventTime) {
            this.eventTime = eventTime;
            return this;
        }

        public Builder remoteParticipantId(String remoteParticipantId) {
            this.remoteParticipantId = remoteParticipantId;
            return this;
        }

        public Builder errorCode(String errorCode) {
            this.errorCode = errorCode;
            return this;
        }

        public Builder errorCode(EventErrorCode errorCode) {
            this.errorCode = errorCode == null ? null : errorCode.toString();
            return this;
        }

        public Builder destinationStageArn(String destinationStageArn) {
            this.destinationStageArn = destinationStageArn;
            return this;
        }

        public Builder destinationSessionId(String destinationSessionId) {
            this.destinationSessionId = destinationSessionId;
            return this;
        }

        public Builder replica(Boolean replica) {
            this.replica = replica;
            return this;
        }

        public Builder previousToken(ExchangedParticipantToken previousToken) {
            this.previousToken = previousToken;
            return this;
        }

        public Builder newToken(ExchangedParticipantToken newToken) {
            this.newToken = newToken;
            return this;
        }

        public EventSource build() {
            return new EventSource(this);
        }
    }
}
