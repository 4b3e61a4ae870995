package io.ivsstageevents.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.testing.EventSourceArbitraries;
import io.ivsstageevents.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The seed's conversions to and from JSON: EventSource -> JSON (API form) -> EventSource is the identity, and the
 * writer never writes what the reader refuses.
 */
class EventSourceJsonProperties {

    @Property(tries = 2000, seed = "4711")
    void anyEventSourceSurvivesARoundTrip(@ForAll("eventSources") EventSource source) {
        assertThat(roundTrip(source)).isEqualTo(source);
    }

    @Test
    void everySampleEventSurvivesARoundTrip() {
        SampleEvents.eventSources().forEach((sample, source) ->
                assertThat(roundTrip(source)).as(sample).isEqualTo(source));
    }

    /** Keys hold a digest of this text: were it to change, events redelivered after an upgrade would be new. */
    @Test
    void theWrittenFormIsCompactCamelCaseWithAttributesInKeyOrder() {
        EventSource source = SampleEvents.parsed("token-exchanged.json").eventSource();

        assertThat(EventSourceJson.toJson(source)).isEqualTo("{\"name\":\"TOKEN_EXCHANGED\",\"participantId\":\"aBc9d8e7f6g\","
                + "\"eventTime\":\"2026-03-14T18:06:12.482Z\",\"previousToken\":{\"capabilities\":[\"SUBSCRIBE\"],"
                + "\"attributes\":{\"displayName\":\"Guest 0815\"},\"userId\":\"viewer-0815\","
                + "\"expirationTime\":\"2026-03-15T06:00:00Z\"},\"newToken\":{\"capabilities\":[\"PUBLISH\",\"SUBSCRIBE\"],"
                + "\"attributes\":{\"avatarUrl\":\"https://example.com/a/0815.png\",\"displayName\":\"Guest 0815\","
                + "\"role\":\"co-host\"},\"userId\":\"viewer-0815\",\"expirationTime\":\"2026-03-15T06:00:00Z\"}}");
    }

    @Test
    void everySampleSurvivesARoundTripThroughItsText() {
        SampleEvents.eventSources().forEach((sample, source) ->
                assertThat(EventSourceJson.fromString(EventSourceJson.toJson(source))).as(sample).isEqualTo(source));
    }

    /** Any string at all in a member: the writer refuses it, or the reader gives back what was written. */
    @Property(tries = 1000, seed = "4711")
    void theWriterNeverWritesWhatTheReaderRefuses(@ForAll("anyUtf16") String participantId,
                                                   @ForAll("anyUtf16") String attribute) {
        EventSource source = EventSource.builder().participantId(participantId)
                .newToken(ExchangedParticipantToken.builder().attributes(Map.of("name", attribute)).build()).build();
        String json;
        try {
            json = EventSourceJson.toJson(source);
        } catch (IllegalArgumentException refused) {
            assertThat(Utf8.isEncodable(participantId) && Utf8.isEncodable(attribute)).isFalse();
            return;
        }
        assertThat(EventSourceJson.fromString(json)).isEqualTo(source);
    }

    @Test
    void aLoneSurrogateIsRefusedByTheWriterNamingTheMemberNotTheValue() {
        EventSource source = EventSource.builder().participantId("ab\uD800cd").build();

        assertThatThrownBy(() -> EventSourceJson.toJson(source)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("participantId: ").hasMessageNotContaining("ab");
    }

    @Test
    void aTimeOutsideFourDigitYearsIsRefusedByTheWriter() {
        EventSource source = EventSource.builder().eventTime(Instant.parse("+10000-01-01T00:00:00Z")).build();

        assertThatThrownBy(() -> EventSourceJson.toJson(source)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("eventTime: ");
    }

    @Test
    void anEscapedLoneSurrogateIsRefusedByTheReader() {
        assertThatThrownBy(() -> EventSourceJson.fromString("{\"participantId\":\"ab\\uDC00\"}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("event.participantId: ").hasMessageContaining("lone UTF-16 surrogate");
    }

    @Test
    void anEscapedSurrogatePairIsAnyOtherCharacter() {
        EventSource source = EventSourceJson.fromString("{\"participantId\":\"\\uD83D\\uDE00\"}");

        assertThat(source.participantId()).isEqualTo("\uD83D\uDE00");
        assertThat(EventSourceJson.fromString(EventSourceJson.toJson(source))).isEqualTo(source);
    }

    private static EventSource roundTrip(EventSource source) {
        byte[] json = EventSourceJson.toJson(source).getBytes(StandardCharsets.UTF_8);
        return EventSourceJson.fromJson(JsonTree.readObject(json), "detail");
    }

    /** Any UTF-16 text, lone surrogates included, which Java strings can hold and UTF-8 cannot. */
    @Provide
    Arbitrary<String> anyUtf16() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8),
                Arbitraries.strings().withCharRange('\uD7F0', '\uE010').ofMaxLength(4));
    }

    @Provide
    Arbitrary<EventSource> eventSources() {
        return EventSourceArbitraries.eventSources();
    }
}
