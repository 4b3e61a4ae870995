package io.ivsstageevents.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The name of a stage event, as the IVS Real-Time API spells it ({@code PUBLISH_STARTED}), with the phrase
 * EventBridge uses for the same event ({@code Participant Published}). This enum is the one mapping between the
 * two spellings.
 */
public enum EventName {
    JOINED("JOINED", "Participant Joined"),
    LEFT("LEFT", "Participant Left"),
    PUBLISH_STARTED("PUBLISH_STARTED", "Participant Published"),
    PUBLISH_STOPPED("PUBLISH_STOPPED", "Participant Unpublished"),
    SUBSCRIBE_STARTED("SUBSCRIBE_STARTED", "Participant Subscribed"),
    SUBSCRIBE_STOPPED("SUBSCRIBE_STOPPED", "Participant Unsubscribed"),
    PUBLISH_ERROR("PUBLISH_ERROR", "Participant Publish Error"),
    SUBSCRIBE_ERROR("SUBSCRIBE_ERROR", "Participant Subscribe Error"),
    JOIN_ERROR("JOIN_ERROR", "Participant Join Error"),
    REPLICATION_STARTED("REPLICATION_STARTED", "Participant Replication Started"),
    REPLICATION_STOPPED("REPLICATION_STOPPED", "Participant Replication Stopped"),
    TOKEN_EXCHANGED("TOKEN_EXCHANGED", "Participant Token Exchanged"),
    /** A name this version does not know yet; the raw string stays available through {@code nameAsString()}. */
    UNKNOWN_TO_SDK_VERSION(null, null);

    private static final Map<String, EventName> VALUE_MAP = new HashMap<>();
    private static final Map<String, EventName> BY_EVENTBRIDGE_PHRASE = new HashMap<>();

    static {
        for (EventName name : values()) {
            VALUE_MAP.put(name.toString(), name);
        }
        for (EventName name : knownValues()) {
            BY_EVENTBRIDGE_PHRASE.put(name.eventBridgePhrase, name);
        }
    }

    private final String value;
    private final String eventBridgePhrase;

    EventName(String value, String eventBridgePhrase) {
        this.value = value;
        this.eventBridgePhrase = eventBridgePhrase;
    }

    /** The API spelling; {@code "null"} for {@link #UNKNOWN_TO_SDK_VERSION}, as in the AWS SDK. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }

    /** The phrase EventBridge puts in {@code detail.event_name}; null for {@link #UNKNOWN_TO_SDK_VERSION}. */
    public String eventBridgePhrase() {
        return eventBridgePhrase;
    }

    /** Maps an API value; unknown values give {@link #UNKNOWN_TO_SDK_VERSION}, null gives null. */
    public static EventName fromValue(String value) {
        if (value == null) {
            return null;
        }
        return VALUE_MAP.getOrDefault(value, UNKNOWN_TO_SDK_VERSION);
    }

    /**
     * The API value for a name written in either spelling: {@code "Participant Published"} and
     * {@code "PUBLISH_STARTED"} both give {@code "PUBLISH_STARTED"}. A value in neither spelling is returned
     * as it is, so that it is kept rather than lost.
     */
    public static String canonicalValue(String wireValue) {
        EventName phrase = BY_EVENTBRIDGE_PHRASE.get(wireValue);
        return phrase != null ? phrase.value : wireValue;
    }

    public static Set<EventName> knownValues() {
        Set<EventName> known = EnumSet.allOf(EventName.class);
        known.remove(UNKNOWN_TO_SDK_VERSION);
        return known;
    }
}
