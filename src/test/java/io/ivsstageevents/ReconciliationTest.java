package io.ivsstageevents;

import static io.ivsstageevents.testing.ivs.SampleWorld.DESTINATION_STAGE;
import static io.ivsstageevents.testing.ivs.SampleWorld.NEXT_DAY;
import static io.ivsstageevents.testing.ivs.SampleWorld.PARTICIPANT;
import static io.ivsstageevents.testing.ivs.SampleWorld.SESSION;
import static io.ivsstageevents.testing.ivs.SampleWorld.SOURCE_STAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.ivsapi.IvsApiException;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.TickingClock;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.SampleWorld;
import io.ivsstageevents.testing.ivs.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reconciler against DynamoDB Local and the loopback stand-in of the IVS Real-Time API serving the {@link SampleWorld}. */
class ReconciliationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ARRIVAL_JITTER = Duration.ofMillis(200);

    @RegisterExtension
    final LocalTable table = new LocalTable();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }

    @Test
    void theTokenExchangeAndReplicationEventBridgeNeverDeliveredAreBackfilledFromTheApi() {
        IvsRealTimeStandIn standIn = standIn(100);

        JsonNode answer = answer(reconciler(standIn, Map.of(), fixedClock()).run());

        assertThat(answer.get("complete").asBoolean()).isTrue();
        assertThat(answer.get("sessionsReconciled").asLong()).isEqualTo(2);
        assertThat(ledger()).containsOnlyKeys("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED")
                .allSatisfy((name, items) -> assertThat(items).singleElement()
                        .satisfies(item -> assertThat(item.get(TableDesign.SOURCE)).hasToString("[\"API\"]")));
    }

    @Test
    void theApiFormOfAnEventEventBridgeDeliveredIsMergedIntoItsItemNotAddedBesideIt() {
        IvsRealTimeStandIn standIn = standIn(100);
        table.function().invoke(SampleEvents.bytes(SampleWorld.eventBridgeFormOfTheTokenExchange()));

        LocalReconciler reconciler = reconciler(standIn, Map.of(), fixedClock());
        reconciler.run();

        ObjectNode item = (ObjectNode) ledger().get("TOKEN_EXCHANGED").get(0);
        assertThat(ledger().get("TOKEN_EXCHANGED")).hasSize(1);
        assertThat(item.get(TableDesign.SOURCE)).hasToString("[\"API\",\"EventBridge\"]");
        assertThat(item.get("eventTime").asText()).as("the API's finer time").isEqualTo("2026-03-14T18:20:00.482Z");
        assertThat(item.has("previousToken")).as("the member only the API carried").isTrue();
        assertThat(item.get("eventId").asText()).as("the id only EventBridge carried")
                .isEqualTo("3d6a9a4c-2f1e-4b8a-9d51-0c7e21f4a108");
        assertThat(backfilled(reconciler)).isEqualTo(Map.of("REPLICATION_STARTED", 1L, "REPLICATION_STOPPED", 1L));
    }

    @Test
    void aReconciledSessionIsNotReadAgain() {
        IvsRealTimeStandIn standIn = standIn(100);
        LocalReconciler reconciler = reconciler(standIn, Map.of(), fixedClock());
        reconciler.run();
        int before = standIn.requests().size();

        JsonNode second = answer(reconciler.run());

        assertThat(second.get("sessionsReconciled").asLong()).isZero();
        assertThat(standIn.requests().subList(before, standIn.requests().size()))
                .extracting(RecordedRequest::operation)
                .containsOnly("ListStages", "ListStageSessions");
    }

    @Test
    void sessionsStillActiveOrEndedBeforeTheLookbackAreNotRead() {
        IvsRealTimeStandIn standIn = standIn(100);
        standIn.world().putSession(SOURCE_STAGE, JSON.createObjectNode().put("sessionId", "st-StillActive0001")
                .put("startTime", "2026-03-14T23:00:00Z"));
        Clock weekLater = Clock.fixed(NEXT_DAY.plus(Duration.ofDays(7)), ZoneOffset.UTC);

        reconciler(standIn, Map.of(), weekLater).run();

        assertThat(standIn.requests()).extracting(RecordedRequest::operation)
                .doesNotContain("ListParticipants", "ListParticipantEvents");
        assertThat(table.items()).noneMatch(item -> item.get(TableDesign.ITEM_TYPE).s().equals(TableDesign.EVENT));
    }

    @Test
    void withStageArnsConfiguredOnlyThoseStagesAreReadAndStagesAreNotListed() {
        IvsRealTimeStandIn standIn = standIn(100);

        reconciler(standIn, Map.of(Configuration.RECONCILIATION_STAGE_ARNS, " " + DESTINATION_STAGE + " ,"),
                fixedClock()).run();

        assertThat(standIn.requests()).extracting(RecordedRequest::operation).doesNotContain("ListStages");
        assertThat(standIn.requests()).extracting(RecordedRequest::body)
                .allMatch(body -> !body.contains("stageArn") || body.contains(DESTINATION_STAGE));
    }

    /** Pages of one item, and a deadline that comes after a few of them: runs until one completes. */
    @Test
    void aRunCutOffByItsDeadlineIsResumedByTheNextWithoutLossOrAPageReadTwice() {
        IvsRealTimeStandIn standIn = standIn(1);
        LocalReconciler cutShort = reconciler(standIn, Map.of(),
                new TickingClock(NEXT_DAY, Duration.ofSeconds(1)));
        cutShort.remainingTimeMillis((int) ReconciliationHandler.STOP_MARGIN.plusSeconds(6).toMillis());

        List<JsonNode> answers = runsUntilOneCompletes(cutShort, 100);

        assertThat(answers).as("runs cut off").hasSizeGreaterThan(3);
        assertThat(answers.subList(0, answers.size() - 1))
                .allSatisfy(answer -> assertThat(answer.get("sessionsPending").asLong()).isPositive());
        assertThat(standIn.sessionPagesAnswered()).as("each page of participants and of events, read once")
                .allSatisfy((page, times) -> assertThat(times).as(page).isEqualTo(1L));
        assertThat(tableContent()).isEqualTo(tableOfOneUninterruptedRun());
    }

    /** More stages than a run can list: each run begins where the last one stopped, so every stage has its turn. */
    @Test
    void withMoreStagesThanARunCanListEveryStageIsReachedInTurn() {
        IvsRealTimeStandIn standIn = standIn(100);
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String stageArn = String.format("arn:aws:ivs:us-west-2:123456789012:stage/Many%08d", i);
            String sessionId = String.format("st-Many%09d", i);
            standIn.world().putStage(JSON.createObjectNode().put("arn", stageArn));
            standIn.world().putSession(stageArn, JSON.createObjectNode().put("sessionId", sessionId)
                    .put("startTime", "2026-03-14T10:00:00Z").put("endTime", "2026-03-14T11:00:00Z"));
            standIn.world().putParticipant(stageArn, sessionId, JSON.createObjectNode()
                    .put("participantId", "p" + i).put("state", "DISCONNECTED"));
            added.add(stageArn);
        }
        LocalReconciler cutShort = reconciler(standIn, Map.of(), new TickingClock(NEXT_DAY, Duration.ofSeconds(1)));
        // Time for about one session's pages, or for listing all the stages once they are read.
        cutShort.remainingTimeMillis((int) ReconciliationHandler.STOP_MARGIN.plusSeconds(20).toMillis());

        List<JsonNode> answers = runsUntilOneCompletes(cutShort, 40);

        assertThat(answers).as("runs cut off").hasSizeGreaterThan(2);
        assertThat(answers.get(answers.size() - 1).get("complete").asBoolean()).isTrue();
        assertThat(added).allSatisfy(stageArn -> assertThat(marker(stageArn, stageArn.replace(
                "arn:aws:ivs:us-west-2:123456789012:stage/Many", "st-Many0"))).isNotNull());
        assertThat(standIn.sessionPagesAnswered()).allSatisfy((page, times) -> assertThat(times).as(page).isEqualTo(1L));
    }

    @Test
    void throttlingAboveTheApisQuotaIsAbsorbedAndCounted() {
        IvsRealTimeStandIn standIn = standIn(1);
        LocalReconciler overBudget = reconciler(standIn,
                Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "50"), fixedClock());

        JsonNode answer = answer(overBudget.run());

        long throttled = standIn.requests().stream().filter(RecordedRequest::throttled).count();
        assertThat(throttled).isPositive();
        assertThat(answer.get("complete").asBoolean()).isTrue();
        assertThat(answer.get("apiRequestsThrottled").asLong()).isEqualTo(throttled);
        assertThat(totals(overBudget).get("ApiRequestsThrottled").asLong()).isEqualTo(throttled);
        assertThat(tableContent()).isEqualTo(tableOfOneUninterruptedRun());
    }

    /**
     * Counted where the service counts, on arrival. The client spaces its sends by exactly 1/rate
     * (RequestRateLimiterTest proves that on a fake clock); a loaded two-core machine delays an arrival by up to a
     * couple of hundred milliseconds, which is all the slack allowed here, and over the whole run the average
     * rate is held to the budget too.
     */
    @Test
    void theRequestRateNeverExceedsTheConfiguredBudget() {
        IvsRealTimeStandIn standIn = standIn(1);

        reconciler(standIn, Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "4"), fixedClock()).run();

        List<Long> arrivals = standIn.requests().stream().map(RecordedRequest::receivedNanos).sorted().toList();
        assertThat(arrivals).hasSizeGreaterThan(12);
        for (int i = 4; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 4)).as("five requests within one second")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(ARRIVAL_JITTER).toNanos());
        }
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).as("the whole run's average")
                .isGreaterThanOrEqualTo(Duration.ofMillis(250L * (arrivals.size() - 1)).minus(ARRIVAL_JITTER).toNanos());
    }

    @Test
    void aListedEventThisVersionCannotRecordIsCountedAndLoggedByKeyNamesNotRecorded() {
        IvsRealTimeStandIn standIn = standIn(100);
        standIn.world().addEvent(SOURCE_STAGE, SESSION, JSON.createObjectNode().put("name", "PARTICIPANT_MUTED")
                .put("participantId", PARTICIPANT).put("eventTime", "2026-03-14T18:40:00Z")
                .put("mutedBy", "moderator-7"));
        LocalReconciler reconciler = reconciler(standIn, Map.of(), fixedClock());

        reconciler.run();

        assertThat(reconciler.metrics()).anySatisfy(document -> {
            JsonNode emf = EmfRules.parse(document);
            assertThat(emf.path("EventName").asText()).isEqualTo("PARTICIPANT_MUTED");
            assertThat(emf.path("UnrecognizedEvents").asLong()).isEqualTo(1);
        });
        assertThat(reconciler.logLines()).anySatisfy(line -> assertThat(line)
                .startsWith("WARN listed event this version cannot record").contains("mutedBy")
                .doesNotContain("moderator-7"));
        assertThat(marker(SOURCE_STAGE, SESSION).get("unrecognized").asLong()).isEqualTo(1);
    }

    @Test
    void everyMetricDocumentOfARunFollowsTheEmbeddedMetricFormat() {
        LocalReconciler reconciler = reconciler(standIn(100), Map.of(), fixedClock());

        reconciler.run();

        assertThat(reconciler.metrics()).isNotEmpty()
                .allSatisfy(document -> assertThat(EmfRules.violations(document)).isEmpty());
        assertThat(totals(reconciler).get("SessionsReconciled").asLong()).isEqualTo(2);
        assertThat(backfilled(reconciler)).containsOnlyKeys("TOKEN_EXCHANGED", "REPLICATION_STARTED",
                "REPLICATION_STOPPED");
    }

    @Test
    void aRunTheApiRefusesFailsLoudlyAndKeepsWhatItHadRead() {
        IvsRealTimeStandIn refusing = start(IvsRealTimeStandIn.builder().world(SampleWorld.world()).pageSizeCap(100)
                .denyOperation("ListParticipantEvents"));
        LocalReconciler reconciler = reconciler(refusing, Map.of(), fixedClock());

        assertThatThrownBy(reconciler::run).isInstanceOf(IvsApiException.class);

        assertThat(reconciler.logLines()).anySatisfy(line -> assertThat(line)
                .startsWith("ERROR reconciliation failed; the next run resumes where it stopped"));
        assertThat(totals(reconciler).get("SessionsPending").asLong()).isPositive();
    }

    // --- fixtures

    private IvsRealTimeStandIn standIn(int pageSizeCap) {
        return start(IvsRealTimeStandIn.builder().world(SampleWorld.world()).pageSizeCap(pageSizeCap));
    }

    private IvsRealTimeStandIn start(IvsRealTimeStandIn.Builder builder) {
        try {
            IvsRealTimeStandIn standIn = builder.credentials(LocalReconciler.CREDENTIALS).region("us-west-2").start();
            opened.add(standIn);
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LocalReconciler reconciler(IvsRealTimeStandIn standIn, Map<String, String> environment, Clock clock) {
        Map<String, String> settings = new HashMap<>(Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "20"));
        settings.putAll(environment);
        LocalReconciler reconciler = new LocalReconciler(table.dynamoDb().client(), table.name(), standIn.endpoint(),
                settings, clock);
        opened.add(reconciler);
        return reconciler;
    }

    private static Clock fixedClock() {
        return Clock.fixed(NEXT_DAY, ZoneOffset.UTC);
    }

    private Map<String, List<JsonNode>> ledger() {
        return table.items().stream().filter(item -> item.get(TableDesign.ITEM_TYPE).s().equals(TableDesign.EVENT))
                .map(PlainItems::toJson)
                .collect(Collectors.groupingBy(item -> item.get("name").asText(), TreeMap::new, Collectors.toList()));
    }

    private JsonNode marker(String stageArn, String sessionId) {
        return table.items().stream()
                .filter(item -> item.get(TableDesign.PK).s().equals(TableDesign.reconciliationKey(stageArn))
                        && item.get(TableDesign.SK).s().equals(TableDesign.SESSION_PREFIX + sessionId))
                .map(PlainItems::toJson).findFirst().orElseThrow();
    }

    /** Every item but the reconciler's own bookkeeping, whose times and counts say when and how it ran. */
    private Set<JsonNode> tableContent() {
        return table.items().stream()
                .filter(item -> !item.get(TableDesign.PK).s().startsWith(TableDesign.CHECKPOINT_PK))
                .map(PlainItems::toJson).collect(Collectors.toSet());
    }

    private Set<JsonNode> tableOfOneUninterruptedRun() {
        LocalTable other = new LocalTable();
        other.beforeEach(null);
        try (LocalReconciler reconciler = new LocalReconciler(other.dynamoDb().client(), other.name(),
                standIn(100).endpoint(), Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "20"),
                fixedClock())) {
            reconciler.run();
            return other.items().stream()
                    .filter(item -> !item.get(TableDesign.PK).s().startsWith(TableDesign.CHECKPOINT_PK))
                    .map(PlainItems::toJson).collect(Collectors.toSet());
        } finally {
            other.afterEach(null);
        }
    }


    /** The answers of runs one after the other, until one says it is complete or there have been this many. */
    private static List<JsonNode> runsUntilOneCompletes(LocalReconciler reconciler, int atMost) {
        List<JsonNode> answers = new ArrayList<>();
        do {
            answers.add(answer(reconciler.run()));
        } while (!answers.get(answers.size() - 1).get("complete").asBoolean() && answers.size() < atMost);
        return answers;
    }

    private static JsonNode totals(LocalReconciler reconciler) {
        return reconciler.metrics().stream().map(EmfRules::parse).filter(emf -> emf.has("ApiRequests"))
                .reduce((first, second) -> second).orElseThrow();
    }

    private static Map<String, Long> backfilled(LocalReconciler reconciler) {
        return reconciler.metrics().stream().map(EmfRules::parse).filter(emf -> emf.has("EventsBackfilled"))
                .collect(Collectors.toMap(emf -> emf.get("EventName").asText(),
                        emf -> emf.get("EventsBackfilled").asLong(), Long::sum, TreeMap::new));
    }

    private static JsonNode answer(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
