package io.ivsstageevents.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.TestEvents;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every spelling of every event name this version accepts, name by name, through the whole handler: the event is
 * handled as its API name (recorded, measured or skipped, and counted under that name), never kept as unrecognized.
 * docs/EVENTS.md ("The event format") says which spellings AWS documents and which are inferred.
 */
class EventNameSpellingsTest {
    @RegisterExtension
    final LocalTable table = new LocalTable();

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # documented by AWS for EventBridge
            Participant Published          | PUBLISH_STARTED
            Participant Unpublished        | PUBLISH_STOPPED
            Participant Publish Error      | PUBLISH_ERROR
            # the most probable spellings (AWS's translated page): replication start/end, no prefix on the exchange
            Participant Replication Start  | REPLICATION_STARTED
            Participant Replication End    | REPLICATION_STOPPED
            Token Exchanged                | TOKEN_EXCHANGED
            # the API's enum names
            JOINED                         | JOINED
            LEFT                           | LEFT
            PUBLISH_STARTED                | PUBLISH_STARTED
            PUBLISH_STOPPED                | PUBLISH_STOPPED
            SUBSCRIBE_STARTED              | SUBSCRIBE_STARTED
            SUBSCRIBE_STOPPED              | SUBSCRIBE_STOPPED
            PUBLISH_ERROR                  | PUBLISH_ERROR
            SUBSCRIBE_ERROR                | SUBSCRIBE_ERROR
            JOIN_ERROR                     | JOIN_ERROR
            REPLICATION_STARTED            | REPLICATION_STARTED
            REPLICATION_STOPPED            | REPLICATION_STOPPED
            TOKEN_EXCHANGED                | TOKEN_EXCHANGED
            # inferred by pattern: with and without the prefix, Start(ed), Stop(ped), End(ed)
            Participant Joined             | JOINED
            Joined                         | JOINED
            Participant Join               | JOINED
            Participant Left               | LEFT
            Participant Leave              | LEFT
            Published                      | PUBLISH_STARTED
            Participant Publish Started    | PUBLISH_STARTED
            Participant Publish Start      | PUBLISH_STARTED
            Unpublished                    | PUBLISH_STOPPED
            Participant Publish Stopped    | PUBLISH_STOPPED
            Participant Publish Stop       | PUBLISH_STOPPED
            Participant Publish Ended      | PUBLISH_STOPPED
            Participant Publish End        | PUBLISH_STOPPED
            Participant Subscribed         | SUBSCRIBE_STARTED
            Participant Subscribe Started  | SUBSCRIBE_STARTED
            Participant Subscribe Start    | SUBSCRIBE_STARTED
            Participant Unsubscribed       | SUBSCRIBE_STOPPED
            Participant Subscribe Stopped  | SUBSCRIBE_STOPPED
            Participant Subscribe Stop     | SUBSCRIBE_STOPPED
            Participant Subscribe Ended    | SUBSCRIBE_STOPPED
            Participant Subscribe End      | SUBSCRIBE_STOPPED
            Publish Error                  | PUBLISH_ERROR
            Participant Subscribe Error    | SUBSCRIBE_ERROR
            Participant Join Error         | JOIN_ERROR
            Participant Replication Started| REPLICATION_STARTED
            Replication Start              | REPLICATION_STARTED
            Participant Replication Stopped| REPLICATION_STOPPED
            Participant Replication Stop   | REPLICATION_STOPPED
            Participant Replication Ended  | REPLICATION_STOPPED
            Replication End                | REPLICATION_STOPPED
            Participant Token Exchanged    | TOKEN_EXCHANGED
            Token Exchange                 | TOKEN_EXCHANGED
            # any letter case; spaces, underscores or hyphens between words
            token exchanged                | TOKEN_EXCHANGED
            TOKEN EXCHANGED                | TOKEN_EXCHANGED
            participant-replication-start  | REPLICATION_STARTED
            Participant_Replication_End    | REPLICATION_STOPPED
            participant  token   exchanged | TOKEN_EXCHANGED
            Token-Exchanged                | TOKEN_EXCHANGED
            replication_started            | REPLICATION_STARTED
            """)
    void aSpellingIsHandledAsItsApiName(String spelling, EventName name) {
        table.function().invoke(sampleOfItsKind(name).name(spelling).bytes());

        assertThat(table.function().metrics()).noneMatch(document ->
                EmfRules.parse(document).has(StageEventMetrics.UNRECOGNIZED_EVENTS));
        assertThat(table.function().metrics()).anySatisfy(document ->
                assertThat(EmfRules.parse(document).path(StageEventMetrics.EVENT_NAME).asText())
                        .isEqualTo(name.toString()));
        if (name == EventName.TOKEN_EXCHANGED || name == EventName.REPLICATION_STARTED
                || name == EventName.REPLICATION_STOPPED) {
            assertThat(table.items()).anySatisfy(item ->
                    assertThat(item.get("name") == null ? null : item.get("name").s()).isEqualTo(name.toString()));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Participant Muted              | MUTED
            Token Exchanged                | TOKEN EXCHANGED
            Participant                    | PARTICIPANT
            '  participant__token--exchanged ' | TOKEN EXCHANGED
            """)
    void namesAreComparedInOneCaseWithOneSpaceBetweenWordsAndNoParticipantPrefix(String name, String normalized) {
        assertThat(EventNameSpellings.normalize(name)).isEqualTo(normalized);
    }

    private static TestEvents sampleOfItsKind(EventName name) {
        return switch (name) {
            case TOKEN_EXCHANGED -> TestEvents.tokenExchanged();
            case REPLICATION_STARTED -> TestEvents.replicationStarted();
            case REPLICATION_STOPPED -> TestEvents.replicationStopped();
            case PUBLISH_ERROR, SUBSCRIBE_ERROR, JOIN_ERROR -> TestEvents.sample("publish-error.json");
            default -> TestEvents.sample("participant-published.json");
        };
    }
}
