package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.ivsapi.IvsApiException;
import io.ivsstageevents.ivsapi.IvsRealTimeApi;
import io.ivsstageevents.metrics.ReconciliationMetrics;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.CloudFormationTemplate;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LambdaRuntime;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.RecordedRequest;
import io.ivsstageevents.testing.ivs.SampleWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reconciler as sam build ships it (.aws-sam/build/ReconcilerFunction), run by Lambda's Java runtime
 * (LambdaRuntime: the Runtime Interface Client under the Runtime Interface Emulator) against DynamoDB Local and the
 * loopback stand-in of the IVS Real-Time API serving the sample world, compared with the same run in process
 * (LocalReconciler). The stand-in accepts only the credentials the runtime gives the function, session token
 * included: the function finds them through the SDK's default chain, as in Lambda. .ci/lambda-runtime runs this
 * after LambdaRuntimeConformance.
 *
 * <p>The runtime's clock is the real one, so the lookback is set to reach back to the sample world's sessions
 * (2026-03-14) from now, whenever now is; the in-process run uses the real clock and the same settings.
 */
class ReconcilerRuntimeConformance {
    private static final String FUNCTION = "ReconcilerFunction";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOG_LINE = Pattern.compile("^(DEBUG|INFO|WARN|ERROR) ");
    /** The sample world's earliest session end. */
    private static final Instant EARLIEST_SESSION_END = Instant.parse("2026-03-14T18:50:00Z");
    /** The reconciler's own timestamps: when it marked a session, when it saved or cleared its checkpoint. */
    private static final List<String> RUN_TIMES = List.of("reconciledAt", "savedAt");
    /** A run that cannot reach the API fails on its first request (a cold start included), not after retries. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(10);

    private static LambdaRuntime.Installation installation;
    private static LocalDynamoDb dynamoDb;
    private static Map<String, String> settings;
    private static final List<AutoCloseable> opened = new ArrayList<>();

    private static Run inProcess;
    private static Run inRuntime;
    private static LambdaRuntime.Invocation second;
    private static List<RecordedRequest> secondRequests;
    private static List<JsonNode> itemsAfterSecond;

    /** What one run answered, printed and left in its table, and what the stand-in received. */
    private record Run(JsonNode answer, List<String> metrics, List<String> logLines, List<JsonNode> items,
                       List<RecordedRequest> requests) {
    }

    @BeforeAll
    static void reconcileTheSampleWorldInProcessAndInTheRuntime() throws IOException {
        installation = LambdaRuntime.Installation.fromSystemProperties(FUNCTION);
        dynamoDb = LocalDynamoDb.shared();
        long lookbackHours = Duration.between(EARLIEST_SESSION_END, Instant.now()).toHours() + 24;
        settings = Map.of(Configuration.RECONCILIATION_LOOKBACK_HOURS, Long.toString(lookbackHours),
                Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "4");

        IvsRealTimeStandIn localStandIn = standIn(IvsRealTimeStandIn.builder()
                .credentials(LocalReconciler.CREDENTIALS));
        String localTable = dynamoDb.createTable();
        try (LocalReconciler reconciler = new LocalReconciler(dynamoDb.client(), localTable, localStandIn.endpoint(),
                settings, Clock.systemUTC())) {
            JsonNode answer = JSON.readTree(reconciler.run());
            inProcess = new Run(answer, reconciler.metrics(), reconciler.logLines(), items(localTable),
                    localStandIn.requests());
        }

        IvsRealTimeStandIn standIn = standIn(IvsRealTimeStandIn.builder()
                .credentials(LambdaRuntime.FUNCTION_CREDENTIALS));
        String table = dynamoDb.createTable();
        try (LambdaRuntime runtime = start(table, standIn.endpoint().toString())) {
            LambdaRuntime.Invocation first = runtime.invoke(scheduleInput());
            assertThat(first.isFunctionError()).as("%s%n%s", first.body(), String.join("\n", runtime.emulatorLog()))
                    .isFalse();
            inRuntime = new Run(JSON.readTree(first.body()), metrics(first), logLines(first), items(table),
                    standIn.requests());
            second = runtime.invoke(scheduleInput());
            secondRequests = standIn.requests().subList(inRuntime.requests().size(), standIn.requests().size());
            itemsAfterSecond = items(table);
            System.out.printf("reconciler in the runtime: first run %.0f ms (a cold start), second %.0f ms%n",
                    first.durationMillis(), second.durationMillis());
        }
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }

    @Test
    void theReconcilersArtifactHoldsExactlyTheEntriesAndBytesOfTheJarTheTestsChecked() throws IOException {
        Path jar = Path.of(System.getProperty("lambda.jar", ""));
        assertThat(jar).as("system property lambda.jar: the shaded jar mvn verify checked").isRegularFile();

        assertThat(installation.taskRoot().getFileName()).as("sam build's directory of the reconciler")
                .hasToString(FUNCTION);
        assertThat(LambdaRuntimeConformance.filesIn(installation.taskRoot())).isNotEmpty()
                .isEqualTo(LambdaRuntimeConformance.entriesOf(jar));
    }

    @Test
    void theRunInTheRuntimeReconcilesBothSessionsAndAnswersAsInProcess() {
        assertThat(inRuntime.answer().get("complete").asBoolean()).as(inRuntime.answer().toString()).isTrue();
        assertThat(inRuntime.answer().get("sessionsReconciled").asLong()).isEqualTo(2);
        assertThat(inRuntime.answer()).isEqualTo(inProcess.answer());
    }

    @Test
    void everyRequestIsSignedWithTheCredentialsTheRuntimeGivesTheFunction() {
        assertThat(inRuntime.requests()).isNotEmpty()
                .allSatisfy(request -> assertThat(request.signed()).as(request.toString()).isTrue())
                .allSatisfy(request -> assertThat(request.status()).as(request.toString()).isEqualTo(200));
        assertThat(pagesAskedFor(inRuntime.requests())).isEqualTo(pagesAskedFor(inProcess.requests()));
    }

    @Test
    void theTableHoldsWhatTheRunInProcessWritesApartFromWhenItRan() {
        assertThat(inRuntime.items()).filteredOn(item -> item.get(TableDesign.ITEM_TYPE).asText()
                .equals(TableDesign.EVENT)).extracting(item -> item.get("name").asText())
                .containsExactlyInAnyOrder("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED");
        assertThat(withoutRunTimes(inRuntime.items())).isEqualTo(withoutRunTimes(inProcess.items()));
    }

    /** Equal ApiRequests too: the same world, page sizes and budget take the same requests, none throttled. */
    @Test
    void theMetricDocumentsAndLogLinesAreTheOnesWrittenInProcess() {
        assertThat(inRuntime.metrics()).isNotEmpty()
                .allSatisfy(document -> assertThat(EmfRules.violations(document)).isEmpty());
        assertThat(withoutTimestamps(inRuntime.metrics())).isEqualTo(withoutTimestamps(inProcess.metrics()));
        assertThat(inRuntime.logLines()).isNotEmpty().isEqualTo(inProcess.logLines());
    }

    @Test
    void aSecondRunReadsNothingNewAndWritesNothing() throws IOException {
        assertThat(second.isFunctionError()).as(second.body()).isFalse();
        JsonNode answer = JSON.readTree(second.body());

        assertThat(answer.get("complete").asBoolean()).isTrue();
        assertThat(answer.get("sessionsReconciled").asLong()).isZero();
        assertThat(answer.get("apiRequests").asLong()).isEqualTo(secondRequests.size());
        assertThat(secondRequests).extracting(RecordedRequest::operation)
                .containsOnly("ListStages", "ListStageSessions");
        assertThat(itemsAfterSecond).isEqualTo(inRuntime.items());
        assertThat(metrics(second)).extracting(EmfRules::parse)
                .noneMatch(emf -> emf.has(ReconciliationMetrics.EVENTS_BACKFILLED));
    }

    /**
     * A closed port refuses at once, and the client retries only throttling: the run fails on its first request, as
     * a function error of the client's exception, and writes no ledger item. ApiRequests counts the attempt.
     */
    @Test
    void withTheApiUnreachableTheRunFailsFastAsAFunctionErrorAndWritesNoEvent() {
        String table = dynamoDb.createTable();
        try (LambdaRuntime runtime = start(table, "http://127.0.0.1:" + closedPort())) {
            long started = System.nanoTime();
            LambdaRuntime.Invocation failed = runtime.invoke(scheduleInput());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("reconciler with the API unreachable: failed after %d ms (a cold start included;"
                    + " %.0f ms by RIE's REPORT)%n", took.toMillis(), failed.durationMillis());

            assertThat(failed.status()).as(failed.body()).isEqualTo(200);
            assertThat(failed.errorType()).as(failed.body()).isEqualTo(IvsApiException.class.getName());
            assertThat(failed.errorMessage()).startsWith("IVS ListStages failed: no answer from http://127.0.0.1:")
                    // A ConnectException, or the HTTP client's own subclass of it (Apache's HttpHostConnectException).
                    .containsPattern("after " + IvsRealTimeApi.TRANSIENT_ATTEMPTS
                            + " attempt\\(s\\): \\w*ConnectException");
            assertThat(took).isLessThan(FAILS_WITHIN);
            assertThat(logLines(failed)).anySatisfy(line -> assertThat(line)
                    .startsWith("ERROR reconciliation failed; the next run resumes where it stopped"));
            assertThat(metrics(failed)).extracting(EmfRules::parse).anySatisfy(emf -> {
                assertThat(emf.get("SessionsPending").asLong()).isEqualTo(1);
                assertThat(emf.get("ApiRequests").asLong()).isEqualTo(IvsRealTimeApi.TRANSIENT_ATTEMPTS);
            });
            assertThat(dynamoDb.allItems(table)).noneMatch(item -> item.get(TableDesign.ITEM_TYPE).s()
                    .equals(TableDesign.EVENT));
        }
    }

    // --- fixtures

    private static LambdaRuntime start(String table, String ivsEndpoint) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put(Configuration.TABLE_NAME, table);
        environment.put(Configuration.DYNAMODB_ENDPOINT, dynamoDb.endpoint().toString());
        environment.put(Configuration.RETENTION_DAYS, "0");
        environment.put(Configuration.IVS_ENDPOINT, ivsEndpoint);
        return LambdaRuntime.start(installation, FUNCTION, environment, LambdaRuntime.defaultTimeoutSeconds(FUNCTION),
                false);
    }

    private static IvsRealTimeStandIn standIn(IvsRealTimeStandIn.Builder builder) {
        try {
            IvsRealTimeStandIn standIn = builder.world(SampleWorld.world()).region(LocalDynamoDb.REGION).start();
            opened.add(standIn);
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What EventBridge Scheduler sends the reconciler: the template's schedule's Input. */
    @SuppressWarnings("unchecked")
    private static byte[] scheduleInput() {
        Map<String, Object> target = (Map<String, Object>) CloudFormationTemplate.load()
                .properties("ReconcilerSchedule").get("Target");
        return ((String) target.get("Input")).getBytes(StandardCharsets.UTF_8);
    }

    /** Each request's operation and body: which page of what it asked for. */
    private static List<String> pagesAskedFor(List<RecordedRequest> requests) {
        return requests.stream().map(request -> request.operation() + " " + request.body()).toList();
    }

    private static List<String> metrics(LambdaRuntime.Invocation invocation) {
        return invocation.output().stream().filter(line -> line.startsWith("{")).toList();
    }

    private static List<String> logLines(LambdaRuntime.Invocation invocation) {
        return invocation.output().stream().filter(line -> LOG_LINE.matcher(line).find()).toList();
    }

    /** Every item, in key order, as plain JSON. */
    private static List<JsonNode> items(String table) {
        TreeMap<String, JsonNode> byKey = new TreeMap<>();
        for (Map<String, AttributeValue> item : dynamoDb.allItems(table)) {
            byKey.put(item.get(TableDesign.PK).s() + "\n" + item.get(TableDesign.SK).s(), PlainItems.toJson(item));
        }
        return List.copyOf(byKey.values());
    }

    private static List<JsonNode> withoutRunTimes(List<JsonNode> items) {
        List<JsonNode> copies = new ArrayList<>();
        for (JsonNode item : items) {
            ObjectNode copy = item.deepCopy();
            copy.remove(RUN_TIMES);
            copies.add(copy);
        }
        return copies;
    }

    private static List<JsonNode> withoutTimestamps(List<String> documents) {
        List<JsonNode> trees = new ArrayList<>();
        for (String document : documents) {
            ObjectNode copy = (ObjectNode) EmfRules.parse(document).deepCopy();
            ((ObjectNode) copy.get("_aws")).remove("Timestamp");
            trees.add(copy);
        }
        return trees;
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
