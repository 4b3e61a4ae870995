package io.ivsstageevents.parsing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.testing.EventSourceArbitraries;
import io.ivsstageevents.testing.SampleEvents;
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
        assertThat(EventSourceJson.read(EventSourceJson.write(source), "detail")).isEqualTo(source);
    }

    @Test
    void everySampleEventSurvivesARoundTrip() {
        StageEventParser parser = new StageEventParser();
        for (Path sample : SampleEvents.all()) {
            EventSource source = ((StageEvent) parser.parse(SampleEvents.bytes(sample.getFileName().toString())))
                    .eventSource();

            assertThat(EventSourceJson.read(EventSourceJson.write(source), "detail")).as(sample.toString())
                    .isEqualTo(source);
        }
    }

    @Provide
    Arbitrary<EventSource> eventSources() {
        return EventSourceArbitraries.eventSources();
    }
}
