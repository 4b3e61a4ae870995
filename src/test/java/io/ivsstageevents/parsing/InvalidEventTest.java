package io.ivsstageevents.parsing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each class of bad input: the project's exception, with a message that starts with the field at fault. */
class InvalidEventTest {
    private final StageEventParser parser = new StageEventParser();

    @Test
    void bytesThatAreNotJson() {
        assertInvalid("{\"source\": \"aws.ivs\", ".getBytes(StandardCharsets.UTF_8), "event", "not valid JSON");
    }

    @Test
    void emptyInput() {
        assertInvalid(new byte[0], "event", "empty");
    }

    @Test
    void jsonThatIsNotAnObject() {
        assertInvalid("[1, 2, 3]".getBytes(StandardCharsets.UTF_8), "event", "expected an object, got an array");
    }

    @Test
    void aDuplicateKey() {
        assertInvalid("{\"source\": \"aws.ivs\", \"source\": \"aws.s3\"}".getBytes(StandardCharsets.UTF_8),
                "event", "not valid JSON");
    }

    @Test
    void aMissingSource() {
        assertInvalid(sample("participant-published.json", event -> event.remove("source")), "source", "missing");
    }

    @Test
    void aSourceOfTheWrongType() {
        assertInvalid(sample("participant-published.json", event -> event.put("source", 7)),
                "source", "expected a string, got a number");
    }

    @Test
    void aMissingDetail() {
        assertInvalid(sample("participant-published.json", event -> event.remove("detail")), "detail", "missing");
    }

    @Test
    void aDetailThatIsNotAnObject() {
        assertInvalid(sample("participant-published.json", event -> event.put("detail", "Participant Published")),
                "detail", "expected an object, got a string");
    }

    @Test
    void aReplicaFlagThatIsNotABoolean() {
        assertInvalid(sample("replication-started.json", event -> detail(event).put("replica", "yes")),
                "detail.replica", "expected a boolean, got a string");
    }

    @Test
    void capabilitiesThatAreNotAList() {
        assertInvalid(sample("token-exchanged.json",
                        event -> ((ObjectNode) detail(event).get("new_token")).put("capabilities", "PUBLISH")),
                "detail.newToken.capabilities", "expected an array of strings, got a string");
    }

    @Test
    void anAttributeValueThatIsNotAString() {
        assertInvalid(sample("token-exchanged.json", event -> ((ObjectNode) detail(event).get("new_token"))
                        .putObject("attributes").put("level", 3)),
                "detail.newToken.attributes.<attribute>", "expected a string, got a number");
    }

    @Test
    void anUnparseableEventTime() {
        assertInvalid(sample("participant-published.json", event -> detail(event).put("event_time", "yesterday")),
                "detail.eventTime", "not an ISO 8601 timestamp");
    }

    @Test
    void anEventTimeWithoutAZone() {
        assertInvalid(sample("participant-published.json",
                        event -> detail(event).put("event_time", "2026-03-14T18:02:10")),
                "detail.eventTime", "not an ISO 8601 timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0001-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z"})
    void anEventTimeJustOutsideFourDigitYears(String time) {
        assertInvalid(sample("participant-published.json", event -> detail(event).put("event_time", time)),
                "detail.eventTime", "outside the years 0000 to 9999");
    }

    @Test
    void anUnparseableEnvelopeTime() {
        assertInvalid(sample("participant-published.json", event -> event.put("time", "14/03/2026")),
                "time", "not an ISO 8601 timestamp");
    }

    @Test
    void aRecordedEventWithoutAStageArn() {
        assertInvalid(sample("token-exchanged.json", event -> event.putArray("resources")),
                "resources[0]", "missing");
    }

    @Test
    void aRecordedEventWithoutASessionId() {
        assertInvalid(sample("token-exchanged.json", event -> detail(event).remove("session_id")),
                "detail.session_id", "missing");
    }

    @Test
    void aRecordedEventWithoutAParticipantId() {
        assertInvalid(sample("token-exchanged.json", event -> detail(event).remove("participant_id")),
                "detail.participantId", "missing");
    }

    @Test
    void oneMemberGivenInBothSpellingsWithDifferentValues() {
        assertInvalid(sample("token-exchanged.json", event -> detail(event).put("participantId", "someone-else")),
                "detail.participantId", "given twice");
    }

    @Test
    void aUserIdThatIsNotAString() {
        assertInvalid(sample("token-exchanged.json", event -> detail(event).put("user_id", 4711)),
                "detail.user_id", "expected a string");
    }

    @Test
    void theMessageNeverQuotesTheInput() {
        byte[] bytes = "{\"userId\": \"jane.doe@example.com\" oops}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.parse(bytes)).isInstanceOf(InvalidEventException.class)
                .message().doesNotContain("jane.doe");
    }

    private void assertInvalid(byte[] event, String field, String problem) {
        assertThatThrownBy(() -> parser.parse(event))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(problem)
                .extracting(e -> ((InvalidEventException) e).field()).isEqualTo(field);
    }

    private static byte[] sample(String fileName, Consumer<ObjectNode> change) {
        ObjectNode event = SampleEvents.json(fileName);
        change.accept(event);
        return SampleEvents.bytes(event);
    }

    private static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }
}
