package io.ivsstageevents.parsing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.json.EventSourceJson;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.ParticipantTokenCapability;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.testing.SampleEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StageEventParserTest {
    private final StageEventParser parser = new StageEventParser();

    @Test
    void readsTheEnvelopesContext() {
        StageEvent event = parse(SampleEvents.bytes("token-exchanged.json"));

        assertThat(event.eventId()).isEqualTo("3d6a9a4c-2f1e-4b8a-9d51-0c7e21f4a108");
        assertThat(event.account()).isEqualTo("123456789012");
        assertThat(event.region()).isEqualTo("us-west-2");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-03-14T18:06:13Z"));
        assertThat(event.stageArn()).isEqualTo("arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij");
        assertThat(event.sessionId()).isEqualTo("st-ZyXwvu1T2s");
    }

    @Test
    void readsATokenExchangeInTheEventBridgeForm() {
        EventSource source = parse(SampleEvents.bytes("token-exchanged.json")).eventSource();

        assertThat(source.name()).isEqualTo(EventName.TOKEN_EXCHANGED);
        assertThat(source.participantId()).isEqualTo("aBc9d8e7f6g");
        assertThat(source.eventTime()).isEqualTo(Instant.parse("2026-03-14T18:06:12.482Z"));
        assertThat(source.previousToken().capabilities()).containsExactly(ParticipantTokenCapability.SUBSCRIBE);
        assertThat(source.newToken().capabilities())
                .containsExactly(ParticipantTokenCapability.PUBLISH, ParticipantTokenCapability.SUBSCRIBE);
        assertThat(source.newToken().attributes()).containsEntry("role", "co-host").hasSize(3);
        assertThat(source.newToken().userId()).isEqualTo("viewer-0815");
        assertThat(source.newToken().expirationTime()).isEqualTo(Instant.parse("2026-03-15T06:00:00Z"));
    }

    @Test
    void readsATokenExchangeInTheApiForm() {
        StageEvent event = parse(SampleEvents.bytes("token-exchanged-api-form.json"));

        assertThat(event.sessionId()).isEqualTo("st-ZyXwvu1T2s");
        assertThat(event.eventSource().name()).isEqualTo(EventName.TOKEN_EXCHANGED);
        assertThat(event.eventSource().newToken().attributes()).isEqualTo(Map.of("role", "panelist"));
        assertThat(event.eventSource().previousToken().attributes()).isEmpty();
        assertThat(event.eventSource().eventTime()).isEqualTo(Instant.parse("2026-03-14T18:07:40Z"));
    }

    @Test
    void readsAReplicationInBothForms() {
        EventSource eventBridge = parse(SampleEvents.bytes("replication-started.json")).eventSource();
        EventSource api = parse(SampleEvents.bytes("replication-started-api-form.json")).eventSource();

        for (EventSource source : new EventSource[] {eventBridge, api}) {
            assertThat(source.name()).isEqualTo(EventName.REPLICATION_STARTED);
            assertThat(source.destinationStageArn())
                    .isEqualTo("arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst");
            assertThat(source.destinationSessionId()).isEqualTo("st-Dest9Sess8Ab");
            assertThat(source.replica()).isFalse();
        }
    }

    @Test
    void theSameDetailInEitherFormGivesTheSameEventSource() {
        ObjectNode snake = SampleEvents.json("subscribe-error.json");
        ObjectNode camel = SampleEvents.json("subscribe-error.json");
        ObjectNode detail = camel.putObject("detail");
        detail.put("sessionId", "st-ZyXwvu1T2s").put("name", "SUBSCRIBE_ERROR")
                .put("eventTime", "2026-03-14T18:05:08+00:00").put("participantId", "aBc9d8e7f6g")
                .put("remoteParticipantId", "xYz1c2d3e4f").put("errorCode", "PUBLISHER_NOT_FOUND")
                .put("replica", false);

        assertThat(parse(SampleEvents.bytes(camel)).eventSource())
                .isEqualTo(parse(SampleEvents.bytes(snake)).eventSource());
    }

    @ParameterizedTest
    @EnumSource(value = EventName.class, names = "UNKNOWN_TO_SDK_VERSION", mode = EnumSource.Mode.EXCLUDE)
    void everyApiEventNameIsRead(EventName name) {
        assertThat(nameOf(name.toString())).isEqualTo(name);
    }

    @Test
    void anUnknownEventNameIsKeptWholeWithTheNameAsItCame() {
        ObjectNode event = SampleEvents.json("participant-published.json");
        ((ObjectNode) event.get("detail")).remove("event_name");
        ((ObjectNode) event.get("detail")).put("name", "PARTICIPANT_TELEPORTED");

        UnrecognizedEvent kept = unrecognized(SampleEvents.bytes(event));

        assertThat(kept.name()).isEqualTo("PARTICIPANT_TELEPORTED");
        assertThat(kept.reason()).isEqualTo(UnrecognizedEvent.Reason.UNRECOGNIZED_NAME);
        assertThat(kept.detail()).containsKeys("name", "participant_id", "session_id", "event_time");
        assertThat(kept.envelope().sessionId()).isEqualTo("st-ZyXwvu1T2s");
        assertThat(kept.eventTime()).isEqualTo(Instant.parse("2026-03-14T18:02:10Z"));
    }

    @Test
    void anUnknownEventBridgePhraseIsKeptAsItIs() {
        assertThat(unrecognized(withDetail("event_name", "Participant Teleported")).name())
                .isEqualTo("Participant Teleported");
    }

    @Test
    void anIvsStageUpdateWithoutANameIsKeptNotSkipped() {
        ObjectNode event = SampleEvents.json("participant-published.json");
        ((ObjectNode) event.get("detail")).remove("event_name");

        UnrecognizedEvent kept = unrecognized(SampleEvents.bytes(event));

        assertThat(kept.name()).isNull();
        assertThat(kept.reason()).isEqualTo(UnrecognizedEvent.Reason.UNRECOGNIZED_NAME);
    }

    @Test
    void aTokenExchangeWithoutANewTokenIsKeptAsIncompleteNotMisapplied() {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        ((ObjectNode) event.get("detail")).remove("new_token");

        UnrecognizedEvent kept = unrecognized(SampleEvents.bytes(event));

        assertThat(kept.name()).isEqualTo("TOKEN_EXCHANGED");
        assertThat(kept.reason()).isEqualTo(UnrecognizedEvent.Reason.INCOMPLETE);
        assertThat(kept.missing()).isEqualTo("newToken");
    }

    @Test
    void aReplicationWithoutADestinationIsKeptAsIncomplete() {
        ObjectNode event = SampleEvents.json("replication-stopped.json");
        ((ObjectNode) event.get("detail")).remove("destination_stage_arn");

        assertThat(unrecognized(SampleEvents.bytes(event)).missing()).isEqualTo("destinationStageArn");
    }

    @Test
    void aPreciseEventTimeWinsOverTheWholeSecond() {
        ObjectNode event = SampleEvents.json("replication-started.json");
        ((ObjectNode) event.get("detail")).put("event_time_precise", "2026-03-14T18:09:59.123456Z");

        StageEvent parsed = parse(SampleEvents.bytes(event));

        assertThat(parsed.eventSource().eventTime()).isEqualTo(Instant.parse("2026-03-14T18:09:59.123456Z"));
        assertThat(parsed.unknownMembers()).doesNotContainKey("event_time_precise");
    }

    @Test
    void aPreciseEventTimeInAnotherSecondIsInvalid() {
        ObjectNode event = SampleEvents.json("replication-started.json");
        ((ObjectNode) event.get("detail")).put("event_time_precise", "2026-03-14T18:10:00.001Z");

        assertThatThrownBy(() -> parser.parse(SampleEvents.bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("detail.event_time_precise: ").hasMessageContaining("same instant");
    }

    @Test
    void aPreciseEventTimeInAFormThisVersionDoesNotReadIsKeptNotRefused() {
        ObjectNode event = SampleEvents.json("replication-started.json");
        ((ObjectNode) event.get("detail")).put("event_time_precise", 1773511799123L);

        StageEvent parsed = parse(SampleEvents.bytes(event));

        assertThat(parsed.eventSource().eventTime()).isEqualTo(Instant.parse("2026-03-14T18:09:59Z"));
        assertThat(parsed.unknownMembers()).containsEntry("event_time_precise", 1773511799123L);
    }

    @Test
    void theEventTimeFallsBackToTheEnvelopesTime() {
        ObjectNode event = SampleEvents.json("participant-published.json");
        ((ObjectNode) event.get("detail")).remove("event_time");

        assertThat(parse(SampleEvents.bytes(event)).eventSource().eventTime())
                .isEqualTo(Instant.parse("2026-03-14T18:02:11Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-03-14T18:02:10Z,             2026-03-14T18:02:10Z",
        "2026-03-14T18:02:10+00:00,        2026-03-14T18:02:10Z",
        "2026-03-14T20:02:10+02:00,        2026-03-14T18:02:10Z",
        "2026-03-14T18:02:10.5Z,           2026-03-14T18:02:10.500Z",
        "2026-03-14T18:02:10.123456789Z,   2026-03-14T18:02:10.123456789Z",
        "2026-03-14T13:02:10.250-05:00,    2026-03-14T18:02:10.250Z",
    })
    void eventTimesAreReadWithZoneOrOffsetAndWithOrWithoutFractions(String wire, String instant) {
        assertThat(parse(withDetail("event_time", wire)).eventSource().eventTime()).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
    void theFirstAndLastInstantsOfFourDigitYearsAreRead(String wire) {
        assertThat(parse(withDetail("event_time", wire)).eventSource().eventTime()).isEqualTo(Instant.parse(wire));
    }

    @Test
    void unknownDetailKeysAreKeptAtEveryLevelWithoutChangingTheEventSource() {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        event.put("new-envelope-key", 1);
        ((ObjectNode) event.get("detail")).putObject("stage_region_info").put("x", "y");
        ((ObjectNode) event.get("detail").get("new_token")).putArray("scopes").add("a");

        StageEvent parsed = parse(SampleEvents.bytes(event));

        assertThat(parsed.eventSource()).isEqualTo(parse(SampleEvents.bytes("token-exchanged.json")).eventSource());
        assertThat(parsed.unknownMembers()).containsEntry("stage_region_info", Map.of("x", "y"))
                .containsEntry("newToken.scopes", List.of("a")).doesNotContainKey("user_id")
                .doesNotContainKey("new-envelope-key");
    }

    /** AWS documents {@code user_id} in the detail of every stage update: read, so never an unknown member. */
    @Test
    void theDocumentedUserIdOfTheDetailIsReadNotKeptAsUnknown() {
        StageEvent event = parse(SampleEvents.bytes("token-exchanged.json"));

        assertThat(event.userId()).isEqualTo("viewer-0815");
        assertThat(event.unknownMembers()).doesNotContainKey("user_id");
    }

    /** Captured events carry {@code ""} when the token had no user id: kept as it came. */
    @Test
    void anEmptyUserIdIsReadAsItCame() {
        assertThat(parse(withDetail("user_id", "")).userId()).isEmpty();
    }

    @Test
    void anEventWithoutAUserIdHasNone() {
        assertThat(parse(SampleEvents.bytes("replication-started-api-form.json")).userId()).isNull();
    }

    @Test
    void idsLongerOrShorterThanTheModelAllowsAreAccepted() {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        ((ObjectNode) event.get("detail")).put("session_id", "st-" + "a".repeat(40));
        ((ObjectNode) event.get("detail")).put("participant_id", "p".repeat(100));

        StageEvent parsed = parse(SampleEvents.bytes(event));

        assertThat(parsed.sessionId()).hasSize(43);
        assertThat(parsed.eventSource().participantId()).hasSize(100);
    }

    @Test
    void nullMembersAreAbsent() {
        EventSource source = parse(withDetailNull("remote_participant_id")).eventSource();

        assertThat(source.remoteParticipantId()).isNull();
    }

    @Test
    void anEventOfAnotherSourceIsNotOurs() {
        ObjectNode event = SampleEvents.json("participant-published.json").put("source", "aws.s3");

        assertThat(parser.parse(SampleEvents.bytes(event))).isEqualTo(new ForeignEvent("aws.s3", "IVS Stage Update"));
    }

    @Test
    void anotherDetailTypeOfIvsIsNotOurs() {
        ObjectNode event = SampleEvents.json("participant-published.json").put("detail-type", "IVS Stream State Change");

        assertThat(parser.parse(SampleEvents.bytes(event))).isInstanceOf(ForeignEvent.class);
    }

    @Test
    void anErrorEventNeedsNoSessionToBeMeasured() {
        ObjectNode event = SampleEvents.json("join-error.json");
        ((ObjectNode) event.get("detail")).remove("session_id");
        event.remove("resources");

        StageEvent parsed = parse(SampleEvents.bytes(event));

        assertThat(parsed.isParticipantError()).isTrue();
        assertThat(parsed.sessionId()).isNull();
    }

    @Test
    void whatIsRecordedAndWhatIsMeasuredIsDecidedByTheName() {
        assertThat(parse(SampleEvents.bytes("token-exchanged.json")).mustBeRecorded()).isTrue();
        assertThat(parse(SampleEvents.bytes("replication-stopped.json")).mustBeRecorded()).isTrue();
        assertThat(parse(SampleEvents.bytes("publish-error.json")).mustBeRecorded()).isFalse();
        assertThat(parse(SampleEvents.bytes("publish-error.json")).isParticipantError()).isTrue();
        assertThat(parse(SampleEvents.bytes("participant-published.json")).mustBeRecorded()).isFalse();
        assertThat(parse(SampleEvents.bytes("participant-published.json")).isParticipantError()).isFalse();
    }

    @Test
    void anyEventCarryingAnErrorCodeIsAParticipantError() {
        assertThat(parse(withDetail("error_code", "INVALID_INPUT")).isParticipantError()).isTrue();
    }

    private EventName nameOf(String wireName) {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        ((ObjectNode) event.get("detail")).put("event_name", wireName)
                .put("destination_stage_arn", "arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst");
        return parse(SampleEvents.bytes(event)).eventSource().name();
    }

    private UnrecognizedEvent unrecognized(byte[] bytes) {
        ParsedEvent parsed = parser.parse(bytes);
        assertThat(parsed).isInstanceOf(UnrecognizedEvent.class);
        return (UnrecognizedEvent) parsed;
    }

    private StageEvent parse(byte[] bytes) {
        ParsedEvent parsed = parser.parse(bytes);
        assertThat(parsed).isInstanceOf(StageEvent.class);
        return (StageEvent) parsed;
    }

    /** The replication sample, which has every member any name needs, with one detail member set. */
    private static byte[] withDetail(String key, String value) {
        ObjectNode event = SampleEvents.json("replication-started.json");
        ((ObjectNode) event.get("detail")).put(key, value);
        return SampleEvents.bytes(event);
    }

    private static byte[] withDetailNull(String key) {
        ObjectNode event = SampleEvents.json("participant-published.json");
        ((ObjectNode) event.get("detail")).putNull(key);
        return SampleEvents.bytes(event);
    }
}
