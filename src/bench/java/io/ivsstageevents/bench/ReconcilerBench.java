package io.ivsstageevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.IvsWorld;
import io.ivsstageevents.testing.ivs.LargeSession;
import io.ivsstageevents.testing.ivs.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reconciler's cost for one ended session: IVS API requests by operation, throttles, the rate
 * actually sent, wall time, DynamoDB requests and capacity, log bytes, and what that costs on Lambda.
 *
 * <p>The subject is the function's shaded jar in a fresh JVM ({@code ReconcilerSubject}: the no-argument
 * {@code ReconciliationHandler}, as Lambda builds it, configured only through its environment), against the IVS
 * Real-Time stand-in (loopback, SigV4 checked, 5 requests per second per operation) and DynamoDB Local, both in
 * this process. DynamoDB requests are counted by a global SDK interceptor the subject's jar adds; API requests
 * from the stand-in's log of what it received.
 *
 * <p>The world: one stage with one session that ended ten minutes ago ({@code participants} participants of
 * {@code events} events each: joined, publish and subscribe started, a token exchange, replication started and
 * stopped, publish stopped, left) and two older sessions, and three more stages whose sessions ended days ago or
 * are still live: the listing every run pays. Each rate gets a new table and a new stand-in; the subject invokes
 * the handler twice, the second time finding nothing new.
 */
public final class ReconcilerBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT_STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/";
    private static final String MAIN_STAGE = ACCOUNT_STAGE + "BenchMain0001";
    private static final String MAIN_SESSION = "st-BenchMainS001";
    private static final String DESTINATION_STAGE = ACCOUNT_STAGE + "BenchDest0001";
    private static final String DESTINATION_SESSION = "st-BenchDestS001";
    private static final String LARGE_SESSION = "st-BenchLargeS01";
    private static final int LARGE_PARTICIPANTS = 10_000;
    private static final int LARGE_PUBLISHERS = 12;
    /** Requests a second for the large session: the figures, not the time, are what is measured. */
    private static final int LARGE_RATE = 1_000;
    /** What a run may spend: the template's 300 s timeout less the reconciler's stop margin. */
    private static final int RUN_SECONDS = 260;
    private static final List<String> OPERATIONS = List.of("ListStages", "ListStageSessions", "ListParticipants",
            "ListParticipantEvents");
    /** Events per participant the reconciler records (token exchange, replication started and stopped). */
    private static final int RECORDED_PER_PARTICIPANT = 3;
    private static final Pattern RUN_LINE = Pattern.compile(
            "BENCH run=(\\d) ms=([0-9.]+) logBytes=(\\d+) answer=(\\{.*?\\}) ddb (.*)");
    private static final Pattern RECONCILED_LINE = Pattern.compile(
            "eventsRead=(\\d+) .*unrecognized=(\\d+) invalid=(\\d+)");
    private static final Pattern INIT_LINE = Pattern.compile("BENCH init ms=([0-9.]+) logBytes=(\\d+) ddb (.*)");

    // Prices as docs/DEPLOYMENT.md quotes them ("What it costs"): US East, on demand, November 2026.
    static final double LAMBDA_GB_SECOND = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final double WRITE_UNIT = 0.625 / 1e6;
    static final double READ_UNIT = 0.125 / 1e6;
    static final double LOG_GB = 0.50;
    static final double MEMORY_GB = 512 / 1024.0;

    private final Path out;
    private final Path lambdaJar;
    private final List<Double> rates;
    private final List<Double> deliveredRates;
    private final int participants;
    private final int eventsPerParticipant;
    private final boolean quick;
    private final String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmOptions = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "-Xmx384m");
    private final StringBuilder report = new StringBuilder();
    private Path subjectJar;

    /** What one rate's run measured. */
    private record Measured(double rate, boolean delivered, List<RecordedRequest> requests, int firstRunRequests, double initMillis,
                            List<Invocation> invocations, long hwmKiB, long ledgerItems, long backfilled,
                            long eventsRead) {
    }

    /** One handleRequest of the subject; ddb holds its DynamoDB counts, this invocation's only. */
    private record Invocation(double millis, long logBytes, JsonNode answer, Ddb ddb) {
    }

    /** DynamoDB requests by operation, capacity units, and puts with their units by the item type written. */
    private record Ddb(Map<String, Double> calls, Map<String, Double> attempts, Map<String, Double> failures,
                       double wru, double rru, Map<String, Double> puts, Map<String, Double> putUnits) {
        static Ddb parse(String text) {
            String[] parts = text.trim().split(" ");
            return new Ddb(counts(parts[1]), counts(parts[3]), counts(parts[5]), Double.parseDouble(parts[7]),
                    Double.parseDouble(parts[9]), counts(parts[11]), counts(parts[13]));
        }

        private static Map<String, Double> counts(String text) {
            Map<String, Double> counts = new TreeMap<>();
            if (!text.equals("-")) {
                for (String pair : text.split(",")) {
                    String[] kv = pair.split("=");
                    counts.put(kv[0], Double.parseDouble(kv[1]));
                }
            }
            return counts;
        }

        Ddb minus(Ddb before) {
            return new Ddb(diff(calls, before.calls), diff(attempts, before.attempts),
                    diff(failures, before.failures), wru - before.wru, rru - before.rru, diff(puts, before.puts),
                    diff(putUnits, before.putUnits));
        }

        private static Map<String, Double> diff(Map<String, Double> after, Map<String, Double> before) {
            Map<String, Double> diff = new TreeMap<>();
            after.forEach((key, count) -> {
                double d = count - before.getOrDefault(key, 0.0);
                if (d != 0) {
                    diff.put(key, d);
                }
            });
            return diff;
        }

        String putsText() {
            return puts.keySet().stream().map(type -> String.format(Locale.ROOT, "%s %.0f (%.0f)", type,
                    puts.get(type), putUnits.getOrDefault(type, 0.0))).collect(Collectors.joining(", "));
        }

        long totalCalls() {
            return Math.round(calls.values().stream().mapToDouble(Double::doubleValue).sum());
        }

        String callsText() {
            return calls.isEmpty() ? "none" : calls.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }

    private ReconcilerBench(Map<String, String> options) {
        this.out = Path.of(options.getOrDefault("out", "target/bench"));
        this.lambdaJar = Path.of(options.getOrDefault("lambda-jar", "target/ivs-stage-events-1.0.0-lambda.jar"));
        this.quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        this.rates = List.of(options.getOrDefault("rates", quick ? "4" : "1,4").split(",")).stream()
                .map(Double::parseDouble).toList();
        this.deliveredRates = List.of(options.getOrDefault("delivered-rates", quick ? "" : "4").split(",")).stream()
                .filter(rate -> !rate.isBlank()).map(Double::parseDouble).toList();
        this.participants = Integer.parseInt(options.getOrDefault("participants", "100"));
        this.eventsPerParticipant = 8;
    }

    public static void main(String[] args) throws Exception {
        new ReconcilerBench(BenchMain.options(args)).run();
    }

    private void run() throws Exception {
        Files.createDirectories(out.resolve("runs"));
        buildSubjectJar();
        LocalDynamoDb dynamoDb = LocalDynamoDb.start();
        List<Measured> measured = new ArrayList<>();
        List<Large> large = new ArrayList<>();
        try {
            for (double rate : rates) {
                measured.add(measure(dynamoDb, rate, false));
                System.err.printf(Locale.ROOT, "reconciler: %s requests/s done%n", number(rate));
            }
            for (double rate : deliveredRates) {
                measured.add(measure(dynamoDb, rate, true));
                System.err.printf(Locale.ROOT, "reconciler: %s requests/s, events delivered before, done%n",
                        number(rate));
            }
            for (String coverage : quick ? List.of("Adaptive") : List.of("Adaptive", "All")) {
                large.add(measureLarge(dynamoDb, coverage));
                System.err.printf(Locale.ROOT, "reconciler: a session of %,d, coverage %s, done%n",
                        LARGE_PARTICIPANTS, coverage);
            }
        } finally {
            dynamoDb.stop();
        }
        report(measured);
        reportLarge(large, measured);
        Files.writeString(out.resolve("reconciler.md"), report);
        System.out.print(report);
    }

    /** The subject's classes and the resource that makes the SDK add the counting interceptor to every client. */
    private void buildSubjectJar() {
        Path testClasses = Path.of(System.getProperty("java.class.path").split(File.pathSeparator)[0]);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("test-classes")) {
                testClasses = Path.of(entry);
            }
        }
        subjectJar = out.resolve("jars").resolve("reconciler-subject.jar");
        new JarAssembly().addClasses(testClasses, "io/ivsstageevents/bench/reconciler/")
                .addEntry("software/amazon/awssdk/global/handlers/execution.interceptors",
                        "io.ivsstageevents.bench.reconciler.DynamoDbRequests\n".getBytes(StandardCharsets.UTF_8))
                .write(subjectJar);
    }

    // ---- one rate -------------------------------------------------------------------------------------------

    /**
     * One run of the subject at the rate. Delivered: the session's token exchanges and replications are first
     * recorded in EventBridge's form through the event function, as when nothing was lost, so that the reconciler
     * finds every one in the ledger and merges its API form in (the common case: every session is read once).
     */
    private Measured measure(LocalDynamoDb dynamoDb, double rate, boolean delivered)
            throws IOException, InterruptedException {
        String table = "bench-reconciler-" + UUID.randomUUID();
        dynamoDb.createTable(table);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String label = "reconciler-" + number(rate) + (delivered ? "-delivered" : "");
        if (delivered) {
            LocalFunction function = new LocalFunction(dynamoDb.client(), table);
            for (ObjectNode event : eventBridgeForms(sessionStart(now))) {
                function.invoke(SampleEvents.bytes(event));
            }
        }
        try (IvsRealTimeStandIn standIn = IvsRealTimeStandIn.builder()
                .world(world(now))
                .credentials(AwsSessionCredentials.create("local", "local", "local"))
                .region(LocalDynamoDb.REGION)
                .start()) {
            Path stdout = runSubject(label, lambdaEnvironment(table, dynamoDb, standIn, rate));
            Measured measured = parse(rate, delivered, stdout, standIn.requests(), dynamoDb, table);
            writeRequestLog(label, measured.requests());
            dynamoDb.client().deleteTable(request -> request.tableName(table));
            return measured;
        }
    }

    /** The subject in a fresh JVM with that environment; its stdout, once it has exited well. */
    private Path runSubject(String label, Map<String, String> environment) throws IOException, InterruptedException {
        Path stdout = out.resolve("runs").resolve(label + ".out");
        Path stderr = out.resolve("runs").resolve(label + ".err");
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", lambdaJar + File.pathSeparator + subjectJar,
                "io.ivsstageevents.bench.reconciler.ReconcilerSubject"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within 600 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " exited " + process.exitValue() + ":\n"
                    + Files.readString(stderr) + Files.readString(stdout));
        }
        return stdout;
    }

    /** What Lambda gives the function, and the reconciler's own four variables (template.yaml). */
    private static Map<String, String> lambdaEnvironment(String table, LocalDynamoDb dynamoDb,
                                                         IvsRealTimeStandIn standIn, double rate) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.put("AWS_REGION", LocalDynamoDb.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ivs-stage-events-reconciler-bench");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("TABLE_NAME", table);
        env.put("DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString());
        env.put("RETENTION_DAYS", "0");
        env.put("LOG_LEVEL", "INFO");
        env.put("RECONCILIATION_STAGE_ARNS", "");
        env.put("RECONCILIATION_LOOKBACK_HOURS", "24");
        env.put("RECONCILIATION_REQUESTS_PER_SECOND", number(rate));
        env.put("IVS_ENDPOINT", standIn.endpoint().toString());
        return env;
    }

    private Measured parse(double rate, boolean delivered, Path stdout, List<RecordedRequest> requests, LocalDynamoDb dynamoDb,
                           String table) throws IOException {
        Runs runs = runs(stdout);
        double initMillis = runs.initMillis();
        long hwm = runs.hwmKiB();
        List<Invocation> invocations = runs.invocations();
        long backfilled = 0;
        long eventsRead = -1;
        int runsSeen = 0;
        for (String line : Files.readAllLines(stdout)) {
            if (RUN_LINE.matcher(line).matches()) {
                runsSeen++;
            } else if (line.contains("session reconciled")) {
                Matcher counts = RECONCILED_LINE.matcher(line);
                if (!counts.find() || !counts.group(2).equals("0") || !counts.group(3).equals("0")) {
                    throw new IllegalStateException("events unrecognized or invalid: " + line);
                }
                eventsRead = Long.parseLong(counts.group(1));
            } else if (line.startsWith("{") && line.contains("\"EventsBackfilled\"") && runsSeen == 0) {
                backfilled += JSON.readTree(line).path("EventsBackfilled").asLong();
            }
        }
        if (invocations.size() != 2) {
            throw new IllegalStateException("the subject reported " + invocations.size() + " runs, not 2: " + stdout);
        }
        JsonNode first = invocations.get(0).answer();
        if (!first.path("complete").asBoolean() || first.path("sessionsReconciled").asLong() != 1) {
            throw new IllegalStateException("the first run did not reconcile the one session: " + first);
        }
        long ledger = 0;
        for (Map<String, AttributeValue> item : LocalDynamoDb.allItemsOf(dynamoDb.client(), table)) {
            AttributeValue type = item.get(TableDesign.ITEM_TYPE);
            if (type != null && TableDesign.EVENT.equals(type.s())) {
                ledger++;
            }
        }
        long expected = (long) participants * RECORDED_PER_PARTICIPANT;
        if (ledger != expected || backfilled != (delivered ? 0 : expected)) {
            throw new IllegalStateException("expected " + expected + " ledger items, " + (delivered ? 0 : expected)
                    + " backfilled; found " + ledger + " in the table and " + backfilled + " in EventsBackfilled");
        }
        int firstRunRequests = (int) first.path("apiRequests").asLong();
        return new Measured(rate, delivered, requests, firstRunRequests, initMillis, invocations, hwm, ledger, backfilled,
                eventsRead);
    }

    /** The subject's init and runs, as its BENCH lines report them; each run's DynamoDB counts its own. */
    private record Runs(double initMillis, List<Invocation> invocations, long hwmKiB) {
    }

    private static Runs runs(Path stdout) throws IOException {
        double initMillis = -1;
        Ddb previous = null;
        long hwm = -1;
        List<Invocation> invocations = new ArrayList<>();
        for (String line : Files.readAllLines(stdout)) {
            Matcher init = INIT_LINE.matcher(line);
            Matcher run = RUN_LINE.matcher(line);
            if (init.matches()) {
                initMillis = Double.parseDouble(init.group(1));
                previous = Ddb.parse(init.group(3));
            } else if (run.matches()) {
                Ddb now = Ddb.parse(run.group(5));
                invocations.add(new Invocation(Double.parseDouble(run.group(2)), Long.parseLong(run.group(3)),
                        JSON.readTree(run.group(4)), now.minus(previous)));
                previous = now;
            } else if (line.startsWith("BENCH hwmKiB=")) {
                hwm = Long.parseLong(line.substring("BENCH hwmKiB=".length()));
            }
        }
        return new Runs(initMillis, invocations, hwm);
    }

    private void writeRequestLog(String label, List<RecordedRequest> requests) throws IOException {
        StringBuilder tsv = new StringBuilder("ms_from_first\toperation\tstatus\tbody\n");
        long first = requests.isEmpty() ? 0 : requests.get(0).receivedNanos();
        for (RecordedRequest request : requests) {
            tsv.append(String.format(Locale.ROOT, "%.1f\t%s\t%d\t%s%n", (request.receivedNanos() - first) / 1e6,
                    request.operation(), request.status(), request.body()));
        }
        Files.writeString(out.resolve(label + "-requests.tsv"), tsv);
    }

    // ---- a session the size IVS sells a stage for ----------------------------------------------------------

    /** One run of the subject over the large session with a coverage, and what it cost. */
    private record Large(String coverage, Map<String, Long> requests, Invocation first, long logBytes,
                         JsonNode marker) {
        long total() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The subject over one ended session of {@value #LARGE_PARTICIPANTS} participants, {@value #LARGE_PUBLISHERS}
     * of them publishing ({@code LargeSession}), with a coverage, at a rate far above the service's (the stand-in's
     * quota raised to match): the requests and DynamoDB figures are those of any rate, the time at 1 and 4
     * requests/s is computed from them (10,000 requests at 1/s would take close to three hours).
     */
    private Large measureLarge(LocalDynamoDb dynamoDb, String coverage) throws IOException, InterruptedException {
        String table = "bench-reconciler-" + UUID.randomUUID();
        dynamoDb.createTable(table);
        IvsWorld world = new IvsWorld();
        LargeSession.put(world, MAIN_STAGE, LARGE_SESSION, LARGE_PARTICIPANTS, LARGE_PUBLISHERS, 7);
        try (IvsRealTimeStandIn standIn = IvsRealTimeStandIn.builder().world(world)
                .credentials(AwsSessionCredentials.create("local", "local", "local"))
                .region(LocalDynamoDb.REGION).quotaPerSecond(LARGE_RATE).start()) {
            Map<String, String> environment = lambdaEnvironment(table, dynamoDb, standIn, LARGE_RATE);
            environment.put("RECONCILIATION_COVERAGE", coverage);
            // The session ended on the sample world's day: a lookback that reaches it.
            environment.put("RECONCILIATION_LOOKBACK_HOURS", "87600");
            Path stdout = runSubject("reconciler-large-" + coverage, environment);
            Runs runs = runs(stdout);
            JsonNode answer = runs.invocations().get(0).answer();
            if (!answer.path("complete").asBoolean() || answer.path("sessionsReconciled").asLong() != 1) {
                throw new IllegalStateException("the large session was not read in one run: " + answer);
            }
            JsonNode marker = null;
            for (Map<String, AttributeValue> item : LocalDynamoDb.allItemsOf(dynamoDb.client(), table)) {
                if (TableDesign.RECONCILED_SESSION.equals(item.get(TableDesign.ITEM_TYPE).s())) {
                    marker = JSON.createObjectNode().put("coverage", item.get("coverage").s())
                            .put("participantsRead", Long.parseLong(item.get("participantsRead").n()))
                            .put("participantsSkipped", Long.parseLong(item.get("participantsSkipped").n()))
                            .put("eventsRead", Long.parseLong(item.get("eventsRead").n()))
                            .put("eventsBackfilled", Long.parseLong(item.get("eventsBackfilled").n()));
                }
            }
            int firstRun = (int) answer.path("apiRequests").asLong();
            dynamoDb.client().deleteTable(request -> request.tableName(table));
            return new Large(coverage, byOperation(standIn.requests().subList(0, firstRun)),
                    runs.invocations().get(0), runs.invocations().get(0).logBytes(), marker);
        }
    }

    /**
     * Both coverages side by side; time at a rate = (requests − 1) ÷ rate, as measured for the small session; runs
     * of {@value #RUN_SECONDS} s (the 300 s timeout less the stop margin) every 15 minutes (the default schedule).
     */
    private void reportLarge(List<Large> large, List<Measured> measured) {
        line("## The reconciler: one ended session of %,d participants, %d of them publishing, by coverage",
                LARGE_PARTICIPANTS, LARGE_PUBLISHERS);
        line("");
        line("`LargeSession`: publishers scattered through the list, each with a token exchange, two of them");
        line("replicating (a start and a stop); an audience that joins, subscribes and leaves, %d of whom exchange a",
                LargeSession.AUDIENCE_EXCHANGES);
        line("token without publishing. Measured at %d requests/s against the stand-in (quota raised to match, pages",
                LARGE_RATE);
        line("of 100): requests and DynamoDB figures are those of any rate. **Times at 1 and 4 requests/s are");
        line("computed** as (requests − 1) ÷ rate, not run (the session at 1/s with All would take hours); runs of");
        line("%d s every 15 minutes.", RUN_SECONDS);
        line("");
        line("| figure | %s |", large.stream().map(Large::coverage).collect(Collectors.joining(" | ")));
        line("|---|%s", "---|".repeat(large.size()));
        lineLarge(large, "API requests, " + String.join(" / ", OPERATIONS), l -> sequence(l.requests()));
        lineLarge(large, "marker: coverage; participants read / skipped", l -> l.marker().get("coverage").asText()
                + "; " + l.marker().get("participantsRead") + " / " + l.marker().get("participantsSkipped"));
        lineLarge(large, "events read / backfilled", l -> l.marker().get("eventsRead") + " / "
                + l.marker().get("eventsBackfilled"));
        lineLarge(large, "DynamoDB requests", l -> l.first().ddb().totalCalls() + ": " + l.first().ddb().callsText());
        lineLarge(large, "write / read capacity units", l -> String.format(Locale.ROOT, "%.0f / %.0f",
                l.first().ddb().wru() + failedWrites(l.first().ddb()), l.first().ddb().rru()));
        lineLarge(large, "measured wall time at " + LARGE_RATE + "/s, s", l -> String.format(Locale.ROOT, "%.1f",
                l.first().millis() / 1000));
        for (double rate : List.of(1.0, 4.0)) {
            lineLarge(large, "at " + number(rate) + " request" + (rate == 1 ? "" : "s") + "/s: time, runs, calendar",
                    l -> {
                        double seconds = (l.total() - 1) / rate;
                        long runs = (long) Math.ceil(seconds / RUN_SECONDS);
                        return String.format(Locale.ROOT, "%s, %d run%s, %s", duration(seconds), runs,
                                runs == 1 ? "" : "s", runs <= 1 ? "one run" : duration(runs * 900.0));
                    });
            lineLarge(large, "at " + number(rate) + "/s: cost per session (Lambda + DynamoDB + logs)", l -> {
                double seconds = (l.total() - 1) / rate;
                long runs = (long) Math.ceil(seconds / RUN_SECONDS);
                double lambda = MEMORY_GB * seconds * LAMBDA_GB_SECOND + runs * LAMBDA_REQUEST;
                double dynamo = (l.first().ddb().wru() + failedWrites(l.first().ddb())) * WRITE_UNIT
                        + l.first().ddb().rru() * READ_UNIT;
                return String.format(Locale.ROOT, "$%.5f", lambda + dynamo + l.logBytes() / 1e9 * LOG_GB);
            });
        }
        line("");
        thousandStages(measured);
    }

    /**
     * An account with 1,000 stages, each with one ended session to read, at the default 1 request/s: computed from
     * the measured seconds per request of the small session at 1/s (or the slowest rate measured).
     */
    private void thousandStages(List<Measured> measured) {
        Measured slowest = measured.stream().filter(m -> !m.delivered())
                .min(java.util.Comparator.comparingDouble(Measured::rate)).orElseThrow();
        double perRequest = slowest.invocations().get(0).millis() / 1000 / slowest.firstRunRequests();
        line("### An account with 1,000 stages, at %s request%s/s", number(slowest.rate()),
                slowest.rate() == 1 ? "" : "s");
        line("");
        line("Computed, not run: %.3f s a request, measured above (run 1 of the %d-participant session at %s/s,",
                perRequest, participants, number(slowest.rate()));
        line("its wall time ÷ its requests). A pass lists the stages (10 pages of ListStages) and each stage's sessions");
        line("(1,000 ListStageSessions); each session then costs one ListParticipants page per 100 participants and,");
        line("for each participant read, its pages of events. Runs of %d s every 15 minutes.", RUN_SECONDS);
        line("");
        line("| each stage's ended session | requests | time | runs | until every session is reconciled |");
        line("|---|---|---|---|---|");
        long listing = 10 + 1_000;
        for (long[] shape : new long[][] {{10, 10}, {100, 100}, {10_000, LARGE_PUBLISHERS}, {10_000, 10_000}}) {
            long requests = listing + 1_000 * (pages(shape[0]) + shape[1]);
            double seconds = requests * perRequest;
            long runs = (long) Math.ceil(seconds / RUN_SECONDS);
            line("| %,d participants, %s | %,d | %s | %,d | %s |", shape[0], shape[1] == shape[0]
                            ? "read whole" : "Adaptive: " + shape[1] + " publishers read", requests, duration(seconds),
                    runs, duration(runs * 900.0));
        }
        line("");
    }

    private static String duration(double seconds) {
        return seconds < 120 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : seconds < 7_200 ? String.format(Locale.ROOT, "%.0f min", seconds / 60)
                : String.format(Locale.ROOT, "%.1f h", seconds / 3_600);
    }

    private interface LargeCell {
        String of(Large large);
    }

    private void lineLarge(List<Large> large, String figure, LargeCell cell) {
        line("| %s | %s |", figure, large.stream().map(cell::of).collect(Collectors.joining(" | ")));
    }

    // ---- the world ------------------------------------------------------------------------------------------

    /** Stages in listing order with, per stage, its sessions newest first: ended time, or null while live. */
    private record StageShape(String arn, List<Instant> sessionEnds) {
    }

    private List<StageShape> shapes(Instant now) {
        Instant daysAgo = now.minus(Duration.ofDays(2));
        return List.of(
                new StageShape(MAIN_STAGE, List.of(now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofHours(36)),
                        now.minus(Duration.ofHours(60)))),
                new StageShape(DESTINATION_STAGE, List.of(daysAgo)),
                new StageShape(ACCOUNT_STAGE + "BenchIdle0001", List.of(daysAgo, daysAgo.minus(Duration.ofDays(1)))),
                new StageShape(ACCOUNT_STAGE + "BenchLive0001", java.util.Arrays.asList(null, daysAgo)));
    }

    /** The measured session's start: it ran 65 minutes and ended 10 minutes before now (shapes). */
    private static Instant sessionStart(Instant now) {
        return now.minus(Duration.ofMinutes(10)).minus(Duration.ofMinutes(65));
    }

    private static Instant joined(Instant sessionStart, int participant) {
        return sessionStart.plusSeconds(10L * participant).plusMillis(137);
    }

    private static String participantId(int participant) {
        return String.format(Locale.ROOT, "bp%010d", participant);
    }

    /**
     * EventBridge's form of the session's token exchanges and replications: whole seconds and no previous token,
     * as EventBridge carries them (the API's form adds both; the reconciler merges them in).
     */
    private List<ObjectNode> eventBridgeForms(Instant sessionStart) {
        List<ObjectNode> events = new ArrayList<>();
        for (int p = 0; p < participants; p++) {
            Instant joined = joined(sessionStart, p);
            String user = "bench-user-" + p;
            ObjectNode exchange = eventBridgeForm("token-exchanged.json", p, joined.plusSeconds(600));
            ObjectNode detail = (ObjectNode) exchange.get("detail");
            detail.remove("previous_token");
            detail.put("user_id", user);
            detail.set("new_token", JSON.createObjectNode()
                    .<ObjectNode>set("capabilities", JSON.createArrayNode().add("PUBLISH").add("SUBSCRIBE"))
                    .<ObjectNode>set("attributes", JSON.createObjectNode().put("role", "host"))
                    .put("user_id", user).put("expiration_time", joined.plusSeconds(7200).toString()));
            events.add(exchange);
            for (String sample : List.of("replication-started.json", "replication-stopped.json")) {
                ObjectNode replication = eventBridgeForm(sample, p,
                        joined.plusSeconds(sample.contains("started") ? 900 : 1800));
                ((ObjectNode) replication.get("detail")).put("user_id", user)
                        .put("destination_stage_arn", DESTINATION_STAGE)
                        .put("destination_session_id", DESTINATION_SESSION);
                events.add(replication);
            }
        }
        return events;
    }

    private static ObjectNode eventBridgeForm(String sample, int participant, Instant time) {
        ObjectNode event = SampleEvents.json(sample);
        event.put("id", UUID.randomUUID().toString());
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString());
        event.putArray("resources").add(MAIN_STAGE);
        ((ObjectNode) event.get("detail")).put("session_id", MAIN_SESSION)
                .put("participant_id", participantId(participant))
                .put("event_time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        return event;
    }

    private IvsWorld world(Instant now) {
        IvsWorld world = new IvsWorld();
        int stageNumber = 0;
        for (StageShape shape : shapes(now)) {
            stageNumber++;
            world.putStage(JSON.createObjectNode().put("arn", shape.arn())
                    .put("name", shape.arn().substring(shape.arn().indexOf('/') + 1)));
            for (int i = 0; i < shape.sessionEnds().size(); i++) {
                Instant end = shape.sessionEnds().get(i);
                String sessionId = shape.arn().equals(MAIN_STAGE) && i == 0 ? MAIN_SESSION
                        : shape.arn().equals(DESTINATION_STAGE) && i == 0 ? DESTINATION_SESSION
                        : String.format(Locale.ROOT, "st-BenchSess%02d%02d", stageNumber, i);
                Instant start = (end == null ? now.minus(Duration.ofMinutes(20)) : end.minus(Duration.ofMinutes(65)))
                        .minusSeconds(i);
                ObjectNode session = JSON.createObjectNode().put("sessionId", sessionId)
                        .put("startTime", start.toString());
                if (end != null) {
                    session.put("endTime", end.toString());
                }
                world.putSession(shape.arn(), session);
                if (sessionId.equals(MAIN_SESSION)) {
                    addParticipants(world, start);
                }
            }
        }
        return world;
    }

    private void addParticipants(IvsWorld world, Instant sessionStart) {
        for (int p = 0; p < participants; p++) {
            String id = participantId(p);
            String user = "bench-user-" + p;
            Instant joined = joined(sessionStart, p);
            world.putParticipant(MAIN_STAGE, MAIN_SESSION, JSON.createObjectNode().put("participantId", id)
                    .put("userId", user).put("state", "DISCONNECTED").put("firstJoinTime", joined.toString())
                    .put("published", true).put("replicationType", "SOURCE").put("replicationState", "STOPPED"));
            event(world, id, "JOINED", joined);
            event(world, id, "PUBLISH_STARTED", joined.plusSeconds(2));
            event(world, id, "SUBSCRIBE_STARTED", joined.plusSeconds(3))
                    .put("remoteParticipantId", participantId((p + 1) % participants));
            ObjectNode exchange = event(world, id, "TOKEN_EXCHANGED", joined.plusSeconds(600));
            exchange.set("previousToken", token(user, "viewer", joined.plusSeconds(3600), "SUBSCRIBE"));
            exchange.set("newToken", token(user, "host", joined.plusSeconds(7200), "PUBLISH", "SUBSCRIBE"));
            event(world, id, "REPLICATION_STARTED", joined.plusSeconds(900))
                    .put("destinationStageArn", DESTINATION_STAGE).put("destinationSessionId", DESTINATION_SESSION);
            event(world, id, "REPLICATION_STOPPED", joined.plusSeconds(1800))
                    .put("destinationStageArn", DESTINATION_STAGE).put("destinationSessionId", DESTINATION_SESSION);
            event(world, id, "PUBLISH_STOPPED", joined.plusSeconds(2900));
            event(world, id, "LEFT", joined.plusSeconds(2901));
        }
        for (int p = 0; p < participants; p++) {
            String id = participantId(p);
            for (ObjectNode event : pending.remove(id)) {
                world.addEvent(MAIN_STAGE, MAIN_SESSION, event);
            }
        }
    }

    /** Events are built first and added once complete: the world copies what it is given. */
    private final Map<String, List<ObjectNode>> pending = new LinkedHashMap<>();

    private ObjectNode event(IvsWorld world, String participantId, String name, Instant time) {
        ObjectNode event = JSON.createObjectNode().put("name", name).put("participantId", participantId)
                .put("eventTime", time.toString());
        pending.computeIfAbsent(participantId, id -> new ArrayList<>()).add(event);
        return event;
    }

    private static ObjectNode token(String user, String role, Instant expires, String... capabilities) {
        ObjectNode token = JSON.createObjectNode();
        ArrayNode list = token.putArray("capabilities");
        for (String capability : capabilities) {
            list.add(capability);
        }
        token.putObject("attributes").put("role", role);
        token.put("userId", user).put("expirationTime", expires.toString());
        return token;
    }

    // ---- the formula ----------------------------------------------------------------------------------------

    private static long pages(long items) {
        return Math.max(1, (items + 99) / 100);
    }

    /**
     * The requests of a run by operation, from the world's shape: ListStages pages; per stage, the pages of
     * ListStageSessions up to the first session that ended before the lookback (newest first); per session in
     * the window, ListParticipants pages and, per participant, ListParticipantEvents pages.
     */
    private Map<String, Long> predicted(Instant now, boolean firstRun) {
        Instant cutoff = now.minus(Duration.ofHours(24));
        Map<String, Long> requests = new LinkedHashMap<>();
        List<StageShape> stages = shapes(now);
        requests.put("ListStages", pages(stages.size()));
        long sessionPages = 0;
        long sessionsInWindow = 0;
        for (StageShape stage : stages) {
            int read = 0;
            for (Instant end : stage.sessionEnds()) {
                read++;
                if (end != null && end.isBefore(cutoff)) {
                    break;
                }
                if (end != null) {
                    sessionsInWindow++;
                }
            }
            sessionPages += pages(read);
        }
        requests.put("ListStageSessions", sessionPages);
        requests.put("ListParticipants", firstRun ? sessionsInWindow * pages(participants) : 0);
        requests.put("ListParticipantEvents", firstRun ? (long) participants * pages(eventsPerParticipant) : 0);
        return requests;
    }

    // ---- the report -----------------------------------------------------------------------------------------

    private static Map<String, Long> byOperation(List<RecordedRequest> requests) {
        Map<String, Long> counts = new LinkedHashMap<>();
        OPERATIONS.forEach(operation -> counts.put(operation, 0L));
        requests.forEach(request -> counts.merge(request.operation(), 1L, Long::sum));
        return counts;
    }

    /** The most requests received within any one second (half-open windows starting at a request). */
    private static int maxInOneSecond(List<RecordedRequest> requests) {
        List<Long> times = requests.stream().map(RecordedRequest::receivedNanos).sorted().toList();
        int max = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= 1_000_000_000L) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    /** Between neighbouring arrivals, both runs, sorted. */
    private static List<Double> gapsMillis(List<RecordedRequest> requests) {
        List<Long> times = requests.stream().map(RecordedRequest::receivedNanos).sorted().toList();
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add((times.get(i) - times.get(i - 1)) / 1e6);
        }
        gaps.sort(null);
        return gaps;
    }

    private static String sequence(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return counts.values().stream().map(String::valueOf).collect(Collectors.joining(" / ")) + " = " + total;
    }

    private void report(List<Measured> measured) {
        Instant now = Instant.now();
        Map<String, Long> predictedFirst = predicted(now, true);
        Map<String, Long> predictedIdle = predicted(now, false);
        line("## The reconciler: cost of a session of %d participants%s", participants,
                quick ? ", at 4 requests/s only (--quick)" : "");
        line("");
        line("The function's jar in a fresh JVM (`%s`),", String.join(" ", jvmOptions));
        line("the no-argument `ReconciliationHandler` as Lambda builds it, invoked twice: run 1 reads the ended session,");
        line("run 2 finds nothing new (every later run of the schedule).");
        line("IVS Real-Time stand-in on loopback (SigV4, 5 requests/s per operation, pages of 100) and DynamoDB Local,");
        line("both in the driver's JVM. World: %d stages; the session: %d participants × %d events (joined,",
                shapes(now).size(), participants, eventsPerParticipant);
        line("publish and subscribe started, token exchanged, replication started and stopped, publish stopped, left),");
        line("ended 10 minutes before; the other sessions ended 36 h or more before (outside the 24 h lookback) or are live.");
        line("API requests from the stand-in's log; DynamoDB requests and capacity from a global SDK interceptor");
        line("(`ReturnConsumedCapacity=TOTAL` added, as DynamoDB Local computes it; a failed conditional write reports");
        line("none, so the cost below counts it as 1 WRU). \"All delivered before\": the session's token exchanges and");
        line("replications were first recorded in EventBridge's form by the event function, so nothing is backfilled");
        line("and every API form is merged into its item; otherwise EventBridge delivered none of them.");
        line("");
        StringBuilder header = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Measured m : measured) {
            header.append(' ').append(number(m.rate())).append(" request").append(m.rate() == 1 ? "" : "s")
                    .append("/s").append(m.delivered() ? ", all delivered before" : "").append(" |");
            rule.append("---|");
        }
        line("%s", header);
        line("%s", rule);
        row(measured, "run 1: API requests, " + String.join(" / ", OPERATIONS), m ->
                sequence(byOperation(m.requests().subList(0, m.firstRunRequests()))));
        row(measured, "run 1: the formula's count", m -> sequence(predictedFirst));
        row(measured, "throttled (429), both runs", m ->
                String.valueOf(m.requests().stream().filter(RecordedRequest::throttled).count()));
        row(measured, "most requests in any 1 s, all operations (one operation)", m ->
                maxInOneSecond(m.requests()) + " (" + OPERATIONS.stream()
                        .mapToInt(op -> maxInOneSecond(m.requests().stream()
                                .filter(r -> r.operation().equals(op)).toList())).max().orElse(0) + ")");
        row(measured, "gap between neighbouring requests, ms: min, median, p90, max", m -> {
            List<Double> gaps = gapsMillis(m.requests());
            return String.format(Locale.ROOT, "%.0f, %.0f, %.0f, %.0f", gaps.get(0), Stats.percentile(gaps, 50),
                    Stats.percentile(gaps, 90), gaps.get(gaps.size() - 1));
        });
        row(measured, "run 1: wall time of handleRequest, s", m -> String.format(Locale.ROOT, "%.1f",
                m.invocations().get(0).millis() / 1000));
        row(measured, "run 1: (requests − 1) ÷ rate, s", m -> String.format(Locale.ROOT, "%.1f",
                (m.firstRunRequests() - 1) / m.rate()));
        row(measured, "init (constructor, cold JVM), s", m -> String.format(Locale.ROOT, "%.2f",
                m.initMillis() / 1000));
        row(measured, "run 1: events read / backfilled (ledger items in the table)", m -> m.eventsRead() + " / "
                + m.backfilled() + " (" + m.ledgerItems() + ")");
        row(measured, "run 1: DynamoDB requests", m -> m.invocations().get(0).ddb().totalCalls() + ": "
                + m.invocations().get(0).ddb().callsText());
        row(measured, "run 1: DynamoDB failed requests", m -> m.invocations().get(0).ddb().failures().isEmpty()
                ? "0" : m.invocations().get(0).ddb().failures().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey().replace(':', ' '), e.getValue()))
                        .collect(Collectors.joining(", ")));
        row(measured, "run 1: write / read capacity units", m -> String.format(Locale.ROOT, "%.0f / %.0f",
                m.invocations().get(0).ddb().wru(), m.invocations().get(0).ddb().rru()));
        row(measured, "run 1: puts by item type written (WRU)", m -> m.invocations().get(0).ddb().putsText());
        row(measured, "run 1: stdout (logs + EMF), KB", m -> String.format(Locale.ROOT, "%.1f",
                m.invocations().get(0).logBytes() / 1000.0));
        row(measured, "run 2 (nothing new): API requests, " + String.join(" / ", OPERATIONS), m ->
                sequence(byOperation(m.requests().subList(m.firstRunRequests(), m.requests().size()))));
        row(measured, "run 2: the formula's count", m -> sequence(predictedIdle));
        row(measured, "run 2: wall time, s; DynamoDB requests", m -> String.format(Locale.ROOT, "%.1f; %d: %s",
                m.invocations().get(1).millis() / 1000, m.invocations().get(1).ddb().totalCalls(),
                m.invocations().get(1).ddb().callsText()));
        row(measured, "peak RSS of the JVM, MiB", m -> String.format(Locale.ROOT, "%.0f", m.hwmKiB() / 1024.0));
        line("");
        costs(measured);
    }

    private void costs(List<Measured> measured) {
        line("### Cost per session, 512 MB arm64 (prices of docs/DEPLOYMENT.md)");
        line("");
        line("Requests per session = max(1, ⌈P/100⌉) ListParticipants + Σ_p max(1, ⌈E_p/100⌉) ListParticipantEvents;");
        line("per run, whatever it finds: max(1, ⌈S/100⌉) ListStages (none with `StageArns`) + Σ_stages the");
        line("ListStageSessions pages down to the first session older than the lookback. Wall time ≈ (requests − 1)");
        line("÷ rate. Lambda $%.10f per GB-s and $0.20 per million requests; DynamoDB $0.625 per million WRU,",
                LAMBDA_GB_SECOND);
        line("$0.125 per million RRU; CloudWatch Logs $0.50 per GB ingested.");
        line("");
        line("| run | Lambda run 1 (GB-s × price + request) | DynamoDB (WRU + RRU) | logs | per session | run 2 (every idle run) |");
        line("|---|---|---|---|---|---|");
        for (Measured m : measured) {
            Invocation first = m.invocations().get(0);
            Invocation idle = m.invocations().get(1);
            double lambda = MEMORY_GB * first.millis() / 1000 * LAMBDA_GB_SECOND + LAMBDA_REQUEST;
            double wru = first.ddb().wru() + failedWrites(first.ddb());
            double dynamo = wru * WRITE_UNIT + first.ddb().rru() * READ_UNIT;
            double logs = first.logBytes() / 1e9 * LOG_GB;
            double idleCost = MEMORY_GB * idle.millis() / 1000 * LAMBDA_GB_SECOND + LAMBDA_REQUEST
                    + idle.ddb().wru() * WRITE_UNIT + idle.ddb().rru() * READ_UNIT + idle.logBytes() / 1e9 * LOG_GB;
            line("| %s/s%s | %.1f s × 0.5 GB: $%.6f | %.0f + %.0f: $%.6f | %.1f KB: $%.7f | **$%.6f** | $%.7f (+ init if cold: $%.7f) |",
                    number(m.rate()), m.delivered() ? ", delivered" : "", first.millis() / 1000, lambda, wru,
                    first.ddb().rru(), dynamo,
                    first.logBytes() / 1000.0, logs, lambda + dynamo + logs, idleCost,
                    MEMORY_GB * m.initMillis() / 1000 * LAMBDA_GB_SECOND);
        }
        line("");
    }

    /** Conditional writes that failed: DynamoDB bills them (at least 1 WRU) but reports no capacity. */
    private static double failedWrites(Ddb ddb) {
        return ddb.failures().entrySet().stream()
                .filter(e -> e.getKey().startsWith("PutItem:") || e.getKey().startsWith("UpdateItem:"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private interface Cell {
        String of(Measured measured);
    }

    private void row(List<Measured> measured, String figure, Cell cell) {
        StringBuilder row = new StringBuilder("| ").append(figure).append(" |");
        for (Measured m : measured) {
            row.append(' ').append(cell.of(m)).append(" |");
        }
        line("%s", row);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
