package io.ivsstageevents.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The participant token on one side of a TOKEN_EXCHANGED event. The token string itself is never part of an
 * event. Attributes and the user id may be personal data: {@link #toString()} does not print them.
 */
public final class ExchangedParticipantToken {
    private final List<String> capabilities;
    private final Map<String, String> attributes;
    private final String userId;
    private final Instant expirationTime;

    private ExchangedParticipantToken(Builder builder) {
        this.capabilities = builder.capabilities == null
                ? null : Collections.unmodifiableList(new ArrayList<>(builder.capabilities));
        this.attributes = builder.attributes == null
                ? null : Collections.unmodifiableMap(new LinkedHashMap<>(builder.attributes));
        this.userId = builder.userId;
        this.expirationTime = builder.expirationTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The capabilities, unknown ones as {@link ParticipantTokenCapability#UNKNOWN_TO_SDK_VERSION}; null if absent. */
    public List<ParticipantTokenCapability> capabilities() {
        if (capabilities == null) {
            return null;
        }
        List<ParticipantTokenCapability> mapped = new ArrayList<>(capabilities.size());
        for (String capability : capabilities) {
            mapped.add(ParticipantTokenCapability.fromValue(capability));
        }
        return Collections.unmodifiableList(mapped);
    }

    /** The capabilities as they were sent; null if absent. */
    public List<String> capabilitiesAsStrings() {
        return capabilities;
    }

    /** Token attributes; null if absent. */
    public Map<String, String> attributes() {
        return attributes;
    }

    public String userId() {
        return userId;
    }

    public Instant expirationTime() {
        return expirationTime;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ExchangedParticipantToken)) {
            return false;
        }
        ExchangedParticipantToken that = (ExchangedParticipantToken) other;
        return Objects.equals(capabilities, that.capabilities)
                && Objects.equals(attributes, that.attributes)
                && Objects.equals(userId, that.userId)
                && Objects.equals(expirationTime, that.expirationTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(capabilities, attributes, userId, expirationTime);
    }

    @Override
    public String toString() {
        return "ExchangedParticipantToken(capabilities=" + capabilities
                + ", attributes=" + (attributes == null ? null : "*** " + attributes.size() + " redacted")
                + ", userId=" + (userId == null ? null : "*** redacted")
                + ", expirationTime=" + expirationTime + ")";
    }

    public static final class Builder {
        private List<String> capabilities;
        private Map<String, String> attributes;
        private String userId;
        private Instant expirationTime;

        private Builder() {
        }

        private Builder(ExchangedParticipantToken token) {
            this.capabilities = token.capabilities;
            this.attributes = token.attributes;
            this.userId = token.userId;
            this.expirationTime = token.expirationTime;
        }

        /** Capabilities by their wire value, so that a capability added by AWS later is kept. */
        public Builder capabilitiesWithStrings(List<String> capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        public Builder capabilities(ParticipantTokenCapability... capabilities) {
            List<String> values = new ArrayList<>(capabilities.length);
            for (ParticipantTokenCapability capability : capabilities) {
                values.add(capability.toString());
            }
            this.capabilities = values;
            return this;
        }

        public Builder attributes(Map<String, String> attributes) {
            this.attributes = attributes;
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder expirationTime(Instant expirationTime) {
            this.expirationTime = expirationTime;
            return this;
        }

        public ExchangedParticipantToken build() {
            return new ExchangedParticipantToken(this);
        }
    }
}
