package io.ivsstageevents.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The name of a stage event, as the IVS Real-Time API spells it ({@code PUBLISH_STARTED}) and the AWS SDK for Java
 * v2 models it. EventBridge's spellings of the same names are read by {@code json/EventNameSpellings}.
 */
public enum EventName {
    JOINED("JOINED"),
    LEFT("LEFT"),
    PUBLISH_STARTED("PUBLISH_STARTED"),
    PUBLISH_STOPPED("PUBLISH_STOPPED"),
    SUBSCRIBE_STARTED("SUBSCRIBE_STARTED"),
    SUBSCRIBE_STOPPED("SUBSCRIBE_STOPPED"),
    PUBLISH_ERROR("PUBLISH_ERROR"),
    SUBSCRIBE_ERROR("SUBSCRIBE_ERROR"),
    JOIN_ERROR("JOIN_ERROR"),
    REPLICATION_STARTED("REPLICATION_STARTED"),
    REPLICATION_STOPPED("REPLICATION_STOPPED"),
    TOKEN_EXCHANGED("TOKEN_EXCHANGED"),
    /** A name this version does not know yet; the raw string stays available through {@code nameAsString()}. */
    UNKNOWN_TO_SDK_VERSION(null);

    private static final Map<String, EventName> VALUE_MAP = new HashMap<>();

    static {
        for (EventName name : values()) {
            VALUE_MAP.put(name.toString(), name);
        }
    }

    private final String value;

    EventName(String value) {
        this.value = value;
    }

    /** The API spelling; {@code "null"} for {@link #UNKNOWN_TO_SDK_VERSION}, as in the AWS SDK. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }

    /** Maps an API value; unknown values give {@link #UNKNOWN_TO_SDK_VERSION}, null gives null. */
    public static EventName fromValue(String value) {
        if (value == null) {
            return null;
        }
        return VALUE_MAP.getOrDefault(value, UNKNOWN_TO_SDK_VERSION);
    }

    public static Set<EventName> knownValues() {
        Set<EventName> known = EnumSet.allOf(EventName.class);
        known.remove(UNKNOWN_TO_SDK_VERSION);
        return known;
    }
}
