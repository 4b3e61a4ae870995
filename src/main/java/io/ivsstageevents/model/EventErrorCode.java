package io.ivsstageevents.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Why an error event happened. AWS adds codes over time: unknown ones map to {@link #UNKNOWN_TO_SDK_VERSION}. */
public enum EventErrorCode {
    INSUFFICIENT_CAPABILITIES,
    QUOTA_EXCEEDED,
    PUBLISHER_NOT_FOUND,
    BITRATE_EXCEEDED,
    RESOLUTION_EXCEEDED,
    STREAM_DURATION_EXCEEDED,
    INVALID_AUDIO_CODEC,
    INVALID_VIDEO_CODEC,
    INVALID_PROTOCOL,
    INVALID_STREAM_KEY,
    REUSE_OF_STREAM_KEY,
    B_FRAME_PRESENT,
    INVALID_INPUT,
    INTERNAL_SERVER_EXCEPTION,
    UNKNOWN_TO_SDK_VERSION;

    private static final Map<String, EventErrorCode> BY_VALUE = new HashMap<>();

    static {
        for (EventErrorCode code : knownValues()) {
            BY_VALUE.put(code.name(), code);
        }
    }

    @Override
    public String toString() {
        return this == UNKNOWN_TO_SDK_VERSION ? null : name();
    }

    public static EventErrorCode fromValue(String value) {
        if (value == null) {
            return null;
        }
        return BY_VALUE.getOrDefault(value, UNKNOWN_TO_SDK_VERSION);
    }

    public static Set<EventErrorCode> knownValues() {
        Set<EventErrorCode> known = EnumSet.allOf(EventErrorCode.class);
        known.remove(UNKNOWN_TO_SDK_VERSION);
        return known;
    }
}
