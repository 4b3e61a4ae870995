package io.ivsstageevents.json;

import io.ivsstageevents.model.EventName;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every spelling of an event name this version recognizes, in one table: the exact EventBridge phrases are partly
 * unknown (docs/EVENTS.md, "The event format"), so no single guess may decide whether an event is recorded.
 *
 * <p>A name is compared after normalizing it: any letter case, words separated by any run of spaces, underscores
 * or hyphens, and an optional leading "Participant". So {@code TOKEN_EXCHANGED}, {@code Token Exchanged},
 * {@code participant-token-exchanged} and {@code Participant Token Exchanged} are one name. What is left must be
 * one of the phrases below.
 */
public final class EventNameSpellings {
    /** The phrases of each name, normalized and without the "Participant" prefix. */
    static final Map<EventName, List<String>> PHRASES = phrases();

    private static final String PREFIX = "PARTICIPANT ";
    private static final Map<String, EventName> BY_PHRASE = byPhrase();

    private EventNameSpellings() {
    }

    /** The name's API value ({@code TOKEN_EXCHANGED}) if recognized in any spelling; otherwise null. */
    public static EventName recognize(String wireName) {
        return wireName == null ? null : BY_PHRASE.get(normalize(wireName));
    }

    /**
     * Upper case, one space between words, no "Participant" in front. A name that is only "Participant" keeps it:
     * it then matches nothing.
     */
    static String normalize(String name) {
        String words = String.join(" ", name.trim().toUpperCase(Locale.ROOT).split("[\\s_-]+"));
        return words.startsWith(PREFIX) ? words.substring(PREFIX.length()) : words;
    }

    private static Map<EventName, List<String>> phrases() {
        Map<EventName, List<String>> phrases = new LinkedHashMap<>();
        phrases.put(EventName.JOINED, List.of("JOINED", "JOIN"));
        phrases.put(EventName.LEFT, List.of("LEFT", "LEAVE"));
        phrases.put(EventName.PUBLISH_STARTED, List.of("PUBLISHED", "PUBLISH STARTED", "PUBLISH START"));
        phrases.put(EventName.PUBLISH_STOPPED, List.of("UNPUBLISHED", "PUBLISH STOPPED", "PUBLISH STOP",
                "PUBLISH ENDED", "PUBLISH END"));
        phrases.put(EventName.SUBSCRIBE_STARTED, List.of("SUBSCRIBED", "SUBSCRIBE STARTED", "SUBSCRIBE START"));
        phrases.put(EventName.SUBSCRIBE_STOPPED, List.of("UNSUBSCRIBED", "SUBSCRIBE STOPPED", "SUBSCRIBE STOP",
                "SUBSCRIBE ENDED", "SUBSCRIBE END"));
        phrases.put(EventName.PUBLISH_ERROR, List.of("PUBLISH ERROR"));
        phrases.put(EventName.SUBSCRIBE_ERROR, List.of("SUBSCRIBE ERROR"));
        phrases.put(EventName.JOIN_ERROR, List.of("JOIN ERROR"));
        phrases.put(EventName.REPLICATION_STARTED, List.of("REPLICATION STARTED", "REPLICATION START"));
        phrases.put(EventName.REPLICATION_STOPPED, List.of("REPLICATION STOPPED", "REPLICATION STOP",
                "REPLICATION ENDED", "REPLICATION END"));
        phrases.put(EventName.TOKEN_EXCHANGED, List.of("TOKEN EXCHANGED", "TOKEN EXCHANGE"));
        return phrases;
    }

    private static Map<String, EventName> byPhrase() {
        Map<String, EventName> byPhrase = new HashMap<>();
        PHRASES.forEach((name, phrases) -> phrases.forEach(phrase -> {
            if (byPhrase.put(phrase, name) != null) {
                throw new IllegalStateException("two names share the phrase " + phrase);
            }
        }));
        return byPhrase;
    }
}
