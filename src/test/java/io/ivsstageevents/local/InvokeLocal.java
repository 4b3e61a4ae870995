package io.ivsstageevents.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.Configuration;
import io.ivsstageevents.testing.LambdaRuntime;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * ./invoke-local: runs the real handler on event files against DynamoDB Local (in this process, or at
 * --endpoint), then shows each invocation's outcome and logs, the metric documents, and the table's items. With
 * --lambda-runtime the handler is the deployment artifact in Lambda's runtime (LambdaRuntime) instead of the
 * classes in this JVM, and the output is the same, so that the two can be compared. With --reconcile, one
 * reconciler run (in this JVM in either case) follows the event files, against an IVS Real-Time API endpoint such
 * as the stand-in that --ivs-stand-in starts.
 */
public final class InvokeLocal {
    private static final String USAGE = """
            usage: ./invoke-local [--json] [--verbose] [--lambda-runtime] [--endpoint URL] [--table NAME] PATH...
                   ./invoke-local [those options] --reconcile --ivs-endpoint URL [--stage ARN]...
                                  [--lookback-hours N] [--requests-per-second N] [PATH...]
                   ./invoke-local --ivs-stand-in [--port N] [--world FILE] [--page-size N]
              PATH              an event file, or a directory of them (run in file-name order)
              --json            print one JSON object on stdout: {"invocations":[...],"metrics":[...],"items":[...]}
              --verbose         also show the build's output and DynamoDB Local's configuration as it starts
              --lambda-runtime  run sam build's artifact in Lambda's Java runtime client, under the Runtime
                                Interface Emulator (no Docker): needs Go, to build the emulator
              --endpoint URL    use this DynamoDB (e.g. DynamoDB Local in a container) instead of an in-process one
              --table NAME      table name (default ivs-stage-events); created from template.yaml if missing
              --reconcile       after the event files, run the reconciler once on the same table: one more
                                invocation, with "file": null; in this JVM, also with --lambda-runtime
              --ivs-endpoint URL  the IVS Real-Time API it reads (needed by --reconcile), e.g. the stand-in's,
                                http://127.0.0.1:4599; requests are signed with AWS_ACCESS_KEY_ID etc. if set,
                                else with the stand-in's test credentials, for AWS_REGION (default us-west-2)
              --stage ARN       reconcile this stage (repeatable); default: every stage ListStages returns
              --lookback-hours N  read sessions that ended in the last N hours (default 87600, ten years, so that
                                the stand-in's sample world, from March 2026, is read; deployed, the default is 24)
              --requests-per-second N  the reconciler's API budget (default 1, as deployed; the stand-in, like
                                the service, throttles above 5 per second per operation)
              --ivs-stand-in    instead, start the IVS Real-Time stand-in in the foreground until Ctrl-C: port 4599
                                and world src/test/resources/ivs/sample-world.json unless given; --page-size caps
                                its pages (default 100), to make the reconciler page""";
    /** Long enough for every session the stand-in's sample world holds, whatever the date of the run. */
    private static final String DEFAULT_LOOKBACK_HOURS = "87600";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("--ivs-stand-in")) {
            IvsRealTimeStandIn.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // Everything the runner and DynamoDB Local say goes to stderr: with --json, stdout is the JSON alone.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int status = run(args, stdout);
        stdout.flush();
        System.exit(status);
    }

    /** In this process's environment. */
    public static int run(String[] args, PrintStream stdout) throws IOException {
        return run(args, System.getenv(), stdout);
    }

    /**
     * The exit status: 0 if every invocation succeeded, 1 if one failed, 2 for a usage error. environment: where
     * --reconcile takes the credentials and region it signs with (AWS_*).
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream stdout) throws IOException {
        boolean json = false;
        boolean verbose = false;
        boolean lambdaRuntime = false;
        URI endpoint = null;
        String table = "ivs-stage-events";
        List<Path> files = new ArrayList<>();
        boolean reconcile = false;
        URI ivsEndpoint = null;
        List<String> stages = new ArrayList<>();
        Map<String, String> reconcilerEnvironment = new HashMap<>();
        AwsCredentials credentials = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--json" -> json = true;
                    case "--verbose" -> verbose = true;
                    case "--lambda-runtime" -> lambdaRuntime = true;
                    case "--endpoint" -> endpoint = URI.create(argument(args, ++i));
                    case "--table" -> table = argument(args, ++i);
                    case "--reconcile" -> reconcile = true;
                    case "--ivs-endpoint" -> ivsEndpoint = URI.create(argument(args, ++i));
                    case "--stage" -> stages.add(argument(args, ++i));
                    case "--lookback-hours" -> reconcilerEnvironment.put(
                            Configuration.RECONCILIATION_LOOKBACK_HOURS, positive(args, ++i));
                    case "--requests-per-second" -> reconcilerEnvironment.put(
                            Configuration.RECONCILIATION_REQUESTS_PER_SECOND, positive(args, ++i));
                    case "-h", "--help" -> {
                        stdout.println(USAGE);
                        return 0;
                    }
                    default -> files.addAll(eventFiles(Path.of(args[i])));
                }
            }
            if (reconcile && ivsEndpoint == null) {
                throw new UsageException("--reconcile needs --ivs-endpoint URL");
            }
            if (!reconcile && (ivsEndpoint != null || !stages.isEmpty() || !reconcilerEnvironment.isEmpty())) {
                // Said, rather than ignored: without --reconcile nothing would read the API.
                throw new UsageException("--ivs-endpoint, --stage, --lookback-hours and --requests-per-second"
                        + " go with --reconcile");
            }
            if (files.isEmpty() && !reconcile) {
                throw new UsageException("no event files given");
            }
            if (reconcile) {
                reconcilerEnvironment.putIfAbsent(Configuration.RECONCILIATION_LOOKBACK_HOURS, DEFAULT_LOOKBACK_HOURS);
                reconcilerEnvironment.put(Configuration.RECONCILIATION_STAGE_ARNS, String.join(",", stages));
                reconcilerEnvironment.put(Configuration.AWS_REGION, LocalReconciler.regionFrom(environment));
                credentials = LocalReconciler.credentialsFrom(environment);
            }
        } catch (UsageException | IllegalStateException e) {
            System.err.println("invoke-local: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }

        LocalDynamoDb embedded = endpoint == null ? startDynamoDbLocal(verbose) : null;
        DynamoDbClient dynamoDb = embedded != null ? embedded.client() : LocalDynamoDb.clientFor(endpoint);
        try {
            createTableIfMissing(embedded, dynamoDb, table);
            URI functionEndpoint = embedded != null ? embedded.endpoint() : endpoint;
            ObjectNode result;
            try (Target target = lambdaRuntime ? new RuntimeTarget(functionEndpoint, table)
                    : new InProcessTarget(new LocalFunction(dynamoDb, table));
                 LocalReconciler reconciler = reconcile ? new LocalReconciler(dynamoDb, table, ivsEndpoint,
                         reconcilerEnvironment, Clock.systemUTC(), credentials) : null) {
                result = run(target, reconciler, dynamoDb, table, files);
            }
            if (json) {
                stdout.println(JSON.writeValueAsString(result));
            } else {
                printForPeople(stdout, result);
            }
            for (JsonNode invocation : result.get("invocations")) {
                if (!invocation.get("ok").booleanValue()) {
                    return 1;
                }
            }
            return 0;
        } finally {
            if (embedded != null) {
                embedded.stop();
            } else {
                dynamoDb.close();
            }
        }
    }

    /**
     * DynamoDB Local prints its configuration on stdout as it starts: noise before the answer, so it is shown only
     * with --verbose, or when the server fails to start.
     */
    private static LocalDynamoDb startDynamoDbLocal(boolean verbose) {
        if (verbose) {
            return LocalDynamoDb.start();
        }
        PrintStream out = System.out;
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        System.setOut(new PrintStream(banner, true, StandardCharsets.UTF_8));
        try {
            return LocalDynamoDb.start();
        } catch (RuntimeException e) {
            out.print(banner.toString(StandardCharsets.UTF_8));
            throw e;
        } finally {
            System.setOut(out);
        }
    }

    /** reconciler: null without --reconcile. */
    private static ObjectNode run(Target function, LocalReconciler reconciler, DynamoDbClient dynamoDb,
                                  String table, List<Path> files) throws IOException {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode invocations = result.putArray("invocations");
        for (Path file : files) {
            byte[] event = Files.readAllBytes(file);
            invoke(invocations.addObject().put("file", file.toString()), () -> function.invoke(event),
                    function::logLines);
        }
        List<String> documents = new ArrayList<>(function.metrics());
        if (reconciler != null) {
            invoke(invocations.addObject().putNull("file").put("reconciliation", reconciler.ivsEndpoint().toString()),
                    reconciler::run, reconciler::logLines);
            documents.addAll(reconciler.metrics());
        }
        ArrayNode metrics = result.putArray("metrics");
        for (String document : documents) {
            metrics.add(JSON.readTree(document));
        }
        ArrayNode items = result.putArray("items");
        List<Map<String, AttributeValue>> all = new ArrayList<>(LocalDynamoDb.allItemsOf(dynamoDb, table));
        all.sort(Comparator.comparing((Map<String, AttributeValue> item) -> item.get("pk").s())
                .thenComparing(item -> item.get("sk").s()));
        all.forEach(item -> items.add(PlainItems.toJson(item)));
        function.describe(result);
        return result;
    }

    /** Fills in the invocation's outcome, its response, and the log lines it wrote. */
    private static void invoke(ObjectNode invocation, Supplier<String> call, Supplier<List<String>> logLines)
            throws IOException {
        int logsBefore = logLines.get().size();
        try {
            String response = call.get();
            invocation.put("ok", true);
            invocation.putNull("error");
            if (!response.isEmpty()) {
                invocation.set("response", JSON.readTree(response));
            }
        } catch (FunctionError e) {
            invocation.put("ok", false);
            invocation.put("error", e.getMessage());
        } catch (RuntimeException e) {
            invocation.put("ok", false);
            invocation.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        ArrayNode logs = invocation.putArray("logs");
        List<String> lines = logLines.get();
        lines.subList(logsBefore, lines.size()).forEach(logs::add);
    }

    private static void printForPeople(PrintStream out, ObjectNode result) throws IOException {
        ObjectMapper pretty = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);
        out.println("== Invocations");
        for (JsonNode invocation : result.get("invocations")) {
            String what = invocation.get("file").isNull()
                    ? "reconciliation against " + invocation.get("reconciliation").asText()
                    : invocation.get("file").asText();
            out.println((invocation.get("ok").booleanValue() ? "OK     " : "FAILED ") + what
                    + (invocation.get("ok").booleanValue() ? "" : "  -> " + invocation.get("error").asText()));
            for (JsonNode line : invocation.get("logs")) {
                out.println("         log: " + line.asText());
            }
            if (invocation.has("response")) {
                out.println("         response: " + invocation.get("response"));
            }
        }
        out.println();
        out.println("== Metric documents (CloudWatch Embedded Metric Format), " + result.get("metrics").size());
        for (JsonNode document : result.get("metrics")) {
            out.println(document);
        }
        if (result.has("lambdaRuntime")) {
            out.println();
            out.println("== Lambda runtime (RIE + Java runtime interface client)");
            out.println("init: " + result.get("lambdaRuntime").get("initDurationMs") + " ms");
            result.get("lambdaRuntime").get("reports").forEach(report -> out.println(report.asText()));
        }
        out.println();
        out.println("== Items in the table, " + result.get("items").size());
        for (JsonNode item : result.get("items")) {
            out.println(pretty.writeValueAsString(item));
        }
    }

    private static void createTableIfMissing(LocalDynamoDb embedded, DynamoDbClient dynamoDb, String table) {
        try {
            (embedded != null ? embedded : LocalDynamoDb.wrapping(dynamoDb)).createTable(table);
        } catch (ResourceInUseException exists) {
            // An existing table (at --endpoint) is used as it is.
        }
    }

    private static List<Path> eventFiles(Path path) {
        if (!Files.exists(path)) {
            throw new UsageException("no such file or directory: " + path);
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> children = Files.list(path)) {
            return children.filter(child -> child.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String positive(String[] args, int index) {
        String value = argument(args, index);
        try {
            double number = Double.parseDouble(value);
            if (number > 0 && !Double.isInfinite(number)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Said below, as for a number out of range.
        }
        throw new UsageException(args[index - 1] + " needs a number above 0, not " + value);
    }

    private static String argument(String[] args, int index) {
        if (index >= args.length) {
            throw new UsageException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    /** What the runner needs of a function: the handler in this JVM, or the artifact in Lambda's runtime. */
    private interface Target extends AutoCloseable {
        /** The response; a failed invocation throws. */
        String invoke(byte[] event);

        /** The function's log lines so far, in order. */
        List<String> logLines();

        /** The metric documents so far, in order. */
        List<String> metrics();

        /** Adds what the target knows beyond the invocations. */
        default void describe(ObjectNode result) {
        }

        @Override
        default void close() {
        }
    }

    private record InProcessTarget(LocalFunction function) implements Target {
        public String invoke(byte[] event) {
            return function.invoke(event);
        }

        public List<String> logLines() {
            return function.logLines();
        }

        public List<String> metrics() {
            return function.metrics();
        }
    }

    /**
     * The runtime's stdout between START and REPORT holds the function's log lines and metric documents and, for a
     * failed invocation, the runtime client's report of it; the first two are taken, in the shapes Log and EmfDocument
     * give them.
     */
    private static final class RuntimeTarget implements Target {
        private static final Pattern LOG_LINE = Pattern.compile("^(DEBUG|INFO|WARN|ERROR) ");

        private final LambdaRuntime runtime;
        private final List<String> logLines = new ArrayList<>();
        private final List<String> metrics = new ArrayList<>();
        private final List<String> reports = new ArrayList<>();

        RuntimeTarget(URI dynamoDbEndpoint, String table) {
            this.runtime = LambdaRuntime.start(LambdaRuntime.Installation.fromSystemProperties(),
                    Map.of(Configuration.TABLE_NAME, table,
                            Configuration.DYNAMODB_ENDPOINT, dynamoDbEndpoint.toString(),
                            Configuration.RETENTION_DAYS, "0"),
                    LambdaRuntime.defaultTimeoutSeconds(), false);
        }

        public String invoke(byte[] event) {
            LambdaRuntime.Invocation invocation = runtime.invoke(event);
            for (String line : invocation.output()) {
                if (line.startsWith("{")) {
                    metrics.add(line);
                } else if (LOG_LINE.matcher(line).find()) {
                    logLines.add(line);
                }
            }
            reports.add(invocation.output().get(invocation.output().size() - 1));
            if (invocation.isFunctionError()) {
                String type = invocation.errorType();
                throw new FunctionError(type.substring(type.lastIndexOf('.') + 1) + ": " + invocation.errorMessage());
            }
            if (invocation.status() != 200) {
                throw new FunctionError("HTTP " + invocation.status() + ": " + invocation.body());
            }
            return invocation.body();
        }

        public List<String> logLines() {
            return logLines;
        }

        public List<String> metrics() {
            return metrics;
        }

        public void describe(ObjectNode result) {
            ObjectNode described = result.putObject("lambdaRuntime");
            runtime.initDurationMillis().ifPresent(millis -> described.put("initDurationMs", millis));
            reports.forEach(described.putArray("reports")::add);
        }

        public void close() {
            runtime.close();
        }
    }

    /** A failed invocation in Lambda's runtime, described as the in-process runner describes an exception. */
    private static final class FunctionError extends RuntimeException {
        FunctionError(String description) {
            super(description);
        }
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
