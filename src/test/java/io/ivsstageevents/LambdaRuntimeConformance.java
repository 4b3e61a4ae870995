package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.local.InvokeLocal;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.testing.CloudFormationTemplate;
import io.ivsstageevents.testing.LambdaRuntime;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LoopbackForwarder;
import io.ivsstageevents.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sam build's artifact in Lambda's Java runtime (the Runtime Interface Client under the Runtime Interface Emulator,
 * as the public.ecr.aws/lambda/java images run it), against DynamoDB Local. Not part of mvn verify, which needs
 * only a JDK and Maven: the emulator is built with Go. .ci/lambda-runtime builds the pieces and runs this class,
 * after mvn verify has checked the jar that the artifact must be.
 */
class LambdaRuntimeConformance {
    /** The samples users invoke, and the hostile corpus's files: invalid events, and events not ours. */
    private static final Path HOSTILE = Path.of("src/test/resources/hostile");
    private static final List<String> INPUTS = List.of(SampleEvents.DIRECTORY.toString(), HOSTILE.toString());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LambdaRuntime.Installation installation;
    private static JsonNode inProcess;
    private static JsonNode inRuntime;

    @BeforeAll
    static void runEveryInputInProcessAndInTheRuntime() {
        installation = LambdaRuntime.Installation.fromSystemProperties();
        inProcess = invokeLocal(INPUTS);
        List<String> runtimeArguments = new ArrayList<>(INPUTS);
        runtimeArguments.add(0, "--lambda-runtime");
        inRuntime = invokeLocal(runtimeArguments);
    }

    @Test
    void theArtifactHoldsExactlyTheEntriesAndBytesOfTheJarTheTestsChecked() throws IOException {
        Path jar = Path.of(System.getProperty("lambda.jar", ""));
        assertThat(jar).as("system property lambda.jar: the shaded jar mvn verify checked").isRegularFile();

        Map<String, String> shipped = filesIn(installation.taskRoot());
        Map<String, String> tested = entriesOf(jar);

        System.out.printf("artifact %s: %d files, the same as %s%n", installation.taskRoot(), shipped.size(), jar);
        assertThat(shipped).isNotEmpty().isEqualTo(tested);
    }

    @Test
    void everyInputEndsAsItEndsInProcessWithTheSameLogLines() {
        assertThat(invocations(inRuntime)).isEqualTo(invocations(inProcess));
        assertThat(inRuntime.get("invocations")).hasSizeGreaterThan(50);
    }

    @Test
    void theTableHoldsWhatTheFunctionWritesInProcess() {
        assertThat(inRuntime.get("items")).isNotEmpty().isEqualTo(inProcess.get("items"));
    }

    @Test
    void theMetricDocumentsAreTheOnesWrittenInProcess() {
        assertThat(withoutTimestamps(inRuntime.get("metrics"))).isNotEmpty()
                .isEqualTo(withoutTimestamps(inProcess.get("metrics")));
    }

    @Test
    void anInvalidEventComesBackAsAFunctionErrorOfItsTypeAndWritesNothing() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        try (LambdaRuntime runtime = start(dynamoDb.endpoint().toString(), table, false)) {
            LambdaRuntime.Invocation invocation = runtime.invoke(HOSTILE.resolve("wrong-types-detail.json"));

            assertThat(invocation.errorType()).as(invocation.body()).isEqualTo(InvalidEventException.class.getName());
            assertThat(invocation.errorMessage()).startsWith("detail.");
            assertThat(dynamoDb.allItems(table)).isEmpty();
        }
    }

    @Test
    void withoutATableNameTheRuntimeReportsAnInitErrorNamingTheVariable() {
        try (LambdaRuntime runtime = LambdaRuntime.start(installation, Map.of(), LambdaRuntime.defaultTimeoutSeconds(),
                false)) {
            LambdaRuntime.Invocation invocation = runtime.invoke(SampleEvents.bytes("token-exchanged.json"));

            assertThat(invocation.status()).as(invocation.body()).isEqualTo(502);
            assertThat(invocation.errorType()).isEqualTo(IllegalStateException.class.getName());
            assertThat(invocation.errorMessage()).isEqualTo("environment variable TABLE_NAME is not set");
            assertThat(runtime.emulatorLog()).anyMatch(line -> line.contains("INIT RTDONE(status: error)"));
        }
    }

    @Test
    void aColdStartPrintsNoSlf4jLine() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        try (LambdaRuntime runtime = start(dynamoDb.endpoint().toString(), dynamoDb.createTable(), false)) {
            LambdaRuntime.Invocation first = runtime.invoke(SampleEvents.bytes("token-exchanged.json"));

            assertThat(first.isFunctionError()).as(first.body()).isFalse();
            assertThat(runtime.output()).as("the runtime's output from its start").isNotEmpty()
                    .noneMatch(line -> line.startsWith("SLF4J:"));
        }
    }

    /**
     * The priming hook is registered with org.crac, which hands it to the runtime client only under the runtime's
     * -Dorg.crac.Core.Compat; the client runs it after init, before it asks for the restore. Each recorded sample
     * then costs DynamoDB a GetItem and a conditional PutItem that is refused: three of each, then one more GetItem
     * after which the connection is closed (the snapshot keeps none), and nothing written.
     * As in a SnapStart function, the credentials come from the container credentials endpoint, not the environment.
     */
    @Test
    void onTheSnapStartPathTheRuntimeRunsThePrimingHookBeforeTheRestoreAndItWritesNothing() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        try (LoopbackForwarder dynamoDbWire = LoopbackForwarder.start(dynamoDb.endpoint());
             LambdaRuntime runtime = start(dynamoDbWire.endpoint().toString(), table, true)) {
            LambdaRuntime.Invocation first = runtime.invoke(SampleEvents.bytes("publish-error.json"));

            List<LoopbackForwarder.Exchange> restores = runtime.runtimeApiExchanges().stream()
                    .filter(exchange -> exchange.path().equals(LambdaRuntime.RESTORE_NEXT)).toList();
            assertThat(restores).as("the runtime's requests: %s", runtime.runtimeApiExchanges()).hasSize(1);
            assertThat(runtime.runtimeApiExchanges())
                    .filteredOn(exchange -> exchange.path().equals(LambdaRuntime.CREDENTIALS)).isNotEmpty()
                    .allSatisfy(exchange -> assertThat(exchange.status()).isEqualTo(200));
            long restoredAt = restores.get(0).atNanos();
            assertThat(dynamoDbWire.exchanges())
                    .as("DynamoDB requests; the runtime's output:%n%s", String.join("\n", runtime.output()))
                    .allSatisfy(exchange -> assertThat(exchange.atNanos()).isLessThan(restoredAt))
                    .extracting(exchange -> exchange.amzTarget() + " " + exchange.status())
                    .containsExactly(
                            "DynamoDB_20120810.GetItem 200", "DynamoDB_20120810.PutItem 400",
                            "DynamoDB_20120810.GetItem 200", "DynamoDB_20120810.PutItem 400",
                            "DynamoDB_20120810.GetItem 200", "DynamoDB_20120810.PutItem 400",
                            "DynamoDB_20120810.GetItem 200");
            assertThat(first.isFunctionError()).as(first.body()).isFalse();
            assertThat(first.output()).anyMatch(line -> line.startsWith("INFO participant error "));
            assertThat(dynamoDb.allItems(table)).isEmpty();
            double init = runtime.initDurationMillis().orElse(Double.NaN);
            // RIE times the first invocation from before the init.
            System.out.printf("SnapStart path: init with priming %.0f ms, first invocation after the restore %.1f ms%n",
                    init, first.durationMillis() - init);
        }
    }

    @Test
    void withoutSnapStartThePrimingHookDoesNotRun() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        try (LoopbackForwarder dynamoDbWire = LoopbackForwarder.start(dynamoDb.endpoint());
             LambdaRuntime runtime = start(dynamoDbWire.endpoint().toString(), dynamoDb.createTable(), false)) {
            runtime.invoke(SampleEvents.bytes("publish-error.json"));

            assertThat(dynamoDbWire.exchanges()).isEmpty();
        }
    }

    /** The smallest FunctionTimeout the template accepts still leaves a batch time to start its messages. */
    @Test
    void atTheSmallestTimeoutTheTemplateAllowsTheSampleBatchRecordsItsGoodMessages() throws IOException {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        @SuppressWarnings("unchecked")
        int smallest = ((List<Integer>) CloudFormationTemplate.load()
                .parameter("FunctionTimeout").get("AllowedValues")).stream().mapToInt(Integer::intValue).min()
                .orElseThrow();
        try (LambdaRuntime runtime = LambdaRuntime.start(installation,
                environment(dynamoDb.endpoint().toString(), table), smallest, false)) {
            LambdaRuntime.Invocation batch = runtime.invoke(SampleEvents.bytes("sqs-batch.json"));

            assertThat(JSON.readTree(batch.body()).findValuesAsText("itemIdentifier"))
                    .as(String.join("\n", batch.output()))
                    .containsExactly("0d1f3c2a-5b6e-4f70-8a91-b2c3d4e5f603");
            assertThat(batch.output()).noneMatch(line -> line.startsWith("WARN out of time"));
            assertThat(dynamoDb.allItems(table)).isNotEmpty();
        }
    }

    private static LambdaRuntime start(String dynamoDbEndpoint, String table, boolean snapStart) {
        return LambdaRuntime.start(installation, environment(dynamoDbEndpoint, table),
                LambdaRuntime.defaultTimeoutSeconds(), snapStart);
    }

    private static Map<String, String> environment(String dynamoDbEndpoint, String table) {
        return Map.of(Configuration.TABLE_NAME, table, Configuration.DYNAMODB_ENDPOINT, dynamoDbEndpoint,
                Configuration.RETENTION_DAYS, "0");
    }

    /** ./invoke-local --json, in this JVM: each run has a DynamoDB Local and a table of its own. */
    private static JsonNode invokeLocal(List<String> arguments) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        List<String> withJson = new ArrayList<>(arguments);
        withJson.add(0, "--json");
        try {
            InvokeLocal.run(withJson.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8));
            return JSON.readTree(stdout.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each invocation's file, outcome, response and log lines, request ids left out (each run draws its own). */
    private static List<JsonNode> invocations(JsonNode result) {
        List<JsonNode> invocations = new ArrayList<>();
        for (JsonNode invocation : result.get("invocations")) {
            ObjectNode copy = invocation.deepCopy();
            List<String> logs = new ArrayList<>();
            invocation.get("logs").forEach(line -> logs.add(line.asText().replaceAll(" requestId=[0-9a-f-]+", "")));
            // A queue batch's messages are recorded side by side, so its lines come in the order they finish.
            Collections.sort(logs);
            copy.set("logs", JSON.valueToTree(logs));
            invocations.add(copy);
        }
        return invocations;
    }

    private static List<JsonNode> withoutTimestamps(JsonNode documents) {
        List<JsonNode> trees = new ArrayList<>();
        for (JsonNode document : documents) {
            ObjectNode copy = document.deepCopy();
            ((ObjectNode) copy.get("_aws")).remove("Timestamp");
            trees.add(copy);
        }
        // As for the log lines: a queue batch's documents come in the order its messages finish.
        trees.sort(Comparator.comparing(JsonNode::toString));
        return trees;
    }

    /** Each file's path under the task root, and the SHA-256 of its bytes. */
    static Map<String, String> filesIn(Path taskRoot) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(taskRoot)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    digests.put(taskRoot.relativize(file).toString().replace('\\', '/'), sha256(in));
                }
            }
        }
        return digests;
    }

    /** Each file entry's name in the jar, and the SHA-256 of its bytes. */
    static Map<String, String> entriesOf(Path jar) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : file.stream().filter(entry -> !entry.isDirectory()).toList()) {
                try (InputStream in = file.getInputStream(entry)) {
                    digests.put(entry.getName(), sha256(in));
                }
            }
        }
        return digests;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(in.readAllBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
