package io.ivsstageevents.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An "IVS Stage Update" this version cannot record: a name it does not recognize in any spelling (or none at all),
 * or a recorded kind without what that kind needs (a token exchange without a new token, a replication without a
 * destination). It is not an error: it is kept whole, counted and alarmed, so that a newer version can record it
 * (docs/EVENTS.md, "Unrecognized events").
 */
public final class UnrecognizedEvent implements ParsedEvent {
    /** Why it could not be recorded. */
    public enum Reason {
        /** The name is none this version knows, or the event has no name. */
        UNRECOGNIZED_NAME,
        /** A recorded kind without a member it needs: {@link #missing()} names it. */
        INCOMPLETE
    }

    private final Envelope envelope;
    private final String name;
    private final Instant eventTime;
    private final Reason reason;
    private final String missing;
    private final Map<String, Object> detail;
    private final EventOrigin origin;

    private UnrecognizedEvent(Builder builder) {
        this.envelope = Objects.requireNonNull(builder.envelope, "envelope");
        this.name = builder.name;
        this.eventTime = builder.eventTime;
        this.reason = Objects.requireNonNull(builder.reason, "reason");
        this.missing = builder.missing;
        this.detail = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(builder.detail)));
        this.origin = Objects.requireNonNull(builder.origin, "origin");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Envelope envelope() {
        return envelope;
    }

    /** The name as it came (the API's value where it was recognized); null when the event had none. */
    public String name() {
        return name;
    }

    /** The detail's event time where it could be read; null otherwise. */
    public Instant eventTime() {
        return eventTime;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#INCOMPLETE}: the member the kind needs and the event lacks. */
    public String missing() {
        return missing;
    }

    /** The whole {@code detail}, as read: JSON objects as maps, arrays as lists. */
    public Map<String, Object> detail() {
        return detail;
    }

    /** EventBridge, or the IVS API when the reconciler listed it (it then has no envelope id, account or time). */
    public EventOrigin origin() {
        return origin;
    }

    /**
     * Kept whole in the table when EventBridge delivered it: a delivery is gone once handled. One the API listed
     * the API keeps, and a copy of it could not be replayed (a replay puts a kept event back into EventBridge's
     * envelope, which a listed event lacks).
     */
    public boolean mustBeKept() {
        return origin == EventOrigin.EVENTBRIDGE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnrecognizedEvent that
                && envelope.equals(that.envelope) && Objects.equals(name, that.name)
                && Objects.equals(eventTime, that.eventTime)
                && reason == that.reason && Objects.equals(missing, that.missing) && detail.equals(that.detail)
                && origin == that.origin;
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelope, name, eventTime, reason, missing, detail, origin);
    }

    /** Key names of the detail only: its values may be personal data. */
    @Override
    public String toString() {
        return "UnrecognizedEvent(" + origin + ", " + envelope + ", name=" + name + ", reason=" + reason + ", missing=" + missing
                + ", detailKeys=" + detail.keySet() + ")";
    }

    public static final class Builder {
        private Envelope envelope;
        private String name;
        private Instant eventTime;
        private Reason reason;
        private String missing;
        private Map<String, Object> detail = Map.of();
        private EventOrigin origin = EventOrigin.EVENTBRIDGE;

        private Builder() {
        }

        public Builder envelope(Envelope envelope) {
            this.envelope = envelope;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder eventTime(Instant eventTime) {
            this.eventTime = eventTime;
            return this;
        }

        public Builder reason(Reason reason) {
            this.reason = reason;
            return this;
        }

        public Builder missing(String missing) {
            this.missing = missing;
            return this;
        }

        public Builder detail(Map<String, Object> detail) {
            this.detail = detail;
            return this;
        }

        public Builder origin(EventOrigin origin) {
            this.origin = origin;
            return this;
        }

        public UnrecognizedEvent build() {
            return new UnrecognizedEvent(this);
        }
    }
}
