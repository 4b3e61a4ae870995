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
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.TickingClock;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.LargeSession;
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
    private static final String LARGE_STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/LargeStage01";
    private static final String LARGE_SESSION = "st-LargeSession1";
    private static final String SHORT_STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/ShortStage01";
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
        assertThat(answers.subList(0, answers.size() - 1)).as("sessions listed and unread, or stages not listed")
                .allSatisfy(answer -> assertThat(answer.get("sessionsPending").asLong()
                        + answer.get("stagesPending").asLong()).isPositive());
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
        LocalReconciler reconciler = runListingOneMore(JSON.createObjectNode().put("name", "PARTICIPANT_MUTED")
                .put("eventTime", "2026-03-14T18:40:00Z").put("mutedBy", "moderator-7"));

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

    /**
     * Decided as a delivered error is (the same log line), but not measured: EventBridge delivers errors, the
     * function measures each delivery, and nothing tells a listed error it delivered from one it lost.
     */
    @Test
    void aListedParticipantErrorIsLoggedAsADeliveredOneButNotMeasuredASecondTime() {
        LocalReconciler reconciler = runListingOneMore(JSON.createObjectNode().put("name", "PUBLISH_ERROR")
                .put("eventTime", "2026-03-14T18:41:00Z").put("errorCode", "INSUFFICIENT_CAPABILITIES"));

        assertThat(reconciler.logLines()).anySatisfy(line -> assertThat(line).startsWith("INFO participant error")
                .contains(" name=PUBLISH_ERROR ", " errorCode=INSUFFICIENT_CAPABILITIES "));
        assertThat(reconciler.metrics()).map(EmfRules::parse)
                .noneMatch(document -> document.has(StageEventMetrics.PARTICIPANT_ERRORS));
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

    // --- coverage, fairness, and sessions never dropped silently

    /**
     * The size IVS sells a stage for, with pages of the service's 100: by default, the publishers' events are read
     * (every replication, every publisher's token exchange) and the audience only counted, page by page.
     */
    @Test
    void aSessionOfTenThousandWithTwelvePublishersIsReadForItsPublishersWithinThirtyRequestsAndAPagePerHundred() {
        IvsRealTimeStandIn standIn = start(IvsRealTimeStandIn.builder().pageSizeCap(100).quotaPerSecond(1_000));
        LargeSession session = LargeSession.put(standIn.world(), LARGE_STAGE, LARGE_SESSION, 10_000, 12, 7);
        LocalReconciler reconciler = reconciler(standIn,
                Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "1000"), fixedClock());

        JsonNode answer = answer(reconciler.run());

        Map<String, Long> requests = standIn.requests().stream().filter(request -> request.body()
                .contains(LARGE_SESSION)).collect(Collectors.groupingBy(RecordedRequest::operation,
                        TreeMap::new, Collectors.counting()));
        assertThat(answer.get("complete").asBoolean()).as("in one run").isTrue();
        assertThat(requests.get("ListParticipantEvents")).as("the publishers' events").isLessThanOrEqualTo(30);
        assertThat(requests.get("ListParticipants")).as("one page per 100 participants").isEqualTo(100);
        assertThat(ledger().values().stream().mapToLong(List::size).sum())
                .isEqualTo(session.recordedEventsOfPublishers());
        assertThat(ledger().get("TOKEN_EXCHANGED")).extracting(item -> item.get("participantId").asText())
                .containsExactlyInAnyOrderElementsOf(session.publishers());
        assertThat(ledger().get("REPLICATION_STARTED")).hasSize(LargeSession.REPLICATING);
        JsonNode marker = marker(LARGE_STAGE, LARGE_SESSION);
        assertThat(marker.get("coverage").asText()).isEqualTo("PUBLISHERS_REPLICATING_AND_LEDGER");
        assertThat(marker.get("participantsRead").asLong()).isEqualTo(12);
        assertThat(marker.get("participantsSkipped").asLong()).isEqualTo(10_000 - 12);
        assertThat(totals(reconciler).get("ParticipantsSkipped").asLong()).isEqualTo(10_000 - 12);
        assertThat(totals(reconciler).get("SessionsPartiallyReconciled").asLong()).isEqualTo(1);
    }

    @Test
    void aSessionThatFitsOnePageOfParticipantsIsReadWholeByDefault() {
        reconciler(standIn(100), Map.of(), fixedClock()).run();

        assertThat(marker(SOURCE_STAGE, SESSION).get("coverage").asText()).isEqualTo("ALL");
        assertThat(marker(SOURCE_STAGE, SESSION).get("participantsRead").asLong()).isEqualTo(2);
        assertThat(marker(SOURCE_STAGE, SESSION).get("participantsSkipped").asLong()).isZero();
    }

    @Test
    void withCoverageAllEveryParticipantIsReadAndTheMarkerSaysAll() {
        IvsRealTimeStandIn standIn = start(IvsRealTimeStandIn.builder().pageSizeCap(100).quotaPerSecond(1_000));
        LargeSession session = LargeSession.put(standIn.world(), LARGE_STAGE, LARGE_SESSION, 250, 12, 7);

        reconciler(standIn, Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "1000",
                Configuration.RECONCILIATION_COVERAGE, "All"), fixedClock()).run();

        assertThat(marker(LARGE_STAGE, LARGE_SESSION).get("coverage").asText()).isEqualTo("ALL");
        assertThat(marker(LARGE_STAGE, LARGE_SESSION).get("participantsRead").asLong()).isEqualTo(250);
        assertThat(marker(LARGE_STAGE, LARGE_SESSION).get("participantsSkipped").asLong()).isZero();
        assertThat(ledger().get("TOKEN_EXCHANGED")).hasSize(12 + LargeSession.AUDIENCE_EXCHANGES);
    }

    /** EventBridge told of them, so the API may hold what it lost: a query of the ledger, no IVS request. */
    @Test
    void aParticipantTheLedgerHoldsIsReadThoughItNeverPublished() {
        IvsRealTimeStandIn standIn = start(IvsRealTimeStandIn.builder().pageSizeCap(100).quotaPerSecond(1_000));
        LargeSession session = LargeSession.put(standIn.world(), LARGE_STAGE, LARGE_SESSION, 250, 12, 7);
        String told = session.audienceExchanging().get(0);
        table.function().invoke(SampleEvents.bytes(session.eventBridgeFormOfTheExchangeOf(told)));

        reconciler(standIn, Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "1000"), fixedClock()).run();

        assertThat(ledger().get("TOKEN_EXCHANGED")).filteredOn(item -> item.get("participantId").asText()
                .equals(told)).singleElement().satisfies(item -> assertThat(item.get(TableDesign.SOURCE))
                        .hasToString("[\"API\",\"EventBridge\"]"));
        assertThat(ledger().get("TOKEN_EXCHANGED")).as("the other two of the audience are not read")
                .hasSize(12 + 1);
        assertThat(marker(LARGE_STAGE, LARGE_SESSION).get("participantsRead").asLong()).isEqualTo(13);
    }

    /**
     * A long session (coverage All, a page of one at a time) and a short one on a stage after it: the long one gets
     * half of the run, is set aside, and the short one is read in the same run; then the long one goes on.
     */
    @Test
    void oneLongSessionDoesNotHoldTheSessionsAfterItHostage() {
        IvsRealTimeStandIn standIn = start(IvsRealTimeStandIn.builder().pageSizeCap(100).quotaPerSecond(1_000));
        LargeSession.put(standIn.world(), LARGE_STAGE, LARGE_SESSION, 250, 12, 7);
        LargeSession.put(standIn.world(), SHORT_STAGE, "st-ShortSession1", 5, 1, 7);
        LocalReconciler cutShort = reconciler(standIn, Map.of(Configuration.RECONCILIATION_COVERAGE, "All",
                Configuration.RECONCILIATION_STAGE_ARNS, LARGE_STAGE + "," + SHORT_STAGE,
                Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "1000"),
                new TickingClock(NEXT_DAY, Duration.ofSeconds(1)));
        cutShort.remainingTimeMillis((int) ReconciliationHandler.STOP_MARGIN.plusSeconds(100).toMillis());

        List<JsonNode> answers = runsUntilOneCompletes(cutShort, 40);

        assertThat(answers.get(0).get("complete").asBoolean()).as("the long session outlasts a run").isFalse();
        assertThat(answers.get(0).get("sessionsReconciled").asLong()).as("the short one, in the first run")
                .isEqualTo(1);
        assertThat(answers.get(0).get("sessionsPending").asLong()).isEqualTo(1);
        assertThat(cutShort.logLines()).anySatisfy(line -> assertThat(line)
                .startsWith("INFO session set aside at the end of its share of the run").contains(LARGE_SESSION));
        assertThat(answers.get(answers.size() - 1).get("complete").asBoolean()).isTrue();
        assertThat(marker(LARGE_STAGE, LARGE_SESSION).get("participantsRead").asLong()).isEqualTo(250);
        assertThat(standIn.sessionPagesAnswered()).allSatisfy((page, times) -> assertThat(times).as(page)
                .isEqualTo(1L));
    }

    /** The stored form of a reading in progress, which the next run resumes: pinned, as every stored form. */
    @Test
    void aSessionARunStoppedInIsSavedAtItsMarkersKeyWithItsPageTokensCoverageAndCounts() {
        IvsRealTimeStandIn standIn = start(IvsRealTimeStandIn.builder().pageSizeCap(100).quotaPerSecond(1_000));
        LargeSession.put(standIn.world(), LARGE_STAGE, LARGE_SESSION, 250, 12, 7);
        LocalReconciler cutShort = reconciler(standIn, Map.of(Configuration.RECONCILIATION_COVERAGE, "All",
                Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "1000"),
                new TickingClock(NEXT_DAY, Duration.ofSeconds(1)));
        cutShort.remainingTimeMillis((int) ReconciliationHandler.STOP_MARGIN.plusSeconds(30).toMillis());

        cutShort.run();

        JsonNode saved = marker(LARGE_STAGE, LARGE_SESSION);
        assertThat(saved.fieldNames()).toIterable().containsExactlyInAnyOrder("pk", "sk", "itemType", "stageArn",
                "sessionId", "sessionEnd", "participants", "participantsNextToken", "moreParticipants", "coverage",
                "savedAt", "expiresAt", "participantsRead", "participantsSkipped", "eventsRead", "eventsBackfilled",
                "unrecognized", "invalid");
        assertThat(saved.get("itemType").asText()).isEqualTo(TableDesign.RECONCILING_SESSION);
        assertThat(saved.get("coverage").asText()).isEqualTo("ALL");
        assertThat(saved.get("moreParticipants").asBoolean()).isTrue();
        assertThat(saved.get("participantsRead").asLong()).isPositive().isLessThan(100);
        assertThat(saved.get("expiresAt").asLong()).as("a day after the session leaves the lookback")
                .isEqualTo(Instant.parse("2026-03-14T14:00:00Z").plus(Duration.ofDays(2)).getEpochSecond());
    }

    /**
     * Listed within the lookback once, its end out of it now and no marker: never read whole, so counted, logged
     * with its stage and session, and marked, once. One that ended longer before is not listed at all.
     */
    @Test
    void aSessionWhoseEndFellOutOfTheLookbackUnreadIsCountedLoggedAndMarkedNeverDroppedSilently() {
        IvsRealTimeStandIn standIn = standIn(100);
        // The sample's source session ended at 19:05, its destination session at 18:50: a lookback of 25 hours
        // from the next day's 20:00 keeps only the first.
        Clock nextEvening = Clock.fixed(NEXT_DAY.plus(Duration.ofHours(20)), ZoneOffset.UTC);
        LocalReconciler reconciler = reconciler(standIn, Map.of(Configuration.RECONCILIATION_LOOKBACK_HOURS, "25"),
                nextEvening);

        JsonNode answer = answer(reconciler.run());
        JsonNode metrics = totals(reconciler);
        JsonNode again = answer(reconciler.run());

        assertThat(answer.get("sessionsReconciled").asLong()).isEqualTo(1);
        assertThat(answer.get("sessionsExpiredUnread").asLong()).isEqualTo(1);
        assertThat(metrics.get("SessionsExpiredUnread").asLong()).isEqualTo(1);
        assertThat(reconciler.logLines()).anySatisfy(line -> assertThat(line)
                .startsWith("WARN session ended before the lookback and was never read to its end")
                .contains(DESTINATION_STAGE).contains("st-DeStInAtIoN1a"));
        assertThat(marker(DESTINATION_STAGE, "st-DeStInAtIoN1a").get("coverage").asText())
                .isEqualTo("EXPIRED_UNREAD");
        assertThat(again.get("sessionsExpiredUnread").asLong()).as("once").isZero();
    }

    /** A run that stops in a stage knows how many of its sessions wait: all it listed and has not read. */
    @Test
    void sessionsPendingIsEverySessionListedAndNotReadWhenTheRunStops() {
        IvsRealTimeStandIn standIn = start(IvsRealTimeStandIn.builder().pageSizeCap(100).quotaPerSecond(1_000));
        for (int i = 0; i < 5; i++) {
            LargeSession.put(standIn.world(), LARGE_STAGE, String.format("st-Pending%06d", i), 5, 1, i);
        }
        LocalReconciler cutShort = reconciler(standIn, Map.of(Configuration.RECONCILIATION_STAGE_ARNS, LARGE_STAGE,
                Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "1000"),
                new TickingClock(NEXT_DAY, Duration.ofSeconds(1)));
        cutShort.remainingTimeMillis((int) ReconciliationHandler.STOP_MARGIN.plusSeconds(30).toMillis());

        JsonNode first = answer(cutShort.run());

        long marked = table.items().stream().filter(item -> item.get(TableDesign.ITEM_TYPE).s()
                .equals(TableDesign.RECONCILED_SESSION)).count();
        assertThat(first.get("complete").asBoolean()).isFalse();
        assertThat(first.get("sessionsPending").asLong()).isEqualTo(5 - marked).isPositive();
        assertThat(first.get("stagesPending").asLong()).isZero();
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

    /** One run over the sample world whose source session lists one more event, the participant's. */
    private LocalReconciler runListingOneMore(ObjectNode event) {
        IvsRealTimeStandIn standIn = standIn(100);
        standIn.world().addEvent(SOURCE_STAGE, SESSION, event.put("participantId", PARTICIPANT));
        LocalReconciler reconciler = reconciler(standIn, Map.of(), fixedClock());
        reconciler.run();
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
