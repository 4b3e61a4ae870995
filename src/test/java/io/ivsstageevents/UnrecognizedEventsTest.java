package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.OlderVersion;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.TestEvents;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A stage update this version cannot record is never an error and never dropped: kept whole, counted, logged by
 * key names, and recorded by a replay once a version knows it. Unknown members of a recognized event are kept in
 * its ledger item. Through the whole handler, against DynamoDB Local.
 */
class UnrecognizedEventsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String REPLAY_ALL_OF_MARCH_14 =
            "{\"replayUnrecognized\":{\"from\":\"2026-03-14\",\"to\":\"2026-03-14\"}}";

    @RegisterExtension
    final LocalTable table = new LocalTable();
    private LocalFunction function;

    @BeforeEach
    void onTheTable() {
        function = table.function();
    }

    @Test
    void anUnknownNameSucceedsAndIsKeptWholeAsOneItem() {
        function.invoke("unrecognized-event.json");

        JsonNode kept = PlainItems.toJson(single(kept()));
        assertThat(kept.get("pk").asText()).isEqualTo("UNRECOGNIZED#2026-03-14");
        assertThat(kept.get("name").asText()).isEqualTo("Participant Muted");
        assertThat(kept.get("reason").asText()).isEqualTo("UNRECOGNIZED_NAME");
        assertThat(kept.get("stageArn").asText()).isEqualTo(TestEvents.STAGE);
        assertThat(kept.get("sessionId").asText()).isEqualTo(TestEvents.SESSION);
        assertThat(kept.get("eventId").asText()).isEqualTo("3d6a9a4c-2f1e-4b8a-9d51-0c7e21f4a120");
        assertThat(kept.get("time").asText()).isEqualTo("2026-03-14T18:12:01Z");
        assertThat(JsonTree.readObject(kept.get("detail").asText().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(JsonTree.readObject(SampleEvents.bytes("unrecognized-event.json")).get("detail"));
    }

    @Test
    void anUnknownNameIsCountedByItsNameAndInAll() {
        function.invoke("unrecognized-event.json");

        JsonNode document = single(documentsWith(StageEventMetrics.UNRECOGNIZED_EVENTS));
        assertThat(EmfRules.violations(document.toString())).isEmpty();
        assertThat(EmfRules.dimensionSets(document.toString())).containsExactly(List.of(), List.of("EventName"));
        assertThat(document.get("EventName").asText()).isEqualTo("Participant Muted");
        assertThat(document.get(StageEventMetrics.UNRECOGNIZED_EVENTS).asLong()).isEqualTo(1);
    }

    @Test
    void theLogLineNamesTheDetailsKeysNeverItsValues() {
        function.invoke("unrecognized-event.json");

        assertThat(function.logLines()).filteredOn(line -> line.startsWith("WARN kept")).singleElement()
                .satisfies(line -> assertThat(line).contains("detailKeys=session_id,event_name,event_time,user_id,"
                        + "participant_id,muted_by,media_types").doesNotContain("viewer-4711")
                        .doesNotContain("aBc9d8e7f6g"));
    }

    @Test
    void aRedeliveredUnknownEventIsKeptOnceAndCountedOnceAsUnrecognized() {
        function.invoke("unrecognized-event.json");
        function.invoke(TestEvents.sample("unrecognized-event.json").bytes());

        assertThat(kept()).hasSize(1);
        assertThat(documentsWith(StageEventMetrics.UNRECOGNIZED_EVENTS)).hasSize(1);
        assertThat(documentsWith(StageEventMetrics.DUPLICATE_EVENTS)).hasSize(1);
    }

    @Test
    void aTokenExchangeWithoutANewTokenIsKeptWholeAndChangesNoToken() {
        function.invoke(TestEvents.tokenExchanged().without("new_token").bytes());

        JsonNode kept = PlainItems.toJson(single(kept()));
        assertThat(kept.get("reason").asText()).isEqualTo("INCOMPLETE");
        assertThat(kept.get("missing").asText()).isEqualTo("newToken");
        assertThat(table.items()).hasSize(1);
        assertThat(single(documentsWith(StageEventMetrics.UNRECOGNIZED_EVENTS)).get("EventName").asText())
                .isEqualTo("TOKEN_EXCHANGED");
    }

    @Test
    void aReplayRecordsAKeptEventThisVersionKnowsAndNoLongerListsIt() {
        OlderVersion.kept(table.dynamoDb().client(), table.name(), "token-exchanged.json");

        JsonNode answer = EmfRules.parse(function.invoke(REPLAY_ALL_OF_MARCH_14.getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.get("replayed").asInt()).isEqualTo(1);
        assertThat(answer.get("recorded").asInt()).isEqualTo(1);
        assertThat(answer.get("complete").asBoolean()).isTrue();
        assertThat(kept()).isEmpty();
        assertThat(table.patterns().sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).singleElement()
                .satisfies(item -> assertThat(item.get("name").s()).isEqualTo("TOKEN_EXCHANGED"));
        assertThat(table.patterns().currentToken("aBc9d8e7f6g")).hasSize(1);
    }

    @Test
    void aReplayIsIdempotent() {
        OlderVersion.kept(table.dynamoDb().client(), table.name(), "token-exchanged.json");
        function.invoke(REPLAY_ALL_OF_MARCH_14.getBytes(StandardCharsets.UTF_8));
        List<Map<String, AttributeValue>> afterOne = table.items();

        JsonNode again = EmfRules.parse(function.invoke(REPLAY_ALL_OF_MARCH_14.getBytes(StandardCharsets.UTF_8)));

        assertThat(again.get("replayed").asInt()).isZero();
        assertThat(table.items()).containsExactlyInAnyOrderElementsOf(afterOne);
    }

    @Test
    void aReplayKeepsWhatThisVersionStillCannotRecord() {
        function.invoke("unrecognized-event.json");
        List<Map<String, AttributeValue>> before = kept();

        JsonNode answer = EmfRules.parse(function.invoke(REPLAY_ALL_OF_MARCH_14.getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.get("stillUnrecognized").asInt()).isEqualTo(1);
        assertThat(kept()).isEqualTo(before);
    }

    @Test
    void unknownMembersOfATokenExchangeLandInItsLedgerItemInNativeTypes() {
        function.invoke(TestEvents.tokenExchanged()
                .with("stage_region", "us-west-2")
                .with("layers", NODES.arrayNode().add(1).add(2))
                .with("flags", NODES.objectNode().put("simulcast", true).putNull("codec"))
                .bytes());

        Map<String, AttributeValue> unknown = single(table.patterns()
                .sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).get(TableDesign.UNKNOWN_MEMBERS).m();
        assertThat(unknown.get("stage_region").s()).isEqualTo("us-west-2");
        assertThat(unknown.get("layers").l()).extracting(AttributeValue::n).containsExactly("1", "2");
        assertThat(unknown.get("flags").m().get("simulcast").bool()).isTrue();
        assertThat(unknown.get("flags").m().get("codec").nul()).isTrue();
        assertThat(unknown).doesNotContainKey("user_id");
        assertThat(function.logLines()).anySatisfy(line -> assertThat(line)
                .startsWith("INFO detail keys this version does not read")
                .contains("keys=stage_region,layers,flags").doesNotContain("viewer-0815"));
    }

    @Test
    void aRedeliveryCarryingMoreMembersLeavesTheLedgerItemWithAllWhateverTheOrder() {
        TestEvents first = TestEvents.tokenExchanged().eventId("first").with("layers", "2");
        TestEvents second = TestEvents.tokenExchanged().eventId("second").with("codec", "av1");
        function.invoke(second.bytes());
        function.invoke(first.bytes());

        Map<String, AttributeValue> unknown = single(table.patterns()
                .sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).get(TableDesign.UNKNOWN_MEMBERS).m();
        assertThat(unknown).containsOnlyKeys("layers", "codec");
    }

    /** Every documented event carries {@code user_id}: it is read, so it is never reported, and never logged. */
    @Test
    void theDocumentedUserIdIsNeitherReportedAsAnUnknownKeyNorLogged() {
        function.invoke("token-exchanged.json");
        function.invoke("participant-published.json");

        assertThat(function.logLines()).isNotEmpty()
                .noneMatch(line -> line.contains("detail keys this version does not read"))
                .noneMatch(line -> line.contains("viewer-0815") || line.contains("viewer-4711"));
    }

    @Test
    void numbersAreKeptExactlyAsTheyCame() {
        function.invoke(TestEvents.tokenExchanged()
                .with("precise", NODES.numberNode(new BigDecimal("0.12345678901234567890123")))
                .with("huge", NODES.numberNode(new BigDecimal("1E+400")))
                .bytes());

        Map<String, AttributeValue> unknown = single(table.patterns()
                .sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).get(TableDesign.UNKNOWN_MEMBERS).m();
        assertThat(unknown.get("precise").n()).isEqualTo("0.12345678901234567890123");
        assertThat(new BigDecimal(unknown.get("huge").s())).isEqualByComparingTo("1E+400");
    }

    @Test
    void aPreciseEventTimeIsTheRecordedEventTime() {
        function.invoke(TestEvents.replicationStarted().with("event_time_precise", "2026-03-14T18:09:59.250Z")
                .bytes());

        assertThat(single(table.patterns().sessionLedger(TestEvents.STAGE, TestEvents.SESSION))
                .get("eventTime").s()).isEqualTo("2026-03-14T18:09:59.250Z");
    }

    private List<Map<String, AttributeValue>> kept() {
        return table.items().stream()
                .filter(item -> TableDesign.UNRECOGNIZED.equals(item.get(TableDesign.ITEM_TYPE).s())).toList();
    }

    private List<JsonNode> documentsWith(String metric) {
        return function.metrics().stream().map(EmfRules::parse).filter(document -> document.has(metric)).toList();
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
