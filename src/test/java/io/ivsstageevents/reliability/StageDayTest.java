package io.ivsstageevents.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.Configuration;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A day of stages, delivered the way IVS and EventBridge deliver it: late, out of order, some events never sent,
 * some twice, by several function instances at once. Whatever the order, the table must end up as the one a model
 * computes from the stream in the order things happened.
 *
 * <p>A few per cent of the day is what the function cannot fully read (StageDay): it must keep those events whole
 * and those keys in the ledger, exactly as the model says, and no spelling of a name may change what is recorded.
 *
 * <p>By default the day has {@value #DEFAULT_EVENTS} events; the reliability profile
 * ({@code mvn -Preliability verify}) runs it with 100,000. {@code -Dreliability.seed=N} replays another day.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageDayTest {
    static final int DEFAULT_EVENTS = 5_000;
    private static final long SEED = Long.getLong("reliability.seed", 20260314L);
    private static final int EVENTS = Integer.getInteger("reliability.stageDay.events", DEFAULT_EVENTS);
    /** Lambda runs instances side by side; on two cores, four keep DynamoDB Local busiest. */
    private static final int INSTANCES = Integer.getInteger("reliability.instances", 4);
    /** Items carry expiresAt, so the model checks it too. */
    private static final int RETENTION_DAYS = 30;

    private StageDay day;
    private ExpectedTable expected;
    private TableComparison comparison;
    private Map<String, ObjectNode> actual;
    private String table;
    private FunctionOutputs outputs;
    private List<ConcurrentDelivery.Failure> failures;

    @BeforeAll
    void deliverTheDay() {
        day = StageDay.generate(SEED, EVENTS);
        expected = ExpectedTable.of(day.events(), day.deliveries(), RETENTION_DAYS);
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        table = dynamoDb.createTable();
        outputs = new FunctionOutputs(List.of(
                StageDay.USER_ID_MARK, StageDay.ATTRIBUTE_NAME_MARK, StageDay.ATTRIBUTE_VALUE_MARK,
                StageDay.UNKNOWN_VALUE_MARK));
        long started = System.nanoTime();
        failures = ConcurrentDelivery.deliver(day.deliveries(), INSTANCES, () -> new LocalFunction(
                dynamoDb.client(), table, Map.of(Configuration.RETENTION_DAYS, Integer.toString(RETENTION_DAYS))),
                outputs);
        double seconds = (System.nanoTime() - started) / 1e9;
        comparison = TableComparison.of(day, expected);
        actual = comparison.normalize(dynamoDb.allItems(table));
        // Where the events of one identity may join, which item they make depends on the order they came in.
        expected = expected.as(comparison.holds(actual));
        System.out.printf(
                "stage day (seed %d): %,d deliveries of %,d events by %d instances in %.1f s: %,.0f events/s%n",
                SEED, day.deliveries().size(), day.events().size(), INSTANCES, seconds,
                day.deliveries().size() / seconds);
        System.out.printf("stage day (seed %d): %,d ledger items (%,d with unknownMembers), %,d kept items %s; "
                        + "%,d events with unknown detail keys, %,d deliveries of a kept event, "
                        + "%,d in another spelling; %,d identities with slots, %,d of them order-dependent%n",
                SEED, expected.ledgerItems(), expected.ledgersWithUnknownMembers(), expected.keptItems(),
                expected.keptByName(), day.events().stream().filter(StageDayTest::hasUnknownKeys).count(),
                day.deliveries().stream().filter(ExpectedTable::isKept).count(),
                day.deliveries().stream().filter(event -> event.spelledName() != null).count(),
                expected.identitiesWithSlots(), expected.orderDependentIdentities());
    }

    @Test
    void everyDeliveryIsHandledWithoutError() {
        assertThat(failures).filteredOn(failure -> !hasAnErrorCodeUnknownToThisVersion(failure.event()))
                .as(context()).isEmpty();
    }

    /** AWS adds error codes over time; until this version knows one, it must be counted, not failed. */
    @Test
    void anErrorEventWhoseCodeThisVersionDoesNotKnowYetIsHandledWithoutError() {
        assertThat(day.deliveries()).as("the day holds such events")
                .anyMatch(StageDayTest::hasAnErrorCodeUnknownToThisVersion);
        assertThat(failures).filteredOn(failure -> hasAnErrorCodeUnknownToThisVersion(failure.event()))
                .as(context()).isEmpty();
    }

    @Test
    void theTableEqualsTheModelsTableComputedFromTheUnshuffledStream() {
        List<String> differences = comparison.differences(comparison.normalizeExpected(expected.items()), actual);
        assertThat(differences).as(() -> TableComparison.describe(differences, context())).isEmpty();
    }

    /** Kept events included: a redelivery of one is a duplicate too. */
    @Test
    void eachDistinctEventIsCountedRecordedOnceAndEveryOtherDeliveryOfItAsADuplicate() {
        long recordedDeliveries = day.deliveries().stream().filter(ExpectedTable::isRecorded).count();
        long keptDeliveries = day.deliveries().stream().filter(ExpectedTable::isKept).count();
        assertThat(outputs.total(StageEventMetrics.EVENTS_RECORDED)).as(context()).isEqualTo(expected.ledgerItems());
        assertThat(outputs.byName(StageEventMetrics.EVENTS_RECORDED)).as("by the API's name, whatever the spelling")
                .isEqualTo(expected.recordedByName());
        assertThat(outputs.total(StageEventMetrics.DUPLICATE_EVENTS)).as(context())
                .isEqualTo(recordedDeliveries - expected.ledgerItems() + keptDeliveries - expected.keptItems());
    }

    @Test
    void eachEventKeptWholeIsCountedUnrecognizedOnceUnderItsName() {
        assertThat(outputs.total(StageEventMetrics.UNRECOGNIZED_EVENTS)).as(context())
                .isEqualTo(expected.keptItems());
        assertThat(outputs.byName(StageEventMetrics.UNRECOGNIZED_EVENTS)).as(context())
                .isEqualTo(expected.keptByName());
    }

    @Test
    void everyDeliveryOfAnErrorEventIsCountedUnderItsErrorCode() {
        Map<String, Long> expectedErrors = new TreeMap<>();
        day.deliveries().stream().filter(ExpectedTable::isParticipantError).forEach(event ->
                expectedErrors.merge(event.errorCode() == null ? "UNSPECIFIED" : event.errorCode(), 1L, Long::sum));
        assertThat(outputs.errorsByCode()).as(context()).isEqualTo(expectedErrors);
    }

    @Test
    void eventsOfOtherKindsAndOtherServicesAreCountedIgnoredAndNoneIsInvalid() {
        long ignored = day.deliveries().stream()
                .filter(event -> !ExpectedTable.isRecorded(event) && !ExpectedTable.isKept(event)
                        && !ExpectedTable.isParticipantError(event)).count();
        assertThat(outputs.total(StageEventMetrics.EVENTS_IGNORED)).as(context()).isEqualTo(ignored);
        assertThat(outputs.total(StageEventMetrics.INVALID_EVENTS)).as(context()).isZero();
    }

    @Test
    void noLogLineOrMetricDocumentHoldsAUserIdOrATokenAttribute() {
        assertThat(outputs.logLines()).as("log lines written").isPositive();
        assertThat(outputs.leaks()).as(context()).isEmpty();
    }

    /** The day is only worth its time if it holds every case it claims to: this guards the generator. */
    @Test
    void theDayExercisesEveryCaseOfDeliveryAndContent() {
        List<SyntheticEvent> events = day.events();
        assertThat(events).hasSize(EVENTS);
        assertThat(day.deliveries().size() - events.size()).as("delivered twice")
                .isBetween(EVENTS * 8 / 100, EVENTS * 12 / 100);
        assertThat(day.reemittedIds()).as("re-emitted by IVS under a new id").isNotEmpty();

        Set<String> names = new HashSet<>();
        Set<String> errorCodes = new HashSet<>();
        Set<Object> shapes = new HashSet<>();
        Map<String, Integer> exchangesPerInstant = new HashMap<>();
        events.forEach(event -> {
            names.add(event.isStageUpdate() ? event.name() : "foreign:" + event.source());
            if (ExpectedTable.isParticipantError(event)) {
                errorCodes.add(String.valueOf(event.errorCode()));
            }
            shapes.add(event.wireForm());
            shapes.add(event.timeStyle());
            if (event.detailTime() == null) {
                shapes.add("no detail time");
            }
            if ("TOKEN_EXCHANGED".equals(event.name())) {
                exchangesPerInstant.merge(event.participantId() + event.eventTime(), 1, Integer::sum);
            }
        });
        assertThat(names).contains("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED", "PUBLISH_ERROR",
                "SUBSCRIBE_ERROR", "JOIN_ERROR", "JOINED", "LEFT", "PUBLISH_STARTED", "PUBLISH_STOPPED",
                "SUBSCRIBE_STARTED", "SUBSCRIBE_STOPPED", "foreign:aws.ec2", "foreign:aws.ivs")
                .containsAll(StageDay.UNRECOGNIZED_NAMES);
        assertThat(errorCodes).containsAll(StageDay.KNOWN_ERROR_CODES).contains(StageDay.FUTURE_ERROR_CODE, "null");
        assertThat(shapes).as("wire forms, time styles, and events without a detail time")
                .hasSize(SyntheticEvent.WireForm.values().length + SyntheticEvent.TimeStyle.values().length + 1);
        assertThat(exchangesPerInstant.values()).as("two exchanges of one participant at one instant").contains(2);
        assertThat(expected.identitiesWithSlots()).as("distinct events of one ledger identity, in slots").isPositive();
        assertThat(expected.items().values()).as("replication states")
                .anySatisfy(item -> assertThat(item.path("state").asText()).isEqualTo("ACTIVE"))
                .anySatisfy(item -> assertThat(item.path("durationMillis").asLong(-1)).isZero())
                .anySatisfy(item -> assertThat(item.has("stoppedAt") && !item.has("startedAt")).isTrue());
    }

    /** What the function cannot fully read is there, in every variety, at a few per cent and no more. */
    @Test
    void theDayHoldsUnrecognizedNamesUnknownKeysAndOtherSpellingsAtAFewPerCent() {
        List<SyntheticEvent> events = day.events();
        long kept = events.stream().filter(ExpectedTable::isKept).count();
        long withUnknownKeys = events.stream().filter(StageDayTest::hasUnknownKeys).count();
        long otherSpellings = day.deliveries().stream().filter(event -> event.spelledName() != null).count();
        assertThat(kept).as("kept whole").isBetween(EVENTS / 100L, EVENTS * 6 / 100L);
        assertThat(withUnknownKeys).as("with unknown detail keys").isBetween(EVENTS / 100L, EVENTS * 6 / 100L);
        long deliveries = day.deliveries().size();
        assertThat(otherSpellings).as("deliveries of a name in another spelling")
                .isBetween(deliveries / 100, deliveries * 6 / 100);

        Set<String> reasons = new HashSet<>();
        Set<String> keptForms = new HashSet<>();
        Map<String, Set<String>> textsOfOneKeptEvent = new HashMap<>();
        day.deliveries().stream().filter(ExpectedTable::isKept).forEach(event -> {
            reasons.add(ExpectedTable.missing(event) == null ? "UNRECOGNIZED_NAME" : "missing " + ExpectedTable.missing(event));
            keptForms.add(event.wireForm() + (event.detailTime() == null ? " without detail time" : ""));
            textsOfOneKeptEvent.computeIfAbsent(event.eventId(), k -> new HashSet<>()).add(event.detail().toString());
        });
        assertThat(reasons).containsExactlyInAnyOrder("UNRECOGNIZED_NAME", "missing newToken",
                "missing destinationStageArn");
        assertThat(keptForms).contains("API", "EVENTBRIDGE");
        assertThat(textsOfOneKeptEvent.values()).as("one kept event delivered in two forms: kept twice")
                .anySatisfy(texts -> assertThat(texts).hasSize(2));

        Set<String> types = new HashSet<>();
        Set<String> kindsWithUnknownKeys = new HashSet<>();
        events.stream().filter(StageDayTest::hasUnknownKeys).forEach(event -> {
            kindsWithUnknownKeys.add(ExpectedTable.isRecorded(event) ? "recorded"
                    : ExpectedTable.isKept(event) ? "kept" : ExpectedTable.isParticipantError(event) ? "error" : "skipped");
            event.unknownMembers().values().forEach(value -> types.add(value.getNodeType().toString()));
        });
        assertThat(types).as("JSON types of unknown values")
                .contains("STRING", "NUMBER", "BOOLEAN", "NULL", "ARRAY", "OBJECT");
        assertThat(kindsWithUnknownKeys).containsExactlyInAnyOrder("recorded", "kept", "error", "skipped");
        assertThat(expected.items().values()).as("ledger items with unknown members")
                .allSatisfy(item -> assertThat(item.path("unknownMembers").has("user_id")).isFalse())
                .anySatisfy(item -> assertThat(item.path("userId").isTextual()).isTrue())
                .anySatisfy(item -> assertThat(item.path("unknownMembers").has("newToken.grants")).isTrue())
                .anySatisfy(item -> assertThat(item.path("unknownMembers").path("counter_big").isTextual()).isTrue());

        Map<String, Set<String>> spellingsOfOneContent = new HashMap<>();
        Map<String, Set<String>> formsOfOneContent = new HashMap<>();
        day.deliveries().stream().filter(ExpectedTable::isRecorded).forEach(event -> {
            String content = ExpectedTable.canonical(event);
            spellingsOfOneContent.computeIfAbsent(content, k -> new HashSet<>()).add(event.wireName());
            formsOfOneContent.computeIfAbsent(content, k -> new HashSet<>()).add(event.wireForm().toString());
        });
        assertThat(spellingsOfOneContent.values()).as("one recorded event delivered in two spellings")
                .anySatisfy(spellings -> assertThat(spellings).hasSize(2));
        assertThat(formsOfOneContent.values()).as("one recorded event delivered in both forms")
                .anySatisfy(forms -> assertThat(forms).hasSize(2));
        Set<String> spellings = new HashSet<>();
        day.deliveries().forEach(event -> spellings.add(event.wireName()));
        assertThat(spellings).as("AWS's most probable phrases, and the API's name in EventBridge's form")
                .contains("Token Exchanged", "Participant Replication Start", "Participant Replication End",
                        "participant_replication_end");
        assertThat(day.deliveries()).as("TOKEN_EXCHANGED in EventBridge's form")
                .anyMatch(event -> event.wireForm() == SyntheticEvent.WireForm.EVENTBRIDGE
                        && "TOKEN_EXCHANGED".equals(event.wireName()) && ExpectedTable.isRecorded(event));
    }

    private static boolean hasAnErrorCodeUnknownToThisVersion(SyntheticEvent event) {
        return StageDay.FUTURE_ERROR_CODE.equals(event.errorCode());
    }

    /** Keys no version reads, at the top of the detail or in a token (EventBridge's user_id aside). */
    private static boolean hasUnknownKeys(SyntheticEvent event) {
        return !event.unknownMembers().isEmpty() || hasUnknownKeys(event.previousToken())
                || hasUnknownKeys(event.newToken());
    }

    private static boolean hasUnknownKeys(SyntheticEvent.Token token) {
        return token != null && !token.unknownMembers().isEmpty();
    }

    private String context() {
        return "stage day of " + EVENTS + " events, seed " + SEED + " (replay with -Dreliability.seed=" + SEED
                + " -Dreliability.stageDay.events=" + EVENTS + ")";
    }
}
