package io.ivsstageevents.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.testing.EventSourceArbitraries;
import io.ivsstageevents.testing.Fixtures;
import io.ivsstageevents.testing.SampleEvents;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The seed's {@code to_value}: the EventSource as DynamoDB's native types, which the ledger item stores. */
class EventSourceValueTest {

    @Test
    void everyMemberKeepsItsNativeType() {
        Map<String, AttributeValue> value = EventSourceValue.toValue(Fixtures.fullEventSource());

        assertThat(value).containsOnlyKeys("name", "participantId", "eventTime", "remoteParticipantId", "errorCode",
                "destinationStageArn", "destinationSessionId", "replica", "previousToken", "newToken");
        assertThat(value.get("name").s()).isEqualTo("TOKEN_EXCHANGED");
        assertThat(value.get("eventTime").s()).isEqualTo("2026-03-14T18:06:12.482Z");
        assertThat(value.get("replica").bool()).isTrue();
        Map<String, AttributeValue> token = value.get("newToken").m();
        assertThat(token.get("capabilities").l()).extracting(AttributeValue::s).containsExactly("PUBLISH", "SUBSCRIBE");
        assertThat(token.get("attributes").m()).containsEntry(Fixtures.ATTRIBUTE_NAME,
                AttributeValue.fromS(Fixtures.ATTRIBUTE_VALUE));
        assertThat(token.get("userId").s()).isEqualTo(Fixtures.USER_ID);
        assertThat(token.get("expirationTime").s()).isEqualTo("2026-03-15T06:00:00Z");
    }

    @Test
    void anAbsentMemberIsAbsentNotNull() {
        assertThat(EventSourceValue.toValue(EventSource.builder().participantId("p").build()))
                .containsOnlyKeys("participantId");
    }

    @Test
    void everySampleSurvivesARoundTrip() {
        SampleEvents.eventSources().forEach((sample, source) ->
                assertThat(EventSourceValue.fromValue(EventSourceValue.toValue(source))).as(sample).isEqualTo(source));
    }

    @Property(tries = 1000, seed = "4711")
    void anyEventSourceSurvivesARoundTrip(@ForAll("eventSources") EventSource source) {
        assertThat(EventSourceValue.fromValue(EventSourceValue.toValue(source))).isEqualTo(source);
    }

    @Provide
    Arbitrary<EventSource> eventSources() {
        return EventSourceArbitraries.eventSources();
    }
}
