package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.SqsBatches;
import io.ivsstageevents.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Queue mode: SQS batches through the same per-event path, with only the failed messages reported back. */
class QueueModeTest {
    @RegisterExtension
    final LocalTable table = new LocalTable();
    private LocalFunction function;

    @BeforeEach
    void onTheTable() {
        function = table.function();
    }

    @Test
    void aBatchOfTenWithTwoInvalidAndOneDuplicateReportsExactlyTheTwoInvalid() {
        List<byte[]> good = distinctGoodEvents(7);
        List<byte[]> bodies = new ArrayList<>(good);
        bodies.add(3, "{\"source\": \"aws.ivs\", \"detail-type\": \"IVS Stage Update\"".getBytes(StandardCharsets.UTF_8));
        bodies.add(6, good.get(1));
        bodies.add(8, SampleEvents.bytes(SampleEvents.json("replication-started.json").put("time", "yesterday")));

        JsonNode response = EmfRules.parse(function.invoke(SqsBatches.of(bodies)));

        assertThat(response.get("batchItemFailures").findValuesAsText("itemIdentifier"))
                .containsExactly(SqsBatches.messageId(3), SqsBatches.messageId(8));
        assertThat(tableContent(table.name())).isEqualTo(cleanRun(good));
    }

    @Test
    void aDynamoDbOutageMidBatchReportsExactlyTheMessagesNotYetRecorded() {
        List<byte[]> events = distinctGoodEvents(6);
        AtomicInteger writesBeforeOutage = new AtomicInteger(5);
        DynamoDbClient failing = LocalDynamoDb.clientFor(table.dynamoDb().endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (writesBeforeOutage.getAndDecrement() <= 0) {
                    throw SdkClientException.create("injected: DynamoDB is unreachable");
                }
            }
        }));
        LocalFunction duringOutage = table.functionWith(failing);

        JsonNode response = EmfRules.parse(duringOutage.invoke(SqsBatches.of(events)));

        // Messages are recorded side by side, so which ones the five writes completed depends on the threads; a
        // token exchange's last write is its token state, so a message is recorded exactly when that is there.
        List<String> failed = response.get("batchItemFailures").findValuesAsText("itemIdentifier");
        Set<String> recordedParticipants = table.items().stream()
                .filter(item -> TableDesign.TOKEN_SK.equals(item.get(TableDesign.SK).s()))
                .map(item -> item.get("participantId").s()).collect(Collectors.toSet());
        List<String> notRecorded = new ArrayList<>();
        List<byte[]> redelivered = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!recordedParticipants.contains(participant(i))) {
                notRecorded.add(SqsBatches.messageId(i));
                redelivered.add(events.get(i));
            }
        }
        assertThat(failed).isNotEmpty().containsExactlyElementsOf(notRecorded);

        function.invoke(SqsBatches.of(redelivered));

        assertThat(tableContent(table.name())).isEqualTo(cleanRun(events));
    }

    @Test
    void aBatchsMessagesAreRecordedSideBySide() {
        int messages = 3;
        CountDownLatch allUnderWay = new CountDownLatch(messages);
        AtomicBoolean eachSawTheOthers = new AtomicBoolean(true);
        DynamoDbClient meeting = LocalDynamoDb.clientFor(table.dynamoDb().endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                // Each message's first request waits here until every message has sent its own: one at a time,
                // the first would wait in vain.
                if (allUnderWay.getCount() > 0) {
                    allUnderWay.countDown();
                    try {
                        eachSawTheOthers.compareAndSet(true, allUnderWay.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }));

        JsonNode response = EmfRules.parse(table.functionWith(meeting).invoke(SqsBatches.of(distinctGoodEvents(messages))));

        assertThat(eachSawTheOthers).isTrue();
        assertThat(response.get("batchItemFailures")).isEmpty();
    }

    @Test
    void theSampleBatchReportsItsOneBadMessage() {
        JsonNode response = EmfRules.parse(function.invoke(SampleEvents.bytes("sqs-batch.json")));

        assertThat(response.get("batchItemFailures").findValuesAsText("itemIdentifier"))
                .containsExactly("0d1f3c2a-5b6e-4f70-8a91-b2c3d4e5f603");
    }

    @Test
    void noMessageIsStartedWithoutTimeForItsWritesToFailWithinTheirBound() {
        function.remainingTimeMillis(5_000);

        JsonNode response = EmfRules.parse(function.invoke(SqsBatches.of(distinctGoodEvents(2))));

        assertThat(response.get("batchItemFailures").findValuesAsText("itemIdentifier"))
                .containsExactly(SqsBatches.messageId(0), SqsBatches.messageId(1));
        assertThat(table.items()).isEmpty();
    }

    @Test
    void aBatchOutOfTimeSaysSoInOneLogLineAndAMetric() {
        function.remainingTimeMillis(5_000);

        function.invoke(SqsBatches.of(distinctGoodEvents(3)));

        assertThat(function.logLines()).filteredOn(line -> line.startsWith("WARN out of time:")).singleElement()
                .satisfies(line -> assertThat(line).contains(" messages=3 ", " remainingMillis=5000 "));
        assertThat(function.metrics()).map(EmfRules::parse).filteredOn(document -> document.has("MessagesOutOfTime"))
                .singleElement()
                .satisfies(document -> assertThat(document.get("MessagesOutOfTime").asLong()).isEqualTo(3));
        assertThat(function.metrics()).allSatisfy(document -> assertThat(EmfRules.violations(document)).isEmpty());
    }

    @Test
    void aMessageWithoutABodyFailsAloneAndIsCountedInvalid() {
        ObjectNode batch = (ObjectNode) EmfRules.parse(new String(
                SqsBatches.of(distinctGoodEvents(2)), StandardCharsets.UTF_8));
        ((ObjectNode) batch.get("Records").get(0)).remove("body");

        JsonNode response = EmfRules.parse(function.invoke(SampleEvents.bytes(batch)));

        assertThat(response.get("batchItemFailures").findValuesAsText("itemIdentifier"))
                .containsExactly(SqsBatches.messageId(0));
        assertThat(function.metrics()).map(EmfRules::parse).filteredOn(document -> document.has("InvalidEvents"))
                .singleElement().satisfies(document -> assertThat(document.get("InvalidEvents").asLong()).isEqualTo(1));
        assertThat(function.logLines()).anyMatch(line -> line.startsWith("ERROR invalid event: body: missing"));
    }

    @Test
    void theBatchSizeIsMeasured() {
        function.invoke(SqsBatches.of(distinctGoodEvents(3)));

        assertThat(function.metrics()).map(EmfRules::parse).filteredOn(document -> document.has("BatchSize"))
                .singleElement().satisfies(document -> assertThat(document.get("BatchSize").asLong()).isEqualTo(3));
        assertThat(function.metrics()).allSatisfy(document -> assertThat(EmfRules.violations(document)).isEmpty());
    }

    @Test
    void aBatchFullOfInvalidMessagesStillAnswersWithEveryMessage() {
        JsonNode response = EmfRules.parse(function.invoke(SqsBatches.of(List.of(
                "not json".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8)))));

        assertThat(response.get("batchItemFailures").findValuesAsText("itemIdentifier"))
                .containsExactly(SqsBatches.messageId(0), SqsBatches.messageId(1));
        assertThat(table.items()).isEmpty();
    }

    /** Token exchanges of different participants: two writes each. */
    private static List<byte[]> distinctGoodEvents(int count) {
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(TestEvents.tokenExchanged().participant(participant(i)).bytes());
        }
        return events;
    }

    private static String participant(int index) {
        return "participant-" + index;
    }

    /** What the events make of a fresh table when each is delivered once, directly. */
    private List<JsonNode> cleanRun(List<byte[]> events) {
        String cleanTable = table.dynamoDb().createTable();
        LocalFunction clean = new LocalFunction(table.dynamoDb().client(), cleanTable);
        events.forEach(clean::invoke);
        return tableContent(cleanTable);
    }

    private List<JsonNode> tableContent(String name) {
        return table.dynamoDb().allItems(name).stream().map(item -> (JsonNode) PlainItems.toJson(item))
                .sorted(java.util.Comparator.comparing(JsonNode::toString)).toList();
    }
}
