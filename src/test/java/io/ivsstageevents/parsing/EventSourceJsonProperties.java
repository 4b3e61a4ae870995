package io.ivsstageevents.parsing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.testing.EventSourceArbitraries;
import io.ivsstageevents.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** EventSource -> JSON (API form) -> EventSource is the identity. */
class EventSourceJsonProperties {

    @Property(tries = 2000, seed = "4711")
    void anyEventSourceSurvivesARoundTrip(@ForAll("eventSources") EventSource source) {
        assertThat(roundTrip(source)).isEqualTo(source);
    }

    @Test
    void everySampleEventSurvivesARoundTrip() {
        StageEventParser parser = new StageEventParser();
        for (Path sample : SampleEvents.all()) {
            EventSource source = ((StageEvent) parser.parse(SampleEvents.bytes(sample.getFileName().toString())))
                    .eventSource();

            assertThat(roundTrip(source)).as(sample.toString()).isEqualTo(source);
        }
    }

    /** Keys hold a digest of this text: were it to change, events redelivered after an upgrade would be new. */
    @Test
    void theWrittenFormIsCompactCamelCaseWithAttributesInKeyOrder() {
        EventSource source = ((StageEvent) new StageEventParser().parse(SampleEvents.bytes("token-exchanged.json")))
                .eventSource();

        assertThat(EventSourceJson.write(source)).isEqualTo("{\"name\":\"TOKEN_EXCHANGED\",\"participantId\":\"aBc9d8e7f6g\","
                + "\"eventTime\":\"2026-03-14T18:06:12.482Z\",\"previousToken\":{\"capabilities\":[\"SUBSCRIBE\"],"
                + "\"attributes\":{\"displayName\":\"Guest 0815\"},\"userId\":\"viewer-0815\","
                + "\"expirationTime\":\"2026-03-15T06:00:00Z\"},\"newToken\":{\"capabilities\":[\"PUBLISH\",\"SUBSCRIBE\"],"
                + "\"attributes\":{\"avatarUrl\":\"https://example.com/a/0815.png\",\"displayName\":\"Guest 0815\","
                + "\"role\":\"co-host\"},\"userId\":\"viewer-0815\",\"expirationTime\":\"2026-03-15T06:00:00Z\"}}");
    }

    private static EventSource roundTrip(EventSource source) {
        byte[] json = EventSourceJson.write(source).getBytes(StandardCharsets.UTF_8);
        return EventSourceJson.read(JsonTree.readObject(json), "detail");
    }

    @Provide
    Arbitrary<EventSource> eventSources() {
        return EventSourceArbitraries.eventSources();
    }
}
