package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.CHECKPOINT_PK;
import static io.ivsstageevents.storage.TableDesign.CHECKPOINT_SK;
import static io.ivsstageevents.storage.TableDesign.ITEM_TYPE;
import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.RECONCILED_SESSION;
import static io.ivsstageevents.storage.TableDesign.RECONCILIATION_CHECKPOINT;
import static io.ivsstageevents.storage.TableDesign.SK;
import static io.ivsstageevents.storage.TableDesign.sessionKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.Configuration;
import io.ivsstageevents.metrics.ReconciliationMetrics;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.reliability.ApiRecord.Session;
import io.ivsstageevents.reliability.ExpectedTable.Origin;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.TickingClock;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A day of stages whose EventBridge deliveries lose events, reconciled from the IVS Real-Time API: the
 * function handles what EventBridge delivers, the reconciler reads what the API lists, and the table must be the
 * one a model computes from both, with the same rules as for the stage day ({@link ExpectedTable}).
 *
 * <ul>
 *   <li>The API's record ({@link ApiRecord}) is the day as it happened, complete, in the API's form, served by
 *       the loopback stand-in: stages, 16-character session ids, sessions from their first to their last event,
 *       participants, every event of each.</li>
 *   <li>EventBridge ({@link EventBridgeDeliveries}) loses a fifth of the token exchanges and replications,
 *       delivers a tenth twice, tells them less precisely than the API (whole seconds, no replica, sometimes no
 *       previous token), and delivers them late, some after the reconciler has read their session; the other
 *       kinds as the day has them.</li>
 *   <li>The morning: what arrives by mid-day (when half the sessions have ended) is delivered by
 *       {@value #INSTANCES_DEFAULT} function instances at once, in any order; then one reconciler run at mid-day
 *       reads the sessions ended by then. The afternoon: the rest is delivered, late deliveries for sessions read
 *       already among it. The end: every session has ended, and the rest is read by runs cut off by their
 *       deadline, each resumed by the next, until one completes; then one more run finds nothing to read.</li>
 * </ul>
 * The model takes those four phases in that order, each in any order within ({@link ExpectedTable.Arrivals}), so
 * it says which form created each ledger item: what the reconciler backfilled, what EventBridge's envelope id
 * names, and what each session's marker counts. Concurrent delivery needs no more: every delivery of one event
 * tells it alike, and the comparison names re-emissions by the event they repeat.
 *
 * <p>By default the day has {@value #DEFAULT_EVENTS} events; the reliability profile runs it at full size.
 * {@code -Dreliability.seed=N} replays another day, {@code -Dreliability.reconciliation.events=N} another size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationScenarioTest {
    static final int DEFAULT_EVENTS = 2_500;
    private static final int INSTANCES_DEFAULT = 4;
    private static final long SEED = Long.getLong("reliability.seed", 20260314L);
    private static final int EVENTS = Integer.getInteger("reliability.reconciliation.events", DEFAULT_EVENTS);
    /** Pages far smaller than the API's 100, so that every list is read over several. */
    private static final int PAGE_SIZE = Integer.getInteger("reliability.reconciliation.pageSize", 10);
    private static final int INSTANCES = Integer.getInteger("reliability.instances", INSTANCES_DEFAULT);
    private static final int RETENTION_DAYS = 30;
    /**
     * The reconciler's budget and the stand-in's quota, far above the service's 5 a second: throttling is tested
     * at the service's quota (ReconciliationTest); here it would only make the day take longer.
     */
    private static final int REQUESTS_PER_SECOND = 1_000;
    /** About how many runs the end takes, each cut off by its deadline but the last. */
    private static final int END_RUNS = 8;
    private static final int MAX_END_RUNS = 200;
    /** What a marker or the checkpoint written during the cut-off runs holds as its time, once checked. */
    private static final String DURING_THE_END_RUNS = "(during the end runs)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StageDay day;
    private ApiRecord api;
    private EventBridgeDeliveries eventBridge;
    private Instant midDay;
    private Instant endOfDay;
    private Instant endRunsOver;
    private Duration lookback;
    private List<Session> readAtMidDay;
    private List<Session> readAtTheEnd;
    private List<SyntheticEvent> morning;
    private List<SyntheticEvent> afternoon;
    private IvsRealTimeStandIn standIn;
    private LocalDynamoDb dynamoDb;
    private String table;
    private final List<LocalReconciler> reconcilers = new ArrayList<>();
    private final List<ConcurrentDelivery.Failure> failures = new ArrayList<>();
    private FunctionOutputs functionOutputs;
    private FunctionOutputs reconcilerOutputs;
    private JsonNode midDayAnswer;
    private final List<JsonNode> endAnswers = new ArrayList<>();
    private JsonNode lastAnswer;
    private List<RecordedRequest> requestsOfTheLastRun;
    private Map<String, ObjectNode> tableAfterTheEnd;
    private ExpectedTable model;
    private TableComparison comparison;
    private Map<String, ObjectNode> actual;
    private Map<String, ObjectNode> expected;

    @BeforeAll
    void reconcileTheDay() throws IOException {
        long started = System.nanoTime();
        day = StageDay.generate(SEED, EVENTS).withApiSessionIds();
        api = ApiRecord.of(day, SEED);
        eventBridge = EventBridgeDeliveries.of(day, SEED);
        midDay = api.midDay();
        endOfDay = api.lastEnd().plus(Duration.ofHours(1));
        // Covers every session from mid-day and from the end, the end runs' ticking included.
        lookback = Duration.ofHours(Duration.between(api.firstEnd(), endOfDay).toHours() + 25);
        readAtMidDay = api.endedBy(midDay);
        readAtTheEnd = api.sessions().stream().filter(session -> !session.endedBy(midDay)).toList();
        morning = eventBridge.arrivingBy(midDay);
        afternoon = eventBridge.arrivingAfter(midDay);
        model = ExpectedTable.of(eventBridge.sent(), new ExpectedTable.Arrivals()
                .then(Origin.EVENTBRIDGE, morning)
                .then(Origin.API, eventsOf(readAtMidDay))
                .then(Origin.EVENTBRIDGE, afternoon)
                .then(Origin.API, eventsOf(readAtTheEnd)), RETENTION_DAYS);
        comparison = TableComparison.of(day, model);

        dynamoDb = LocalDynamoDb.shared();
        table = dynamoDb.createTable();
        standIn = IvsRealTimeStandIn.builder().credentials(LocalReconciler.CREDENTIALS).region(LocalDynamoDb.REGION)
                .pageSizeCap(PAGE_SIZE).quotaPerSecond(REQUESTS_PER_SECOND).start();
        List<String> personalData = List.of(StageDay.USER_ID_MARK, StageDay.ATTRIBUTE_NAME_MARK,
                StageDay.ATTRIBUTE_VALUE_MARK, StageDay.UNKNOWN_VALUE_MARK);
        functionOutputs = new FunctionOutputs(personalData);
        reconcilerOutputs = new FunctionOutputs(personalData);

        // The morning, then mid-day's run.
        deliver(morning);
        api.showAsOf(standIn.world(), midDay);
        midDayAnswer = run(reconciler(Clock.fixed(midDay, ZoneOffset.UTC)));

        // The afternoon and the night; then the end, read by runs cut off by their deadline.
        deliver(afternoon);
        api.showAsOf(standIn.world(), endOfDay);
        TickingClock ticking = new TickingClock(endOfDay, Duration.ofSeconds(1));
        LocalReconciler cutShort = reconciler(ticking);
        // A run reads the clock about twice a page: this is about END_RUNS runs' worth of pages each.
        long work = Math.max(10, 2 * ApiRecord.pages(readAtTheEnd, PAGE_SIZE) / END_RUNS);
        cutShort.remainingTimeMillis((int) LocalReconciler.stopMargin().plusSeconds(work).toMillis());
        do {
            endAnswers.add(run(cutShort));
        } while (!endAnswers.get(endAnswers.size() - 1).get("complete").asBoolean()
                && endAnswers.size() < MAX_END_RUNS);
        endRunsOver = ticking.instant();
        tableAfterTheEnd = comparison.normalize(dynamoDb.allItems(table));

        // One more run, later: every session is marked.
        int before = standIn.requests().size();
        lastAnswer = run(reconciler(Clock.fixed(endRunsOver.plus(Duration.ofMinutes(15)), ZoneOffset.UTC)));
        requestsOfTheLastRun = standIn.requests().subList(before, standIn.requests().size());

        actual = withRunTimes(comparison.normalize(dynamoDb.allItems(table)));
        // Where forms of different events of one identity arrive in one phase, the items depend on their order.
        model = model.as(comparison.holds(actual));
        expected = comparison.normalizeExpected(expectedItems());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("reconciliation scenario (seed %d): %,d events (%,d of recorded kinds), %,d deliveries: "
                        + "%,d lost, %,d twice, %,d late after their session was read; %,d backfilled "
                        + "(%s; %s); %,d sessions: %,d read at mid-day, %,d at the end in %d runs cut off by their "
                        + "deadline; %,d API requests (%,d pages of participants and events, %,d throttled) "
                        + "in %.1f s%n",
                SEED, api.events().size(), eventBridge.sent().size(), eventBridge.deliveries().size(),
                eventBridge.lost().size(), eventBridge.deliveredTwice().size(), lateForSessionsRead().size(),
                backfilledTotal(), backfilledByName(), whyBackfilled(), api.sessions().size(), readAtMidDay.size(),
                readAtTheEnd.size(), endAnswers.size(), standIn.requests().size(), standIn.sessionPagesAnswered().size(),
                standIn.requests().stream().filter(RecordedRequest::throttled).count(), seconds);
    }

    @AfterAll
    void close() {
        reconcilers.forEach(LocalReconciler::close);
        if (standIn != null) {
            standIn.close();
        }
    }

    @Test
    void everyDeliveryIsHandledWithoutError() {
        assertThat(failures).as(context()).isEmpty();
    }

    @Test
    void theTableEqualsTheModelOfWhatTheApiListsAndWhatEventBridgeDelivered() {
        List<String> differences = comparison.differences(expected, actual);
        assertThat(differences).as(() -> TableComparison.describe(differences, context())).isEmpty();
    }

    /**
     * What counts: each ledger item the reconciler created, being the first to record its event. That is an
     * event EventBridge lost, delivered only in a form the function kept whole (no new token, no destination),
     * or delivered only after the run that read its session; not one EventBridge delivered before.
     */
    @Test
    void eventsBackfilledCountEachRecordedEventEventBridgeHadNotDeliveredWhenItsSessionWasRead() {
        assertThat(backfilledByName()).as(context()).isEqualTo(model.createdByName(Origin.API));
        assertThat(backfilledTotal()).as("the markers' counts, summed")
                .isEqualTo(actual.values().stream().filter(item -> RECONCILED_SESSION.equals(item.path(ITEM_TYPE)
                        .asText())).mapToLong(item -> item.get("eventsBackfilled").asLong()).sum());
    }

    @Test
    void theFunctionRecordedWhatEventBridgeDeliveredFirstAndKeptWhatItCouldNotRead() {
        assertThat(functionOutputs.byName(StageEventMetrics.EVENTS_RECORDED)).as(context())
                .isEqualTo(model.createdByName(Origin.EVENTBRIDGE));
        assertThat(functionOutputs.total(StageEventMetrics.UNRECOGNIZED_EVENTS)).as(context())
                .isEqualTo(model.keptItems());
        assertThat(functionOutputs.leaks()).as(context()).isEmpty();
    }

    @Test
    void theRunsReadEverySessionOnceTheEndsByRunsCutOffByTheirDeadlineAndNoneWasThrottled() {
        assertThat(midDayAnswer.get("complete").asBoolean()).isTrue();
        assertThat(midDayAnswer.get("sessionsReconciled").asLong()).isEqualTo(readAtMidDay.size());
        assertThat(endAnswers).as("runs at the end, each cut off but the last").hasSizeGreaterThanOrEqualTo(3)
                .hasSizeLessThan(MAX_END_RUNS);
        assertThat(endAnswers.subList(0, endAnswers.size() - 1)).allSatisfy(answer -> {
            assertThat(answer.get("complete").asBoolean()).isFalse();
            assertThat(answer.get("sessionsPending").asLong()).isPositive();
        });
        assertThat(endAnswers.get(endAnswers.size() - 1).get("complete").asBoolean()).isTrue();
        assertThat(endAnswers.stream().mapToLong(answer -> answer.get("sessionsReconciled").asLong()).sum())
                .isEqualTo(readAtTheEnd.size());
        assertThat(standIn.requests()).noneMatch(RecordedRequest::throttled);
    }

    @Test
    void noPageOfParticipantsOrOfEventsIsReadTwiceAndNoneIsLeftUnread() {
        assertThat(standIn.sessionPagesAnswered()).as("each page, by its request body")
                .allSatisfy((page, times) -> assertThat(times).as(page).isEqualTo(1L))
                .hasSize(Math.toIntExact(ApiRecord.pages(api.sessions(), PAGE_SIZE)));
    }

    @Test
    void aRunAfterTheEndReadsNothingNewAndChangesNothing() {
        assertThat(lastAnswer.get("complete").asBoolean()).isTrue();
        assertThat(lastAnswer.get("sessionsReconciled").asLong()).isZero();
        assertThat(requestsOfTheLastRun).extracting(RecordedRequest::operation)
                .containsOnly("ListStages", "ListStageSessions");
        assertThat(comparison.normalize(dynamoDb.allItems(table))).isEqualTo(tableAfterTheEnd);
    }

    /** The API lists events this version does not know; the reconciler counts them, records nothing of them. */
    @Test
    void theReconcilerCountsWhatItCannotReadAndFindsNothingInvalid() {
        assertThat(reconcilerOutputs.total(StageEventMetrics.UNRECOGNIZED_EVENTS)).as(context())
                .isEqualTo(ApiRecord.unrecognized(api.events())).isPositive();
        assertThat(reconcilerOutputs.total(StageEventMetrics.INVALID_EVENTS)).as(context()).isZero();
        assertThat(reconcilerOutputs.leaks()).as(context()).isEmpty();
    }

    /** The scenario is only worth its time if it holds every case it claims to: this guards it. */
    @Test
    void theDayHoldsEveryCaseTheScenarioIsAbout() {
        assertThat(eventBridge.lost()).as("lost").isNotEmpty();
        assertThat(eventBridge.deliveredTwice()).as("delivered twice").isNotEmpty();
        assertThat(lateForSessionsRead()).as("delivered after their session was read").isNotEmpty();
        assertThat(readAtMidDay).as("sessions read at mid-day").isNotEmpty();
        assertThat(readAtTheEnd).as("sessions read at the end").isNotEmpty();
        assertThat(eventBridge.sent()).as("EventBridge's form broken: kept whole, then backfilled")
                .anyMatch(ExpectedTable::isKept);
        assertThat(api.events()).as("completed by the API").anyMatch(event -> ExpectedTable.isRecorded(event)
                && eventBridge.sent().stream().anyMatch(sent -> sent.eventId().equals(event.eventId())
                && ExpectedTable.isKept(sent)));
        Map<String, Long> sources = actual.values().stream()
                .filter(item -> item.has(io.ivsstageevents.storage.TableDesign.SOURCE))
                .collect(Collectors.groupingBy(item -> item.get("source").toString() + (item.has("eventId")
                        ? " with an envelope id" : ""), TreeMap::new, Collectors.counting()));
        assertThat(sources).as("ledger items by source").containsOnlyKeys("[\"API\"]",
                "[\"API\",\"EventBridge\"] with an envelope id");
        assertThat(model.createdByName(Origin.API).values().stream().mapToLong(Long::longValue).sum())
                .as("backfilled").isGreaterThan(sources.get("[\"API\"]"));
    }

    // --- the day's phases

    private void deliver(List<SyntheticEvent> deliveries) {
        failures.addAll(ConcurrentDelivery.deliver(deliveries, INSTANCES, () -> new LocalFunction(dynamoDb.client(),
                table, Map.of(Configuration.RETENTION_DAYS, Integer.toString(RETENTION_DAYS))), functionOutputs));
    }

    private LocalReconciler reconciler(Clock clock) {
        LocalReconciler reconciler = new LocalReconciler(dynamoDb.client(), table, standIn.endpoint(), Map.of(
                Configuration.RETENTION_DAYS, Integer.toString(RETENTION_DAYS),
                Configuration.RECONCILIATION_REQUESTS_PER_SECOND, Integer.toString(REQUESTS_PER_SECOND),
                Configuration.RECONCILIATION_LOOKBACK_HOURS, Long.toString(lookback.toHours())), clock);
        reconcilers.add(reconciler);
        return reconciler;
    }

    /** One run; its metric documents and log lines go with the others'. */
    private JsonNode run(LocalReconciler reconciler) {
        int metrics = reconciler.metrics().size();
        int lines = reconciler.logLines().size();
        String answer = reconciler.run();
        reconcilerOutputs.add(reconciler.metrics().subList(metrics, reconciler.metrics().size()),
                reconciler.logLines().subList(lines, reconciler.logLines().size()));
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<SyntheticEvent> eventsOf(List<Session> sessions) {
        List<SyntheticEvent> events = new ArrayList<>();
        sessions.forEach(session -> events.addAll(session.events()));
        return events;
    }

    // --- what the model says beyond the ledger and state: each session's marker, the checkpoint cleared

    private Map<String, ObjectNode> expectedItems() {
        Map<String, ObjectNode> items = new TreeMap<>(model.items());
        Map<String, Long> backfilled = model.backfilledBySession();
        for (Session session : api.sessions()) {
            ObjectNode marker = ApiRecord.marker(session,
                    session.endedBy(midDay) ? midDay.toString() : DURING_THE_END_RUNS, lookback,
                    backfilled.getOrDefault(sessionKey(session.stageArn(), session.sessionId()), 0L));
            items.put(ExpectedTable.key(marker.get(PK).textValue(), marker.get(SK).textValue()), marker);
        }
        ObjectNode checkpoint = NODES.objectNode().put(PK, CHECKPOINT_PK).put(SK, CHECKPOINT_SK)
                .put(ITEM_TYPE, RECONCILIATION_CHECKPOINT).put("savedAt", DURING_THE_END_RUNS);
        items.put(ExpectedTable.key(CHECKPOINT_PK, CHECKPOINT_SK), checkpoint);
        return items;
    }

    /**
     * The table with the times the cut-off runs wrote (they read a ticking clock) checked to lie within those
     * runs and then named as such, so that the rest of each item compares exactly.
     */
    private Map<String, ObjectNode> withRunTimes(Map<String, ObjectNode> items) {
        items.values().forEach(item -> {
            String time = item.path(ITEM_TYPE).asText().equals(RECONCILED_SESSION) ? "reconciledAt"
                    : item.path(ITEM_TYPE).asText().equals(RECONCILIATION_CHECKPOINT) ? "savedAt" : null;
            if (time != null && item.has(time)) {
                Instant at = Instant.parse(item.get(time).asText());
                if (!at.isBefore(endOfDay) && !at.isAfter(endRunsOver)) {
                    item.put(time, DURING_THE_END_RUNS);
                }
            }
        });
        return items;
    }

    // --- what the runs did


    /** EventsBackfilled by event name, over every run's metric documents. */
    private Map<String, Long> backfilledByName() {
        Map<String, Long> byName = new TreeMap<>();
        reconcilers.forEach(reconciler -> reconciler.metrics().stream().map(EmfRules::parse)
                .filter(emf -> emf.has(ReconciliationMetrics.EVENTS_BACKFILLED))
                .forEach(emf -> byName.merge(emf.get(StageEventMetrics.EVENT_NAME).asText(),
                        emf.get(ReconciliationMetrics.EVENTS_BACKFILLED).asLong(), Long::sum)));
        return byName;
    }

    private long backfilledTotal() {
        return backfilledByName().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Why the events the API lists of the recorded kinds had to be recorded by the reconciler, seen from
     * EventBridge's side alone, for the summary: no envelope of it delivered ("lost"), delivered only in a form the
     * function kept whole ("kept whole"), or delivered in full only after the run that read its session ("late").
     * It explains the metric without being it: where EventBridge's poorer forms of two events of one identity
     * are the same (two replication starts into one stage in one second, without fractions or replica), the
     * function made one item of both, and the API's finer forms then tell the second apart, which the reconciler
     * backfills though EventBridge delivered it. The model knows that; this count does not.
     */
    private Map<String, Long> whyBackfilled() {
        Map<SyntheticEvent, List<SyntheticEvent>> deliveredOf = new HashMap<>();
        eventBridge.deliveries().forEach(delivery -> {
            SyntheticEvent truth = api.truthOf(delivery.event());
            if (truth != null && EventBridgeDeliveries.isRecordedKind(delivery.event())) {
                deliveredOf.computeIfAbsent(truth, k -> new ArrayList<>()).add(delivery.event());
            }
        });
        Set<SyntheticEvent> inTheMorning = new HashSet<>(morning);
        Map<String, Long> why = new TreeMap<>();
        for (Session session : api.sessions()) {
            boolean readAtMidDay = session.endedBy(midDay);
            for (SyntheticEvent truth : session.events()) {
                List<SyntheticEvent> delivered = deliveredOf.getOrDefault(truth, List.of());
                if (!ExpectedTable.isRecorded(truth)) {
                    continue;
                }
                if (delivered.isEmpty()) {
                    why.merge("lost", 1L, Long::sum);
                } else if (delivered.stream().noneMatch(ExpectedTable::isRecorded)) {
                    why.merge("kept whole", 1L, Long::sum);
                } else if (readAtMidDay && delivered.stream().noneMatch(event -> ExpectedTable.isRecorded(event)
                        && inTheMorning.contains(event))) {
                    why.merge("late", 1L, Long::sum);
                }
            }
        }
        return why;
    }

    /** Deliveries of a recorded event, told completely, that arrived after mid-day's run read its session. */
    private List<SyntheticEvent> lateForSessionsRead() {
        Set<String> read = readAtMidDay.stream().map(Session::key).collect(Collectors.toSet());
        return afternoon.stream().filter(ExpectedTable::isRecorded)
                .filter(event -> read.contains(event.stageArn() + "\n" + event.sessionId())).toList();
    }

    private String context() {
        return "reconciliation scenario of " + EVENTS + " events, seed " + SEED + " (replay with -Dreliability.seed="
                + SEED + " -Dreliability.reconciliation.events=" + EVENTS + ")";
    }
}
