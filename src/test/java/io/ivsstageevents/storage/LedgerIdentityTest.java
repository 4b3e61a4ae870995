package io.ivsstageevents.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.model.Envelope;
import io.ivsstageevents.model.EventOrigin;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.TestEvents;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One event, told by EventBridge and by the IVS API (which the reconciler reads), is one ledger item; distinct
 * events that share an identity are items of their own. Recorded through StageEventRecorder against DynamoDB
 * Local, with the SDK calls counted.
 *
 * <p>EventBridge's form here gives the time to the whole second and no previous token (or, for a replication,
 * no destination session); the API's form gives the fraction and every member, and no envelope id, account or
 * time.
 */
class LedgerIdentityTest {
    private static final String STAGE = TestEvents.STAGE;
    private static final String SESSION = TestEvents.SESSION;
    private static final String PARTICIPANT = "aBc9d8e7f6g";
    private static final String REPLICATING = "xYz1c2d3e4f";
    private static final String EVENTBRIDGE_ID = "eb-delivery-1";

    @RegisterExtension
    final LocalTable table = new LocalTable();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private DynamoDbClient counted;

    @BeforeEach
    void countingCalls() {
        counted = LocalDynamoDb.clientFor(table.dynamoDb().endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.computeIfAbsent(context.request().getClass().getSimpleName(), k -> new AtomicInteger())
                        .incrementAndGet();
            }
        }));
    }

    @Test
    void theEventBridgeAndTheApiFormOfOneEventAreOneLedgerItem() {
        StageEventRecorder recorder = recorderOn(table.name());

        assertThat(recorder.record(exchangeFromEventBridge())).isEqualTo(RecordOutcome.RECORDED);
        assertThat(recorder.record(exchangeFromTheApi())).isEqualTo(RecordOutcome.DUPLICATE);

        assertThat(ledger(table.name())).hasSize(1);
    }

    @Test
    void theApiFormFirstAndTheEventBridgeFormSecondAreOneLedgerItemToo() {
        StageEventRecorder recorder = recorderOn(table.name());

        assertThat(recorder.record(exchangeFromTheApi())).isEqualTo(RecordOutcome.RECORDED);
        assertThat(recorder.record(exchangeFromEventBridge())).isEqualTo(RecordOutcome.DUPLICATE);

        assertThat(ledger(table.name())).hasSize(1);
    }

    @Test
    void theItemOfBothFormsHoldsBothSourcesTheFinerTimeEveryMemberAndTheEventBridgeId() {
        for (boolean apiFirst : List.of(false, true)) {
            String name = table.dynamoDb().createTable();
            recordBoth(recorderOn(name), exchangeFromEventBridge(), exchangeFromTheApi(), apiFirst);

            Map<String, AttributeValue> item = ledger(name).get(0);
            assertThat(item.get(TableDesign.SOURCE).ss()).as("api first: %s", apiFirst)
                    .containsExactlyInAnyOrder("EventBridge", "API");
            assertThat(item.get("eventTime").s()).isEqualTo("2026-03-14T18:06:12.482Z");
            assertThat(EventSourceValue.fromValue(item)).isEqualTo(exchangeFromTheApi().eventSource());
            assertThat(item.get("eventId").s()).isEqualTo(EVENTBRIDGE_ID);
            assertThat(item.get("account").s()).isEqualTo("123456789012");
            assertThat(item.get(TableDesign.GSI1_SK).s()).startsWith("2026-03-14T18:06:12.482000000Z#");
        }
    }

    /** Only EventBridge's detail carries the user id; the API's Event has none. */
    @Test
    void theItemOfBothFormsKeepsEventBridgesUserIdWhicheverCameFirst() {
        for (boolean apiFirst : List.of(false, true)) {
            assertThat(bothFormsOfTheExchange(apiFirst).get("userId").s()).as("api first: %s", apiFirst)
                    .isEqualTo("viewer-0815");
        }
    }

    @Test
    void theItemOfBothFormsKeepsTheKeyOfItsWholeSecond() {
        recordBoth(recorderOn(table.name()), exchangeFromEventBridge(), exchangeFromTheApi(), true);

        Map<String, AttributeValue> item = ledger(table.name()).get(0);
        Map<String, AttributeValue> key = new StageEventItems(exchangeFromEventBridge(), 0).ledgerKey();
        assertThat(Map.of(TableDesign.PK, item.get(TableDesign.PK), TableDesign.SK, item.get(TableDesign.SK)))
                .isEqualTo(key);
        assertThat(key.get(TableDesign.SK).s()).startsWith(
                "EVENT#2026-03-14T18:06:12.000000000Z#" + PARTICIPANT + "#TOKEN_EXCHANGED#");
    }

    /**
     * Holds but for the version ({@code gsi1sk}): see {@link #theVersionDoesNotDependOnWhichFormCameFirst}.
     */
    @Test
    void theItemOfBothFormsIsTheSameWhicheverCameFirstButForItsVersion() {
        Map<String, AttributeValue> eventBridgeFirst = itemWithoutVersion(bothFormsOfTheExchange(false));
        Map<String, AttributeValue> apiFirst = itemWithoutVersion(bothFormsOfTheExchange(true));

        assertThat(apiFirst).isEqualTo(eventBridgeFirst);
    }


    @Test
    void replicationIntoTwoDestinationsInOneSecondIsTwoItems() {
        StageEventRecorder recorder = recorderOn(table.name());

        recorder.record(parse(TestEvents.replicationStarted().at("2026-03-14T18:09:59.100Z")));
        recorder.record(parse(TestEvents.replicationStarted().at("2026-03-14T18:09:59.100Z")
                .destination(TestEvents.OTHER_DESTINATION)));

        assertThat(ledger(table.name())).extracting(item -> item.get("destinationStageArn").s())
                .containsExactlyInAnyOrder(TestEvents.DESTINATION, TestEvents.OTHER_DESTINATION);
        assertThat(ledger(table.name())).extracting(item -> item.get(TableDesign.SK).s())
                .noneMatch(sk -> sk.endsWith("#2"));
    }

    @Test
    void twoTokenExchangesOfAParticipantAtOneInstantWithDifferentNewTokensAreTwoItemsInSlotsOneAndTwo() {
        StageEventRecorder recorder = recorderOn(table.name());

        assertThat(recorder.record(parse(TestEvents.tokenExchanged().role("guest"))))
                .isEqualTo(RecordOutcome.RECORDED);
        assertThat(recorder.record(parse(TestEvents.tokenExchanged().role("host"))))
                .isEqualTo(RecordOutcome.RECORDED);

        String first = new StageEventItems(parse(TestEvents.tokenExchanged()), 0).ledgerKey().get(TableDesign.SK).s();
        assertThat(ledger(table.name())).extracting(item -> item.get(TableDesign.SK).s() + " " + role(item))
                .containsExactly(first + " guest", first + "#2 host");
    }

    @Test
    void aRedeliveryOfEitherOfTwoExchangesAtOneInstantFindsItsOwnItem() {
        StageEventRecorder recorder = recorderOn(table.name());
        StageEvent guest = parse(TestEvents.tokenExchanged().role("guest"));
        StageEvent host = parse(TestEvents.tokenExchanged().role("host"));
        recorder.record(guest);
        recorder.record(host);
        List<Map<String, AttributeValue>> before = table.items();

        assertThat(recorder.record(host)).isEqualTo(RecordOutcome.DUPLICATE);
        assertThat(recorder.record(guest)).isEqualTo(RecordOutcome.DUPLICATE);

        assertThat(table.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aFormThatDisagreesOnAMemberBothCarryIsADistinctEvent() {
        StageEventRecorder recorder = recorderOn(table.name());
        StageEvent api = exchangeFromTheApi();
        StageEvent otherUser = api.toBuilder().eventSource(api.eventSource().toBuilder()
                .newToken(api.eventSource().newToken().toBuilder().userId("viewer-4711").build()).build()).build();

        recorder.record(exchangeFromEventBridge());
        assertThat(recorder.record(otherUser)).isEqualTo(RecordOutcome.RECORDED);

        assertThat(ledger(table.name())).extracting(item -> item.get(TableDesign.SK).s().endsWith("#2") + " "
                        + item.get(TableDesign.SOURCE).ss() + " " + item.get("newToken").m().get("userId").s())
                .containsExactly("false [EventBridge] viewer-0815", "true [API] viewer-4711");
    }

    @Test
    void aRedeliveryOfEitherFormChangesNothingAndUpdatesNoItem() {
        StageEventRecorder recorder = recorderOn(table.name());
        recorder.record(exchangeFromEventBridge());
        recorder.record(exchangeFromTheApi());
        List<Map<String, AttributeValue>> before = table.items();
        calls.clear();

        assertThat(recorder.record(exchangeFromEventBridge())).isEqualTo(RecordOutcome.DUPLICATE);
        assertThat(recorder.record(exchangeFromTheApi())).isEqualTo(RecordOutcome.DUPLICATE);

        assertThat(calls).as("calls counted").containsKey("PutItemRequest").doesNotContainKey("UpdateItemRequest");
        assertThat(table.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    /** The state version counts the merged members, and one for the envelope id EventBridge's form brought. */
    @Test
    void theTokenStateAfterBothFormsHoldsTheMergedTokenWhicheverCameFirst() {
        for (boolean apiFirst : List.of(false, true)) {
            String name = table.dynamoDb().createTable();
            recordBoth(recorderOn(name), exchangeFromEventBridge(), exchangeFromTheApi(), apiFirst);

            Map<String, AttributeValue> token = single(name, TableDesign.TOKEN_STATE);
            EventSource merged = exchangeFromTheApi().eventSource();
            Map<String, AttributeValue> mergedToken = EventSourceValue.toValue(merged).get("newToken").m();
            assertThat(token).as("api first: %s", apiFirst).containsAllEntriesOf(mergedToken);
            assertThat(token.get("asOf").s()).isEqualTo("2026-03-14T18:06:12.482Z");
            assertThat(token.get("eventId").s()).isEqualTo(EVENTBRIDGE_ID);
            assertThat(token.get("stateVersion").s())
                    .isEqualTo(ledger(name).get(0).get(TableDesign.GSI1_SK).s() + "#"
                            + String.format("%02d", EventForms.richness(merged) + 1));
        }
    }

    @Test
    void theReplicationStateAfterBothFormsHoldsTheMergedMarkWhicheverCameFirst() {
        for (boolean apiFirst : List.of(false, true)) {
            String name = table.dynamoDb().createTable();
            recordBoth(recorderOn(name), replicationFromEventBridge(), replicationFromTheApi(), apiFirst);

            Map<String, AttributeValue> replication = single(name, TableDesign.REPLICATION_STATE);
            assertThat(replication.get("destinationSessionId").s()).as("api first: %s", apiFirst)
                    .isEqualTo("st-Dest9Sess8Ab");
            assertThat(replication.get("replica").bool()).isFalse();
            assertThat(replication.get("startedAt").s()).isEqualTo("2026-03-14T18:09:59.250Z");
            Map<String, AttributeValue> start = replication.get(ReplicationState.LAST_START).m();
            assertThat(start.get("destinationSessionId").s()).isEqualTo("st-Dest9Sess8Ab");
            assertThat(start.get("version").s()).isEqualTo(ledger(name).get(0).get(TableDesign.GSI1_SK).s() + "#"
                    + String.format("%02d", EventForms.richness(replicationFromTheApi().eventSource()) + 1));
        }
    }

    /** The envelope id counts in the state version: EventBridge's form after the API's still names its delivery. */
    @Test
    void theReplicationStateNamesTheEventBridgeDeliveryWhicheverFormCameFirst() {
        for (boolean apiFirst : List.of(false, true)) {
            String name = table.dynamoDb().createTable();
            recordBoth(recorderOn(name), replicationFromEventBridge(), replicationFromTheApi(), apiFirst);

            Map<String, AttributeValue> start =
                    single(name, TableDesign.REPLICATION_STATE).get(ReplicationState.LAST_START).m();
            assertThat(start.get("eventId")).as("api first: %s", apiFirst)
                    .isEqualTo(AttributeValue.fromS(EVENTBRIDGE_ID));
        }
    }

    /**
     * Two exchanges at one instant whose tokens carry different members (the new token only a user id, say, and
     * the next one only attributes) disagree on no member both carry, but share none either: two events.
     */
    @Test
    void twoExchangesAtOneInstantWhoseTokensShareNoMemberAreTwoItems() {
        StageEventRecorder recorder = recorderOn(table.name());
        EventSource first = EventSource.builder().name("TOKEN_EXCHANGED").participantId(PARTICIPANT)
                .eventTime(Instant.parse("2026-03-14T18:06:12.482Z"))
                .previousToken(ExchangedParticipantToken.builder().capabilitiesWithStrings(List.of("SUBSCRIBE"))
                        .build())
                .newToken(ExchangedParticipantToken.builder().userId("viewer-0815").build())
                .build();
        EventSource second = first.toBuilder()
                .previousToken(first.newToken())
                .newToken(ExchangedParticipantToken.builder().attributes(Map.of("role", "host")).build())
                .build();

        recorder.record(fromEventBridge(first, "eb-first"));
        assertThat(recorder.record(fromEventBridge(second, "eb-second"))).isEqualTo(RecordOutcome.RECORDED);

        assertThat(ledger(table.name())).hasSize(2);
    }

    @Test
    void theIdentityFormIsStageSessionParticipantNameWholeSecondAndDestination() {
        assertThat(StageEventItems.identityForm(SampleEvents.parsed("token-exchanged.json"))).isEqualTo("""
                arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij
                st-ZyXwvu1T2s
                aBc9d8e7f6g
                TOKEN_EXCHANGED
                2026-03-14T18:06:12.000000000Z
                """);
        assertThat(StageEventItems.identityForm(SampleEvents.parsed("replication-started.json"))).isEqualTo("""
                arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij
                st-ZyXwvu1T2s
                xYz1c2d3e4f
                REPLICATION_STARTED
                2026-03-14T18:09:59.000000000Z
                arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst""");
    }

    @Test
    void theCanonicalFormIsStageSessionAndTheEventSourcesApiJson() {
        assertThat(StageEventItems.canonicalForm(SampleEvents.parsed("token-exchanged.json"))).isEqualTo(
                "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij\nst-ZyXwvu1T2s\n"
                        + "{\"name\":\"TOKEN_EXCHANGED\",\"participantId\":\"aBc9d8e7f6g\","
                        + "\"eventTime\":\"2026-03-14T18:06:12.482Z\","
                        + "\"previousToken\":{\"capabilities\":[\"SUBSCRIBE\"],"
                        + "\"attributes\":{\"displayName\":\"Guest 0815\"},\"userId\":\"viewer-0815\","
                        + "\"expirationTime\":\"2026-03-15T06:00:00Z\"},"
                        + "\"newToken\":{\"capabilities\":[\"PUBLISH\",\"SUBSCRIBE\"],"
                        + "\"attributes\":{\"avatarUrl\":\"https://example.com/a/0815.png\","
                        + "\"displayName\":\"Guest 0815\",\"role\":\"co-host\"},\"userId\":\"viewer-0815\","
                        + "\"expirationTime\":\"2026-03-15T06:00:00Z\"}}");
    }

    /**
     * Two forms merged at the same moment, one bringing the finer time and one a member the item lacked: whichever
     * wins the race, the other merges again on top of it, and the ledger item and the token state end as if the
     * forms had come one after the other.
     */
    @Test
    void twoFormsMergedAtOnceEndAsIfTheyHadComeOneAfterTheOther() throws Exception {
        StageEvent first = parse(TestEvents.tokenExchanged().eventId(EVENTBRIDGE_ID).at("2026-03-14T18:06:12Z")
                .without("previous_token").without("user_id"));
        StageEvent finerTime = fromTheApi(first.eventSource().toBuilder()
                .eventTime(Instant.parse("2026-03-14T18:06:12.482Z")).build());
        StageEvent previousToken = exchangeFromEventBridge().toBuilder()
                .eventSource(SampleEvents.parsed("token-exchanged.json").eventSource().toBuilder()
                        .eventTime(Instant.parse("2026-03-14T18:06:12Z")).build())
                .build();
        String sequential = table.dynamoDb().createTable();
        StageEventRecorder inTurn = recorderOn(sequential);
        inTurn.record(first);
        inTurn.record(finerTime);
        inTurn.record(previousToken);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String raced = table.dynamoDb().createTable();
                StageEventRecorder recorder = recorderOn(raced);
                recorder.record(first);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<RecordOutcome>> outcomes = threads.invokeAll(List.of(
                        () -> { start.await(); return recorder.record(finerTime); },
                        () -> { start.await(); return recorder.record(previousToken); }));
                for (Future<RecordOutcome> outcome : outcomes) {
                    assertThat(outcome.get()).isEqualTo(RecordOutcome.DUPLICATE);
                }

                assertThat(ledger(raced)).as("round %d", round).isEqualTo(ledger(sequential));
                assertThat(single(raced, TableDesign.TOKEN_STATE)).as("round %d", round)
                        .isEqualTo(single(sequential, TableDesign.TOKEN_STATE));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private StageEventRecorder recorderOn(String tableName) {
        return new StageEventRecorder(counted, tableName, 0);
    }

    private static void recordBoth(StageEventRecorder recorder, StageEvent eventBridge, StageEvent api,
                                   boolean apiFirst) {
        recorder.record(apiFirst ? api : eventBridge);
        recorder.record(apiFirst ? eventBridge : api);
    }

    private Map<String, AttributeValue> bothFormsOfTheExchange(boolean apiFirst) {
        String name = table.dynamoDb().createTable();
        recordBoth(recorderOn(name), exchangeFromEventBridge(), exchangeFromTheApi(), apiFirst);
        return ledger(name).get(0);
    }

    private static Map<String, AttributeValue> itemWithoutVersion(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> without = new HashMap<>(item);
        without.remove(TableDesign.GSI1_SK);
        return without;
    }

    /** The sample exchange as EventBridge tells it here: to the second, without the previous token. */
    private static StageEvent exchangeFromEventBridge() {
        return parse(TestEvents.tokenExchanged().eventId(EVENTBRIDGE_ID).at("2026-03-14T18:06:12Z")
                .without("previous_token"));
    }

    /** The same exchange as the API tells it: the fraction, every member, no envelope id, account or time. */
    private static StageEvent exchangeFromTheApi() {
        return fromTheApi(SampleEvents.parsed("token-exchanged.json").eventSource());
    }

    /** The sample start as EventBridge tells it here: to the second, without the destination session. */
    private static StageEvent replicationFromEventBridge() {
        return parse(TestEvents.replicationStarted().eventId(EVENTBRIDGE_ID).at("2026-03-14T18:09:59Z")
                .without("destination_session_id"));
    }

    private static StageEvent replicationFromTheApi() {
        EventSource source = SampleEvents.parsed("replication-started.json").eventSource();
        return fromTheApi(source.toBuilder().eventTime(Instant.parse("2026-03-14T18:09:59.250Z")).build());
    }

    private static StageEvent fromTheApi(EventSource source) {
        return StageEvent.builder()
                .origin(EventOrigin.API)
                .envelope(new Envelope(null, null, "us-west-2", null, STAGE, SESSION))
                .eventSource(source)
                .build();
    }

    private static StageEvent fromEventBridge(EventSource source, String eventId) {
        return StageEvent.builder()
                .envelope(new Envelope(eventId, "123456789012", "us-west-2",
                        Instant.parse("2026-03-14T18:06:13Z"), STAGE, SESSION))
                .eventSource(source)
                .build();
    }

    private static StageEvent parse(TestEvents event) {
        return (StageEvent) new StageEventParser().parse(event.bytes());
    }

    private List<Map<String, AttributeValue>> ledger(String tableName) {
        return table.dynamoDb().allItems(tableName).stream()
                .filter(item -> TableDesign.EVENT.equals(item.get(TableDesign.ITEM_TYPE).s()))
                .sorted((a, b) -> a.get(TableDesign.SK).s().compareTo(b.get(TableDesign.SK).s()))
                .toList();
    }

    private Map<String, AttributeValue> single(String tableName, String itemType) {
        List<Map<String, AttributeValue>> items = table.dynamoDb().allItems(tableName).stream()
                .filter(item -> itemType.equals(item.get(TableDesign.ITEM_TYPE).s())).toList();
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static String role(Map<String, AttributeValue> item) {
        return item.get("newToken").m().get("attributes").m().get("role").s();
    }
}
