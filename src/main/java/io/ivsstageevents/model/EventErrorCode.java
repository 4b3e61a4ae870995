package io.ivsstageevents.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Why an error event happened, as the AWS SDK for Java v2 models it. AWS adds codes over time: an unknown one maps to
 * {@link #UNKNOWN_TO_SDK_VERSION}, and the event keeps the string it came with.
 */
public enum EventErrorCode {
    INSUFFICIENT_CAPABILITIES("INSUFFICIENT_CAPABILITIES"),
    QUOTA_EXCEEDED("QUOTA_EXCEEDED"),
    PUBLISHER_NOT_FOUND("PUBLISHER_NOT_FOUND"),
    BITRATE_EXCEEDED("BITRATE_EXCEEDED"),
    RESOLUTION_EXCEEDED("RESOLUTION_EXCEEDED"),
    STREAM_DURATION_EXCEEDED("STREAM_DURATION_EXCEEDED"),
    INVALID_AUDIO_CODEC("INVALID_AUDIO_CODEC"),
    INVALID_VIDEO_CODEC("INVALID_VIDEO_CODEC"),
    INVALID_PROTOCOL("INVALID_PROTOCOL"),
    INVALID_STREAM_KEY("INVALID_STREAM_KEY"),
    REUSE_OF_STREAM_KEY("REUSE_OF_STREAM_KEY"),
    B_FRAME_PRESENT("B_FRAME_PRESENT"),
    INVALID_INPUT("INVALID_INPUT"),
    INTERNAL_SERVER_EXCEPTION("INTERNAL_SERVER_EXCEPTION"),
    UNKNOWN_TO_SDK_VERSION(null);

    private static final Map<String, EventErrorCode> VALUE_MAP = new HashMap<>();

    static {
        for (EventErrorCode known : values()) {
            VALUE_MAP.put(known.toString(), known);
        }
    }

    private final String value;

    EventErrorCode(String value) {
        this.value = value;
    }

    /** The wire value; {@code "null"} for {@link #UNKNOWN_TO_SDK_VERSION}, as in the AWS SDK. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }

    /** The constant for a wire value: unknown values give {@link #UNKNOWN_TO_SDK_VERSION}, null gives null. */
    public static EventErrorCode fromValue(String value) {
        if (value == null) {
            return null;
        }
        return VALUE_MAP.getOrDefault(value, UNKNOWN_TO_SDK_VERSION);
    }

    public static Set<EventErrorCode> knownValues() {
        Set<EventErrorCode> known = EnumSet.allOf(EventErrorCode.class);
        known.remove(UNKNOWN_TO_SDK_VERSION);
        return known;
    }
}
