package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.EVENT;
import static io.ivsstageevents.storage.TableDesign.FORM_DIGEST;
import static io.ivsstageevents.storage.TableDesign.GSI1_PK;
import static io.ivsstageevents.storage.TableDesign.GSI1_SK;
import static io.ivsstageevents.storage.TableDesign.ITEM_TYPE;
import static io.ivsstageevents.storage.TableDesign.REPLICATION_STATE;
import static io.ivsstageevents.storage.TableDesign.SK;
import static io.ivsstageevents.storage.TableDesign.TOKEN_STATE;
import static io.ivsstageevents.storage.TableDesign.UNKNOWN_MEMBERS;
import static io.ivsstageevents.storage.TableDesign.UNRECOGNIZED;
import static io.ivsstageevents.storage.TableDesign.participantKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.reliability.FaultProxy.Fault;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.StandInCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB misbehaving under the function: the production client, through a proxy that delays, drops connections,
 * throttles and fails, and a server that is stopped and started again in the middle of the stream. Lambda's part
 * is played by the test: every invocation that throws is delivered again, until none does. Then the table must be
 * the one a clean run leaves, and at no point may state exist that its ledger does not explain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionTest {
    private static final long SEED = Long.getLong("reliability.seed", 20260314L);
    private static final int EVENTS = Integer.getInteger("reliability.faults.events", 300);
    /**
     * What "fails instead of hanging" means here: DynamoDbClients gives a call 8 s; an invocation makes up to three
     * calls, but under these faults no more than one of them runs long. Generous, and far under any function timeout.
     */
    private static final Duration INVOCATION_BOUND = Duration.ofSeconds(12);
    private static final int MAX_REDELIVERY_ROUNDS = 30;
    private static final double BACKGROUND_RATE = 0.10;

    private StandInCredentials credentials;
    private RestartableDynamoDb dynamoDb;
    private StageDay day;
    private List<SyntheticEvent> deliveries;
    private Map<String, ObjectNode> cleanTable;
    private Map<String, ObjectNode> afterFirstPass;
    private Map<String, ObjectNode> converged;
    private Map<Fault, Long> injected;
    private final List<Duration> invocationTimes = new ArrayList<>();
    private int failedInFirstPass;
    private int failedInvocations;
    private int rounds;
    private int outages;
    private TableComparison comparison;
    private ExpectedTable model;

    @BeforeAll
    void runTheStreamThroughFaults() throws Exception {
        // The production client finds credentials through the default chain; these stand in for Lambda's.
        credentials = StandInCredentials.set();
        day = StageDay.generate(SEED, EVENTS);
        // Only these events reach DynamoDB, recorded or kept whole: the others would pass through the faults untouched.
        deliveries = day.deliveries().stream().filter(ExpectedTable::reachesTheTable).toList();
        model = ExpectedTable.of(day.events(), day.deliveries(), 0);
        comparison = TableComparison.of(day, model);
        cleanTable = cleanRun();

        dynamoDb = RestartableDynamoDb.start();
        String table = LocalDynamoDb.wrapping(dynamoDb.client()).createTable();
        long outageStart = deliveries.size();
        long outageEnd = outageStart + 80;
        SeededFaults faults = SeededFaults.withStorms(SEED, BACKGROUND_RATE, 300, 50, 0.85);
        try (FaultProxy proxy = new FaultProxy(dynamoDb.port(), request -> {
            // Mid-stream, whatever call of whatever invocation that request belongs to.
            if (request == outageStart) {
                dynamoDb.stopServer();
                outages++;
            } else if (request == outageEnd) {
                dynamoDb.startServer();
            }
            return dynamoDb.isRunning() ? faults.faultOf(request) : Fault.NONE;
        })) {
            LocalFunction function = new LocalFunction(productionClient(proxy, table), table);
            List<SyntheticEvent> failed = deliverAll(function, deliveries);
            failedInFirstPass = failed.size();
            proxy.awaitIdle();
            afterFirstPass = comparison.normalize(LocalDynamoDb.allItemsOf(dynamoDb.client(), table));

            proxy.plan(SeededFaults.background(SEED + 1, BACKGROUND_RATE));
            dynamoDb.startServer();
            while (!failed.isEmpty() && rounds < MAX_REDELIVERY_ROUNDS) {
                rounds++;
                failed = deliverAll(function, failed);
            }
            assertThat(failed).as("still failing after %d rounds of redelivery (%s)", rounds, context()).isEmpty();
            proxy.awaitIdle();
            injected = proxy.injected();
            converged = comparison.normalize(LocalDynamoDb.allItemsOf(dynamoDb.client(), table));
        }
        System.out.printf("faults (seed %d): %,d deliveries (%,d of kept events, %,d with unknown members), "
                        + "%,d failed invocations (%,d in the first pass), "
                        + "converged after %d redelivery round(s); slowest invocation %d ms; injected %s%n",
                SEED, deliveries.size(), deliveries.stream().filter(ExpectedTable::isKept).count(),
                deliveries.stream().filter(FaultInjectionTest::hasUnknownMembers).count(),
                failedInvocations, failedInFirstPass, rounds,
                invocationTimes.stream().mapToLong(Duration::toMillis).max().orElse(0), injected);
    }

    @AfterAll
    void restore() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (credentials != null) {
            credentials.close();
        }
    }

    @Test
    void everyKindOfFaultAndAnOutageHappenedAndMadeInvocationsFail() {
        for (Fault fault : List.of(Fault.DELAY, Fault.TIMEOUT, Fault.DROP_BEFORE, Fault.DROP_AFTER, Fault.THROTTLE,
                Fault.SERVER_ERROR, Fault.UNAVAILABLE, Fault.UPSTREAM_DOWN)) {
            assertThat(injected.get(fault)).as("%s injected (%s)", fault, context()).isPositive();
        }
        assertThat(outages).as("server stopped mid-stream").isEqualTo(1);
        assertThat(failedInFirstPass).as("invocations that failed and were delivered again").isPositive();
    }

    /** Keeping an event whole and merging unknown members are writes too: they must go through the faults. */
    @Test
    void keptEventsAndUnknownMembersWentThroughTheFaults() {
        assertThat(deliveries).as(context())
                .anyMatch(ExpectedTable::isKept)
                .anyMatch(event -> ExpectedTable.isRecorded(event) && !event.unknownMembers().isEmpty());
        assertThat(converged.values()).as(context())
                .anyMatch(item -> UNRECOGNIZED.equals(item.path(ITEM_TYPE).asText()))
                .anyMatch(item -> item.has(UNKNOWN_MEMBERS));
    }

    @Test
    void everyInvocationSucceedsOrThrowsWithinTheClientsBound() {
        assertThat(invocationTimes).as(context()).allSatisfy(time -> assertThat(time).isLessThan(INVOCATION_BOUND));
    }

    @Test
    void redeliveringWhatFailedLeavesTheTableOfACleanRun() {
        List<String> differences = comparison.differences(cleanTable, converged);
        assertThat(differences).as(() -> TableComparison.describe(differences, context())).isEmpty();
    }

    @Test
    void theConvergedTableIsAlsoTheModelsTable() {
        List<String> differences = comparison.differences(expectedTable(), converged);
        assertThat(differences).as(() -> TableComparison.describe(differences, context())).isEmpty();
    }

    /** Before any redelivery, failures have left work undone, but nothing that is not an event's true effect. */
    @Test
    void afterTheFaultsNoItemIsStrayAndNoStateOutrunsItsLedger() {
        assertThat(strayOrUnexplained(afterFirstPass, expectedTable())).as(context()).isEmpty();
    }

    @Test
    void aDynamoDbThatNeverAnswersFailsTheInvocationWithinTheClientsBound() {
        String table = LocalDynamoDb.wrapping(dynamoDb.client()).createTable();
        assertFailsWithinTheBound(table, request -> Fault.BLACKHOLE);
        assertThat(LocalDynamoDb.allItemsOf(dynamoDb.client(), table)).as("written").isEmpty();
    }

    @Test
    void aDynamoDbThatIsDownFailsTheInvocationWithinTheClientsBound() {
        String table = LocalDynamoDb.wrapping(dynamoDb.client()).createTable();
        dynamoDb.stopServer();
        try {
            assertFailsWithinTheBound(table, request -> Fault.NONE);
        } finally {
            dynamoDb.startServer();
        }
        assertThat(LocalDynamoDb.allItemsOf(dynamoDb.client(), table)).as("written").isEmpty();
    }

    /**
     * The slowest DynamoDB that still answers: of every three attempts, two time out and the third succeeds, so
     * each call just makes it. A replication event makes three calls (ledger put, state read, state put).
     */
    @Test
    void aReplicationEventAgainstADynamoDbThatBarelyAnswersEndsWithinTheClientsBound() {
        String table = LocalDynamoDb.wrapping(dynamoDb.client()).createTable();
        try (FaultProxy proxy = new FaultProxy(dynamoDb.port(),
                request -> request % 3 == 2 ? Fault.NONE : Fault.TIMEOUT)) {
            LocalFunction function = new LocalFunction(productionClient(proxy, table), table);
            long started = System.nanoTime();
            try {
                function.invoke(SampleEvents.bytes("replication-started.json"));
            } catch (RuntimeException failed) {
                // Failing is allowed; taking longer than the bound is not.
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(INVOCATION_BOUND);
        }
    }

    /** Throws, and not as if the event were at fault: Lambda must retry it. */
    private void assertFailsWithinTheBound(String table, FaultProxy.Plan plan) {
        try (FaultProxy proxy = new FaultProxy(dynamoDb.port(), plan)) {
            LocalFunction function = new LocalFunction(productionClient(proxy, table), table);
            long started = System.nanoTime();
            assertThatThrownBy(() -> function.invoke(SampleEvents.bytes("token-exchanged.json")))
                    .isNotInstanceOf(InvalidEventException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(INVOCATION_BOUND);
        }
    }

    /** Where the events of one identity may join, the outcome of their arrival order that the converged table holds. */
    private Map<String, ObjectNode> expectedTable() {
        return comparison.normalizeExpected(model.as(comparison.holds(converged)).items());
    }

    private Map<String, ObjectNode> cleanRun() {
        LocalDynamoDb clean = LocalDynamoDb.shared();
        String table = clean.createTable();
        List<ConcurrentDelivery.Failure> failures = ConcurrentDelivery.deliver(deliveries, 4,
                () -> new LocalFunction(clean.client(), table), new FunctionOutputs(List.of()));
        assertThat(failures).as("the clean run").isEmpty();
        return comparison.normalize(clean.allItems(table));
    }

    /** One pass over the events, as Lambda would make it; returns those whose invocation threw. */
    private List<SyntheticEvent> deliverAll(LocalFunction function, List<SyntheticEvent> events) {
        List<SyntheticEvent> failed = new ArrayList<>();
        for (SyntheticEvent event : events) {
            long started = System.nanoTime();
            try {
                function.invoke(event.bytes());
            } catch (RuntimeException e) {
                failed.add(event);
                failedInvocations++;
            } finally {
                invocationTimes.add(Duration.ofNanos(System.nanoTime() - started));
                function.clearOutputs();
            }
        }
        return failed;
    }

    /**
     * Items that no event of the stream explains (a ledger or kept item of content never sent, an unknown kind),
     * and state items that name an event whose ledger item is missing, or that know more of it than its ledger item:
     * the ledger is written first, so that must never be. A ledger item may lack unknown members that only a
     * redelivery yet to succeed carries (they are merged into it by a later write), but every member it has must
     * be the event's own; and its slot among the events of its identity depends on which of them came first.
     */
    private static List<String> strayOrUnexplained(Map<String, ObjectNode> table, Map<String, ObjectNode> expected) {
        Map<String, List<ObjectNode>> expectedLedger = new HashMap<>();
        expected.values().forEach(item -> {
            String identity = TableComparison.ledgerIdentity(item);
            if (identity != null) {
                expectedLedger.computeIfAbsent(identity, k -> new ArrayList<>()).add(item);
            }
        });
        // A state version is the item's version (its time, then the digest of the content that created it),
        // then how much the state knew (members, and an envelope id): the digest names the item, whatever finer
        // time it came to.
        Map<String, Integer> ledgerRichness = new HashMap<>();
        table.values().stream().filter(item -> EVENT.equals(item.path(ITEM_TYPE).asText()))
                .forEach(item -> ledgerRichness.put(
                        item.get(GSI1_PK).asText() + " " + digestOf(item.get(GSI1_SK).asText()),
                        ExpectedTable.richness(item) + (item.has("eventId") ? 1 : 0)));
        List<String> problems = new ArrayList<>();
        table.forEach((key, item) -> {
            String type = item.path(ITEM_TYPE).asText();
            String participant = participantKey(item.path("participantId").asText());
            switch (type) {
                case EVENT -> {
                    List<ObjectNode> candidates =
                            expectedLedger.getOrDefault(TableComparison.ledgerIdentity(item), List.of());
                    if (candidates.stream().noneMatch(candidate -> isTheExpectedLedgerItemSoFar(item, candidate))) {
                        problems.add("ledger item of no event sent, or written partly: " + item);
                    }
                }
                case UNRECOGNIZED -> {
                    if (!item.equals(expected.get(key))) {
                        problems.add("kept item of no event sent, or written partly: " + item);
                    }
                }
                case TOKEN_STATE -> {
                    if (!explainedByItsLedger(participant, item.path("stateVersion").asText(), ledgerRichness)) {
                        problems.add("token state without its ledger item: " + item);
                    }
                }
                case REPLICATION_STATE -> {
                    for (String side : List.of("lastStart", "lastStop")) {
                        JsonNode mark = item.path(side);
                        if (!mark.isMissingNode()
                                && !explainedByItsLedger(participant, mark.path("version").asText(), ledgerRichness)) {
                            problems.add("replication state whose " + side + " has no ledger item: " + item);
                        }
                    }
                }
                default -> problems.add("item of unknown type: " + item);
            }
        });
        return problems;
    }

    /** The state's event has its ledger item, which knows at least as many of its members as the state does. */
    private static boolean explainedByItsLedger(String participant, String stateVersion,
                                                Map<String, Integer> ledgerRichness) {
        int richnessAt = stateVersion.lastIndexOf('#');
        if (richnessAt < 0) {
            return false;
        }
        Integer ledger = ledgerRichness.get(participant + " " + digestOf(stateVersion.substring(0, richnessAt)));
        return ledger != null && Integer.parseInt(stateVersion.substring(richnessAt + 1)) <= ledger;
    }

    /** The digest part of a version: what follows its time. */
    private static String digestOf(String version) {
        return version.substring(version.indexOf('#') + 1);
    }

    /**
     * Equal but for unknown members and a user id still to be merged (those present are a part of the expected
     * ones: the camelCase form of a delivery carries no {@code user_id}), for the form digest, which covers the
     * unknown members' names and so must be that of the item as it is, and for the slot.
     */
    private static boolean isTheExpectedLedgerItemSoFar(ObjectNode item, ObjectNode expected) {
        ObjectNode itemWithout = item.deepCopy();
        ObjectNode expectedWithout = expected.deepCopy();
        itemWithout.remove(SK);
        expectedWithout.remove(SK);
        JsonNode digest = itemWithout.remove(FORM_DIGEST);
        expectedWithout.remove(FORM_DIGEST);
        if (digest == null || !digest.asText().equals(ExpectedTable.formDigest(item))) {
            return false;
        }
        JsonNode members = itemWithout.remove(UNKNOWN_MEMBERS);
        JsonNode expectedMembers = expectedWithout.remove(UNKNOWN_MEMBERS);
        JsonNode userId = itemWithout.remove("userId");
        JsonNode expectedUserId = expectedWithout.remove("userId");
        if (!itemWithout.equals(expectedWithout) || userId != null && !userId.equals(expectedUserId)) {
            return false;
        }
        if (members == null) {
            return true;
        }
        if (expectedMembers == null || members.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (!member.getValue().equals(expectedMembers.get(member.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUnknownMembers(SyntheticEvent event) {
        return ExpectedTable.isRecorded(event) && !ExpectedTable.unknownMembers(event).isEmpty();
    }

    private static DynamoDbClient productionClient(FaultProxy proxy, String table) {
        return DynamoDbClients.create(LocalDynamoDb.REGION, proxy.endpoint());
    }

    private String context() {
        return "seed " + SEED + ", " + EVENTS + " events (replay with -Dreliability.seed=" + SEED
                + " -Dreliability.faults.events=" + EVENTS + ")";
    }
}
