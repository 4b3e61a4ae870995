package io.ivsstageevents.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.ivsstageevents.testing.AccessPatterns;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.TestEvents;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** What the handler records, read back through the documented access patterns, against DynamoDB Local. */
class RecordingTest {
    private static final String PARTICIPANT = "aBc9d8e7f6g";

    @RegisterExtension
    final LocalTable table = new LocalTable();
    private LocalFunction function;
    private AccessPatterns patterns;

    @BeforeEach
    void onTheTable() {
        function = table.function();
        patterns = table.patterns();
    }

    /** The ledger item holds the seed's to_value: the EventSource read back from it is the event's. */
    @Test
    void theLedgerItemHoldsTheEventSourceAsItsValue() {
        function.invoke("token-exchanged.json");

        assertThat(EventSourceValue.fromValue(single(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION))))
                .isEqualTo(SampleEvents.parsed("token-exchanged.json").eventSource());
    }

    @Test
    void theLedgerOfASessionIsInEventTimeOrderWhateverTheArrivalOrder() {
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:30:00Z").bytes());
        function.invoke(TestEvents.replicationStarted().participant(PARTICIPANT).at("2026-03-14T18:10:00Z").bytes());
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:20:00.5Z").bytes());

        assertThat(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION))
                .extracting(item -> item.get("eventTime").s())
                .containsExactly("2026-03-14T18:10:00Z", "2026-03-14T18:20:00.500Z", "2026-03-14T18:30:00Z");
    }

    @Test
    void everythingRecordedForAParticipantIsFoundAcrossSessionsInTimeOrder() {
        function.invoke(TestEvents.tokenExchanged().session("st-Second1Sess").at("2026-03-15T09:00:00Z").bytes());
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:00:00Z").bytes());
        function.invoke(TestEvents.tokenExchanged().participant("someone-else").bytes());

        assertThat(patterns.participantHistory(PARTICIPANT))
                .extracting(item -> item.get("sessionId").s())
                .containsExactly(TestEvents.SESSION, "st-Second1Sess");
    }

    @Test
    void theCurrentTokenIsTheNewTokenOfTheLatestExchange() {
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:00:00Z").role("guest").bytes());
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:05:00Z").role("host").bytes());

        Map<String, AttributeValue> token = single(patterns.currentToken(PARTICIPANT));
        assertThat(token.get("itemType").s()).isEqualTo(TableDesign.TOKEN_STATE);
        assertThat(token.get("attributes").m().get("role").s()).isEqualTo("host");
        assertThat(token.get("capabilities").l()).extracting(AttributeValue::s).containsExactly("PUBLISH", "SUBSCRIBE");
        assertThat(token.get("userId").s()).isEqualTo("viewer-0815");
        assertThat(token.get("expirationTime").s()).isEqualTo("2026-03-15T06:00:00Z");
        assertThat(token.get("asOf").s()).isEqualTo("2026-03-14T18:05:00Z");
    }

    @Test
    void anOlderExchangeArrivingLateLeavesTheTokenAsItIsAndStillEntersTheLedger() {
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:05:00Z").role("host").bytes());
        function.invoke(TestEvents.tokenExchanged().at("2026-03-14T18:00:00Z").role("guest").bytes());

        assertThat(single(patterns.currentToken(PARTICIPANT)).get("attributes").m().get("role").s()).isEqualTo("host");
        assertThat(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).hasSize(2);
    }

    @Test
    void aReplicationStartedThenStoppedIsStoppedWithItsDuration() {
        function.invoke(TestEvents.replicationStarted().at("2026-03-14T18:10:00Z").bytes());
        function.invoke(TestEvents.replicationStopped().at("2026-03-14T18:35:20.250Z").bytes());

        Map<String, AttributeValue> replication = single(patterns.currentReplications("xYz1c2d3e4f"));
        assertThat(replication.get("state").s()).isEqualTo("STOPPED");
        assertThat(replication.get("startedAt").s()).isEqualTo("2026-03-14T18:10:00Z");
        assertThat(replication.get("stoppedAt").s()).isEqualTo("2026-03-14T18:35:20.250Z");
        assertThat(replication.get("durationMillis").n()).isEqualTo("1520250");
        assertThat(replication.get("destinationSessionId").s()).isEqualTo("st-Dest9Sess8Ab");
    }

    @Test
    void aStopArrivingBeforeItsStartGivesTheSameStateAsInOrder() {
        byte[] start = TestEvents.replicationStarted().at("2026-03-14T18:10:00Z").bytes();
        byte[] stop = TestEvents.replicationStopped().at("2026-03-14T18:35:00Z").bytes();
        String inOrderTable = table.dynamoDb().createTable();
        LocalFunction inOrder = new LocalFunction(table.dynamoDb().client(), inOrderTable);
        inOrder.invoke(start);
        inOrder.invoke(stop);

        function.invoke(stop);
        assertThat(single(patterns.currentReplications("xYz1c2d3e4f")).get("state").s()).isEqualTo("STOPPED");
        function.invoke(start);

        assertThat(single(patterns.currentReplications("xYz1c2d3e4f"))).isEqualTo(single(
                new AccessPatterns(table.dynamoDb().client(), inOrderTable).currentReplications("xYz1c2d3e4f")));
    }

    @Test
    void aStartAfterTheLatestStopIsActiveWhateverTheArrivalOrder() {
        function.invoke(TestEvents.replicationStarted().at("2026-03-14T19:00:00Z").bytes());
        function.invoke(TestEvents.replicationStopped().at("2026-03-14T18:35:00Z").bytes());
        function.invoke(TestEvents.replicationStarted().at("2026-03-14T18:10:00Z").bytes());

        Map<String, AttributeValue> replication = single(patterns.currentReplications("xYz1c2d3e4f"));
        assertThat(replication.get("state").s()).isEqualTo("ACTIVE");
        assertThat(replication.get("startedAt").s()).isEqualTo("2026-03-14T19:00:00Z");
        assertThat(replication).doesNotContainKeys("stoppedAt", "durationMillis");
    }

    @Test
    void eachDestinationHasAReplicationOfItsOwn() {
        function.invoke(TestEvents.replicationStarted().bytes());
        function.invoke(TestEvents.replicationStarted().destination(TestEvents.OTHER_DESTINATION).bytes());
        function.invoke(TestEvents.replicationStopped().destination(TestEvents.OTHER_DESTINATION).bytes());

        assertThat(patterns.currentReplications("xYz1c2d3e4f"))
                .extracting(item -> item.get("destinationStageArn").s() + " " + item.get("state").s())
                .containsExactlyInAnyOrder(TestEvents.DESTINATION + " ACTIVE", TestEvents.OTHER_DESTINATION + " STOPPED");
    }

    @Test
    void whoWasReplicatedIntoADestinationIsOneQuery() {
        function.invoke(TestEvents.replicationStarted().bytes());
        function.invoke(TestEvents.replicationStarted().participant("qRs5t6u7v8w").bytes());
        function.invoke(TestEvents.replicationStarted().participant("elsewhere1").destination(TestEvents.OTHER_DESTINATION)
                .bytes());

        assertThat(patterns.replicatedInto(TestEvents.DESTINATION))
                .extracting(item -> item.get("participantId").s())
                .containsExactlyInAnyOrder("xYz1c2d3e4f", "qRs5t6u7v8w");
    }

    @Test
    void theSameEventFiveTimesIsOneLedgerItem() {
        byte[] event = TestEvents.tokenExchanged().bytes();
        for (int i = 0; i < 5; i++) {
            function.invoke(event);
        }

        assertThat(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).hasSize(1);
        assertThat(table.items()).hasSize(2);
    }

    @Test
    void theSameEventUnderAnotherEventBridgeIdIsADuplicate() {
        function.invoke(TestEvents.tokenExchanged().eventId("first-delivery").bytes());
        function.invoke(TestEvents.tokenExchanged().eventId("second-delivery").bytes());

        assertThat(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION))
                .extracting(item -> item.get("eventId").s()).containsExactly("first-delivery");
    }

    @Test
    void theSameEventFromEightThreadsAtOnceIsOneItem() throws Exception {
        byte[] event = TestEvents.tokenExchanged().bytes();

        runConcurrently(8, () -> function.invoke(event));

        assertThat(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).hasSize(1);
        assertThat(patterns.currentToken(PARTICIPANT)).hasSize(1);
    }

    @Test
    void startsAndStopsFromManyThreadsConvergeToTheStateOfTheNewest() throws Exception {
        List<byte[]> events = new ArrayList<>();
        for (int minute = 10; minute < 18; minute++) {
            events.add((minute % 2 == 0 ? TestEvents.replicationStarted() : TestEvents.replicationStopped())
                    .at("2026-03-14T18:" + minute + ":00Z").bytes());
        }
        List<Callable<String>> invocations = new ArrayList<>();
        events.forEach(event -> invocations.add(() -> function.invoke(event)));

        runConcurrently(invocations);

        Map<String, AttributeValue> replication = single(patterns.currentReplications("xYz1c2d3e4f"));
        assertThat(replication.get("state").s()).isEqualTo("STOPPED");
        assertThat(replication.get("startedAt").s()).isEqualTo("2026-03-14T18:16:00Z");
        assertThat(replication.get("stoppedAt").s()).isEqualTo("2026-03-14T18:17:00Z");
    }

    @Test
    void aFailureBetweenTheLedgerWriteAndTheStateWriteIsRepairedByRedelivery() {
        AtomicBoolean failNextStateWrite = new AtomicBoolean(true);
        DynamoDbClient failingOnce = LocalDynamoDb.clientFor(table.dynamoDb().endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                SdkRequest request = context.request();
                if (request instanceof PutItemRequest put
                        && TableDesign.TOKEN_STATE.equals(put.item().get(TableDesign.ITEM_TYPE).s())
                        && failNextStateWrite.getAndSet(false)) {
                    throw SdkClientException.create("injected: the invocation dies after the ledger write");
                }
            }
        }));
        LocalFunction dying = table.functionWith(failingOnce);
        byte[] event = TestEvents.tokenExchanged().bytes();

        assertThatThrownBy(() -> dying.invoke(event)).isInstanceOf(SdkClientException.class);
        assertThat(patterns.sessionLedger(TestEvents.STAGE, TestEvents.SESSION)).hasSize(1);
        assertThat(patterns.currentToken(PARTICIPANT)).isEmpty();

        dying.invoke(event);

        assertThat(single(patterns.currentToken(PARTICIPANT)).get("attributes").m().get("role").s())
                .isEqualTo("co-host");
        assertThat(dying.metrics()).anyMatch(document -> document.contains("\"DuplicateEvents\":1"));
    }

    @Test
    void theLedgerItemHoldsEveryMemberInNativeTypes() {
        function.invoke(SampleEvents.bytes("token-exchanged.json"));
        function.invoke(SampleEvents.bytes("replication-started.json"));

        Map<String, AttributeValue> exchange = single(patterns.participantHistory(PARTICIPANT));
        assertThat(exchange.get("itemType").s()).isEqualTo(TableDesign.EVENT);
        assertThat(exchange.get("name").s()).isEqualTo("TOKEN_EXCHANGED");
        assertThat(exchange.get("eventTime").s()).isEqualTo("2026-03-14T18:06:12.482Z");
        assertThat(exchange.get("newToken").m().get("capabilities").l()).hasSize(2);
        assertThat(exchange.get("newToken").m().get("attributes").m()).hasSize(3);
        assertThat(exchange.get("previousToken").m().get("userId").s()).isEqualTo("viewer-0815");
        assertThat(exchange).containsKeys("stageArn", "sessionId", "eventId", "region", "account");
        Map<String, AttributeValue> replication = single(patterns.participantHistory("xYz1c2d3e4f"));
        assertThat(replication.get("replica").bool()).isFalse();
        assertThat(replication.get("destinationStageArn").s()).isEqualTo(TestEvents.DESTINATION);
    }

    @Test
    void theLedgerItemKeepsTheDetailsUserIdUnderItsPlainName() {
        function.invoke("token-exchanged.json");

        Map<String, AttributeValue> exchange = single(patterns.participantHistory(PARTICIPANT));
        assertThat(exchange.get("userId").s()).isEqualTo("viewer-0815");
        assertThat(exchange).doesNotContainKey(TableDesign.UNKNOWN_MEMBERS);
    }

    @Test
    void itemsExpireTheirRetentionAfterTheEventTime() {
        LocalFunction keepingThirtyDays = table.functionWith(Map.of("RETENTION_DAYS", "30"));

        keepingThirtyDays.invoke(SampleEvents.bytes("token-exchanged.json"));

        long expected = Instant.parse("2026-03-14T18:06:12.482Z").plusSeconds(30L * 86_400).getEpochSecond();
        assertThat(table.items()).hasSize(2)
                .allSatisfy(item -> assertThat(item.get(TableDesign.EXPIRES_AT).n()).isEqualTo(Long.toString(expected)));
    }

    @Test
    void withoutRetentionItemsAreKeptForever() {
        function.invoke(SampleEvents.bytes("token-exchanged.json"));

        assertThat(table.items()).allSatisfy(item -> assertThat(item).doesNotContainKey(TableDesign.EXPIRES_AT));
    }

    @Test
    void everySampleEventGoesThroughTheHandler() {
        for (Path sample : SampleEvents.all()) {
            function.invoke(SampleEvents.bytes(sample.getFileName().toString()));
        }

        assertThat(table.items()).extracting(item -> item.get(TableDesign.ITEM_TYPE).s())
                .containsExactlyInAnyOrder("EVENT", "EVENT", "EVENT", "EVENT", "EVENT",
                        "TOKEN_STATE", "TOKEN_STATE", "REPLICATION_STATE", "REPLICATION_STATE",
                        "UNRECOGNIZED");
    }

    @Test
    void everySampleIsAWellFormedEventBridgeEventForTheOfficialModel() {
        for (Path sample : SampleEvents.all()) {
            ScheduledEvent event = EventLoader.loadScheduledEvent(sample.toString());

            assertThat(event.getSource()).as(sample.toString()).isEqualTo("aws.ivs");
            assertThat(event.getDetailType()).isEqualTo("IVS Stage Update");
            assertThat(event.getResources()).hasSize(1);
            assertThat(event.getDetail().keySet()).containsAnyOf("session_id", "sessionId");
        }
    }

    @Test
    void aRecordedItemIsPlainJsonForTheLocalRunner() {
        function.invoke(SampleEvents.bytes("token-exchanged.json"));

        assertThat(PlainItems.toJson(single(patterns.currentToken(PARTICIPANT))).get("capabilities").isArray()).isTrue();
    }

    private static Map<String, AttributeValue> single(List<Map<String, AttributeValue>> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static void runConcurrently(int threads, Callable<String> invocation) throws Exception {
        List<Callable<String>> invocations = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            invocations.add(invocation);
        }
        runConcurrently(invocations);
    }

    /** Starts all invocations at the same moment, so that their writes race. */
    private static void runConcurrently(List<Callable<String>> invocations) throws Exception {
        CyclicBarrier start = new CyclicBarrier(invocations.size());
        ExecutorService pool = Executors.newFixedThreadPool(invocations.size());
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Callable<String> invocation : invocations) {
                results.add(pool.submit(() -> {
                    start.await();
                    return invocation.call();
                }));
            }
            for (Future<String> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
