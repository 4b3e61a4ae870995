package io.ivsstageevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.testing.Fixtures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventSourceTest {

    @Test
    void anUnknownNameMapsToUnknownAndKeepsItsString() {
        EventSource source = EventSource.builder().name("PARTICIPANT_TELEPORTED").build();

        assertThat(source.name()).isEqualTo(EventName.UNKNOWN_TO_SDK_VERSION);
        assertThat(source.nameAsString()).isEqualTo("PARTICIPANT_TELEPORTED");
    }

    @Test
    void anUnknownErrorCodeMapsToUnknownAndKeepsItsString() {
        EventSource source = EventSource.builder().errorCode("SOLAR_FLARE").build();

        assertThat(source.errorCode()).isEqualTo(EventErrorCode.UNKNOWN_TO_SDK_VERSION);
        assertThat(source.errorCodeAsString()).isEqualTo("SOLAR_FLARE");
    }

    @Test
    void anUnknownCapabilityMapsToUnknownAndKeepsItsString() {
        ExchangedParticipantToken token = ExchangedParticipantToken.builder()
                .capabilitiesWithStrings(java.util.List.of("PUBLISH", "MODERATE")).build();

        assertThat(token.capabilities())
                .containsExactly(ParticipantTokenCapability.PUBLISH, ParticipantTokenCapability.UNKNOWN_TO_SDK_VERSION);
        assertThat(token.capabilitiesAsStrings()).containsExactly("PUBLISH", "MODERATE");
    }

    @Test
    void everyMemberIsOptional() {
        EventSource empty = EventSource.builder().build();

        assertThat(empty.name()).isNull();
        assertThat(empty.eventTime()).isNull();
        assertThat(empty.newToken()).isNull();
        assertThat(empty).isEqualTo(EventSource.builder().build());
    }

    @Test
    void toBuilderCopiesEveryMember() {
        EventSource source = Fixtures.fullEventSource();

        assertThat(source.toBuilder().build()).isEqualTo(source).hasSameHashCodeAs(source);
    }

    @Test
    void toBuilderChangesOnlyWhatItIsTold() {
        EventSource source = Fixtures.fullEventSource();

        EventSource changed = source.toBuilder().participantId("other").build();

        assertThat(changed).isNotEqualTo(source);
        assertThat(changed.toBuilder().participantId(source.participantId()).build()).isEqualTo(source);
    }

    @Test
    void theTokensAttributesAreACopyTheCallerCannotChange() {
        java.util.Map<String, String> attributes = new java.util.HashMap<>(Map.of("role", "host"));
        ExchangedParticipantToken token = ExchangedParticipantToken.builder().attributes(attributes).build();

        attributes.put("role", "guest");

        assertThat(token.attributes()).containsEntry("role", "host");
    }

    @Test
    void toStringPrintsNeitherTokenAttributesNorUserIds() {
        EventSource source = Fixtures.fullEventSource();

        String text = source.toString();

        assertThat(text).doesNotContain(Fixtures.USER_ID).doesNotContain(Fixtures.ATTRIBUTE_VALUE)
                .doesNotContain(Fixtures.ATTRIBUTE_NAME).contains("redacted").contains(source.participantId());
    }

    @Test
    void timesKeepTheirPrecision() {
        Instant time = Instant.parse("2026-03-14T18:06:12.482123456Z");

        assertThat(EventSource.builder().eventTime(time).build().eventTime()).isEqualTo(time);
    }
}
