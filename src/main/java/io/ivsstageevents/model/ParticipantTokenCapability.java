package io.ivsstageevents.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** What a participant token allows, as the AWS SDK for Java v2 models it. */
public enum ParticipantTokenCapability {
    PUBLISH("PUBLISH"),
    SUBSCRIBE("SUBSCRIBE"),
    UNKNOWN_TO_SDK_VERSION(null);

    private static final Map<String, ParticipantTokenCapability> VALUE_MAP = new HashMap<>();

    static {
        for (ParticipantTokenCapability known : values()) {
            VALUE_MAP.put(known.toString(), known);
        }
    }

    private final String value;

    ParticipantTokenCapability(String value) {
        this.value = value;
    }

    /** The wire value; {@code "null"} for {@link #UNKNOWN_TO_SDK_VERSION}, as in the AWS SDK. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }

    /** The constant for a wire value: unknown values give {@link #UNKNOWN_TO_SDK_VERSION}, null gives null. */
    public static ParticipantTokenCapability fromValue(String value) {
        if (value == null) {
            return null;
        }
        return VALUE_MAP.getOrDefault(value, UNKNOWN_TO_SDK_VERSION);
    }

    public static Set<ParticipantTokenCapability> knownValues() {
        Set<ParticipantTokenCapability> known = EnumSet.allOf(ParticipantTokenCapability.class);
        known.remove(UNKNOWN_TO_SDK_VERSION);
        return known;
    }
}
