package io.ivsstageevents.model;

import java.util.EnumSet;
import java.util.Set;

/** What a participant token allows. */
public enum ParticipantTokenCapability {
    PUBLISH,
    SUBSCRIBE,
    UNKNOWN_TO_SDK_VERSION;

    @Override
    public String toString() {
        return this == UNKNOWN_TO_SDK_VERSION ? null : name();
    }

    public static ParticipantTokenCapability fromValue(String value) {
        if (value == null) {
            return null;
        }
        for (ParticipantTokenCapability capability : knownValues()) {
            if (capability.name().equals(value)) {
                return capability;
            }
        }
        return UNKNOWN_TO_SDK_VERSION;
    }

    public static Set<ParticipantTokenCapability> knownValues() {
        Set<ParticipantTokenCapability> known = EnumSet.allOf(ParticipantTokenCapability.class);
        known.remove(UNKNOWN_TO_SDK_VERSION);
        return known;
    }
}
