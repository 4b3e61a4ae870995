package io.ivsstageevents.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.SampleEvents;
import java.time.Instant;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The table's rules for what goes into a key, checked by storage before any write, whoever built the event: an
 * event that breaks them is invalid, its message names the member (never the value), and nothing is written.
 */
class KeyPartRulesTest {
    @RegisterExtension
    final LocalTable table = new LocalTable();

    @Test
    void aKeyPartHoldingTheKeySeparator() {
        assertInvalidAndNothingWritten(sample(event -> detail(event).put("participant_id", "a#b")),
                "participantId", "'#'");
    }

    @Test
    void aKeyPartLongerThanDynamoDbCanKey() {
        assertInvalidAndNothingWritten(sample(event -> detail(event).put("session_id", "s".repeat(300))),
                "sessionId", "longer than");
    }

    @Test
    void aKeyPartThatIsNotPrintableAscii() {
        assertInvalidAndNothingWritten(sample(event -> detail(event).put("participant_id", "Zoë")),
                "participantId", "not printable ASCII");
    }

    /** Sort keys order by text: a fifth digit of year would sort year 10000 before year 2000. */
    @Test
    void anEventTimeBuiltInCodeOutsideFourDigitYears() {
        StageEvent exchange = SampleEvents.parsed("token-exchanged.json");
        StageEvent event = exchange.toBuilder().eventSource(exchange.eventSource().toBuilder()
                .eventTime(Instant.parse("+10000-01-01T00:00:00Z")).build()).build();

        assertThatInvalid(() -> recorder().record(event), "eventTime", "outside the years 0000 to 9999");
        assertThat(table.items()).isEmpty();
    }

    @Test
    void aReplicationWhoseDestinationSessionBreaksTheRules() {
        StageEvent replication = SampleEvents.parsed("replication-started.json");
        EventSource source = replication.eventSource().toBuilder().destinationSessionId("st-a#b").build();

        assertThatInvalid(() -> recorder().record(replication.toBuilder().eventSource(source).build()),
                "destinationSessionId", "'#'");
        assertThat(table.items()).isEmpty();
    }

    private StageEventRecorder recorder() {
        return new StageEventRecorder(table.dynamoDb().client(), table.name(), 0);
    }

    private void assertInvalidAndNothingWritten(byte[] event, String member, String problem) {
        assertThatInvalid(() -> table.function().invoke(event), member, problem);
        assertThat(table.items()).isEmpty();
    }

    private static AbstractThrowableAssert<?, ?> assertThatInvalid(Runnable call, String member, String problem) {
        return assertThatThrownBy(call::run)
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(member + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((InvalidEventException) e).field()).isEqualTo(member));
    }

    private static byte[] sample(Consumer<ObjectNode> change) {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        change.accept(event);
        return SampleEvents.bytes(event);
    }

    private static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }
}
