package io.ivsstageevents.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.LocalDynamoDb;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.ZipFile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cold-start benchmark: cold start, peak RSS and the jar against the floor, the peers (a naive handler, the EMF
 * libraries, other HTTP clients) and queue mode's first invocation.
 *
 * <p>DynamoDB Local runs in a process of its own on loopback. Each round starts every subject once, in a fresh JVM,
 * in an order rotated from round to round, each against a new table; the driver notes the wall clock just before
 * exec, and the subject reports its marks in wall-clock microseconds, so "to done" runs from exec until the event is
 * recorded. Peak RSS comes from /usr/bin/time (the whole process), or else from the subject's own VmHWM. After every
 * run the table is scanned and compared with what the function writes, so a subject that wrote something else, or
 * nothing, stops the benchmark. Ratios are taken within a round (A and its floor minutes apart at most) and then
 * summarised over rounds.
 */
public final class ColdStartBench {
    private static final String SUBJECTS = "io/ivsstageevents/bench/coldstart/";
    private static final String PACKAGE = "io.ivsstageevents.bench.coldstart.";
    private static final String TOKEN = "events/token-exchanged.json";
    private static final String REGION = LocalDynamoDb.REGION;
    private static final int QUEUE_BATCH = 10;

    private enum Check { SAME_AS_FUNCTION, ANY_TWO_ITEMS, QUEUE_BATCH_ITEMS, METRIC_DOCUMENT }

    /** One kind of process the rounds start. Baseline: the subject its ratio is taken against. */
    private record Subject(String name, String mainClass, String jar, String event, Check check, String baseline,
                           List<String> jvmOptions, Map<String, String> environment, String what) {
    }

    private record Run(String subject, int round, long execMicros, Map<String, Long> marks, long exitMicros,
                       long rssKiB) {
        double toDoneMillis() {
            return (marks.get("done") - execMicros) / 1000.0;
        }
    }

    private final Path out;
    private final int rounds;
    private final boolean quick;
    /** Every subject once, its writes checked, no timing: what CI runs so that the benchmark cannot rot. */
    private final boolean check;
    private final List<String> jvmOptions;
    private final String javaCommand;
    private final Path lambdaJar;
    private final List<Path> classpath;
    private final ClientJars clientJars;
    private final boolean haveTime = Files.isExecutable(Path.of("/usr/bin/time"));
    private final Map<String, Path> jars = new LinkedHashMap<>();
    private final Map<String, Long> jarSizes = new LinkedHashMap<>();
    private final Map<String, String> jarDescriptions = new LinkedHashMap<>();
    private final List<Subject> subjects = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private URI endpoint;
    private DynamoDbClient dynamoDb;
    private Set<Map<String, AttributeValue>> functionItems;

    private ColdStartBench(Map<String, String> options) {
        this.out = Path.of(options.getOrDefault("out", "target/bench"));
        this.quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        this.check = Boolean.parseBoolean(options.getOrDefault("check", "false"));
        this.rounds = Integer.parseInt(options.getOrDefault("rounds", check ? "1" : quick ? "2" : "10"));
        this.jvmOptions = List.of(options.getOrDefault("jvm-options",
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx448m").trim().split("\\s+"));
        this.javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.lambdaJar = Path.of(options.getOrDefault("lambda-jar", "target/ivs-stage-events-1.0.0-lambda.jar"));
        this.clientJars = new ClientJars(lambdaJar);
        this.classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(Path.of(entry));
        }
    }

    public static void main(String[] args) throws Exception {
        new ColdStartBench(BenchMain.options(args)).run();
    }

    private void run() throws Exception {
        Files.createDirectories(out.resolve("runs"));
        buildJars();
        writeQueueBatch();
        defineSubjects();
        Process server = startDynamoDbLocal();
        try {
            dynamoDb = LocalDynamoDb.clientFor(endpoint);
            functionItems = referenceItems();
            if (!quick) {
                trainClassArchives();
            }
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < subjects.size(); i++) {
                    Subject subject = subjects.get((i + round) % subjects.size());
                    runs.add(runOnce(subject, round, List.of(), true));
                }
                System.err.printf(Locale.ROOT, "cold start: round %d of %d done%n", round, rounds);
            }
            if (check) {
                reportChecked();
            } else {
                reportTimes();
                reportJarSizes();
            }
            if (!quick && !check) {
                classLoadDiagnostics();
            }
        } finally {
            if (dynamoDb != null) {
                dynamoDb.close();
            }
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        Files.writeString(out.resolve("coldstart.md"), report);
        writeRawRuns();
        System.out.print(report);
    }

    // ---- the jars -------------------------------------------------------------------------------------------

    /** The variants differ from the function's jar only in what each comparison is about. */
    private void buildJars() {
        Path dir = out.resolve("jars");
        Path testClasses = classpath.stream().filter(p -> p.endsWith("test-classes")).findFirst()
                .orElseThrow(() -> new IllegalStateException("target/test-classes is not on the class path"));
        jars.put("subjects", dir.resolve("subjects.jar"));
        new JarAssembly().addClasses(testClasses, SUBJECTS)
                .addClasses(testClasses, "io/ivsstageevents/PrimedHandlerSubject.class")
                .write(jars.get("subjects"));

        jars.put("function", lambdaJar);
        jarSizes.put("function", size(lambdaJar));
        variant("function, repacked by the benchmark (the control for the deltas below)",
                "repacked", new JarAssembly().add(lambdaJar));
        variant("floor: SDK DynamoDB + the function's HTTP client (apache-client) + Jackson + lambda core", "floor",
                new JarAssembly().add(lambdaJar, name -> !name.startsWith("io/ivsstageevents/")
                        && !name.startsWith("org/crac/") && !name.startsWith("priming/")
                        && !name.startsWith("com/amazonaws/services/lambda/runtime/events/")));
        variant("apache-client replaced by url-connection-client", "url-connection",
                clientJars.forClient("url-connection"));
        variant("apache-client replaced by apache5-client (httpclient5)", "apache5",
                clientJars.forClient("apache5"));
        variant("apache-client replaced by aws-crt-client, linux x86_64 glibc natives only", "crt",
                clientJars.forClient("crt"));
        // slf4j-api is left out: the function's jar already holds it (the SDK logs through it).
        List<Path> emfLibrary = artifacts("aws-embedded-metrics", "jackson-databind", "jackson-annotations",
                "jackson-datatype-jsr310", "javatuples", "commons-lang3");
        variant("+ aws-embedded-metrics 4.2.0 and what it pulls in", "emflib",
                new JarAssembly().add(lambdaJar).addAll(emfLibrary));
        variant("+ powertools-metrics 2.9.0 and what it pulls in", "powertools",
                new JarAssembly().add(lambdaJar).addAll(emfLibrary)
                        .addAll(artifacts("powertools-metrics", "powertools-common")));
        variant("naive peer: the SDK's default HTTP clients (apache, apache5, netty) + dynamodb-enhanced", "naive",
                new JarAssembly().add(lambdaJar, ClientJars.withoutClient()
                        .and(name -> !name.startsWith("io/ivsstageevents/")))
                        .addAll(artifacts("jackson-databind", "jackson-annotations",
                                "apache-client", "httpclient", "httpcore", "commons-logging",
                                "commons-codec", "apache5-client", "httpclient5", "httpcore5", "httpcore5-h2",
                                "netty-nio-client", "netty-codec-http", "netty-codec-http2", "netty-codec",
                                "netty-transport", "netty-common", "netty-buffer", "netty-handler",
                                "netty-transport-native-unix-common", "netty-transport-classes-epoll",
                                "netty-resolver", "dynamodb-enhanced")));
    }

    private void variant(String description, String key, JarAssembly assembly) {
        Path jar = out.resolve("jars").resolve(key + ".jar");
        jarSizes.put(key, assembly.write(jar));
        jars.put(key, jar);
        jarDescriptions.put(key, description);
    }

    private List<Path> artifacts(String... artifactIds) {
        return clientJars.artifacts(artifactIds);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the subjects ---------------------------------------------------------------------------------------

    private void defineSubjects() {
        Map<String, String> none = Map.of();
        List<String> noOptions = List.of();
        subject("handler", "HandlerSubject", "function", TOKEN, Check.SAME_AS_FUNCTION, "floor", noOptions, none,
                "A: the function's jar, no-arg constructor, one token exchange recorded");
        subject("floor", "FloorSubject", "function", TOKEN, Check.SAME_AS_FUNCTION, null, noOptions, none,
                "B: same jar, same client, the same two PutItem requests written out");
        subject("handler-steps", "StepsSubject", "function", TOKEN, Check.SAME_AS_FUNCTION, "handler", noOptions,
                none, "the handler's calls one by one, for the split (no CRaC registration, no log line)");
        subjects.add(new Subject("handler-primed", "io.ivsstageevents.PrimedHandlerSubject", "function", TOKEN,
                Check.SAME_AS_FUNCTION, "handler", noOptions, none,
                "the handler, its SnapStart priming hook run, then the first event (see →done)"));
        subject("naive", "naive.NaiveSubject", "naive", TOKEN, Check.ANY_TWO_ITEMS, "floor", noOptions,
                Map.of("AWS_ENDPOINT_URL_DYNAMODB", "{endpoint}"),
                "peer: default SDK client, ObjectMapper per invocation, POJO and Enhanced Client bean mapping");
        subject("handler-powertools", "PowertoolsHandlerSubject", "powertools", TOKEN, Check.SAME_AS_FUNCTION,
                "handler-steps", noOptions, none, "handler-steps with its metric written by Powertools v2");
        subject("handler-emflib", "EmfLibraryHandlerSubject", "emflib", TOKEN, Check.SAME_AS_FUNCTION,
                "handler-steps", noOptions, none, "handler-steps with its metric written by aws-embedded-metrics");
        subject("floor+parser", "FloorWithParserSubject", "function", TOKEN, Check.SAME_AS_FUNCTION, "floor",
                noOptions, none, "the floor plus the function's parser (jackson-core streaming) on the event");
        subject("floor-url-connection", "FloorUrlConnectionSubject", "url-connection", TOKEN,
                Check.SAME_AS_FUNCTION, "floor", noOptions, none, "the floor on the url-connection HTTP client");
        subject("floor-crt", "FloorCrtSubject", "crt", TOKEN, Check.SAME_AS_FUNCTION, "floor", noOptions, none,
                "the floor on the AWS CRT HTTP client");
        subject("queue-" + QUEUE_BATCH, "HandlerSubject", "function", queueBatchFile().toString(),
                Check.QUEUE_BATCH_ITEMS, "handler", noOptions, none,
                "the handler's first invocation in queue mode: one SQS batch of " + QUEUE_BATCH + " token exchanges");
        if (!quick) {
            subject("handler+appcds", "HandlerSubject", "function", TOKEN, Check.SAME_AS_FUNCTION, "handler",
                    List.of("-XX:SharedArchiveFile=" + archive("handler")), none,
                    "the handler with an AppCDS archive of its classes: what class loading from the jar costs");
            subject("floor+appcds", "FloorSubject", "function", TOKEN, Check.SAME_AS_FUNCTION, "floor",
                    List.of("-XX:SharedArchiveFile=" + archive("floor")), none, "the floor with its AppCDS archive");
        }
        subject("emf-hand", "MetricsHandWrittenSubject", "function", TOKEN, Check.METRIC_DOCUMENT, null, noOptions,
                none, "one ParticipantErrors document, the function's hand-written EMF (no DynamoDB)");
        subject("emf-lib", "MetricsEmfLibrarySubject", "emflib", TOKEN, Check.METRIC_DOCUMENT, "emf-hand",
                noOptions, none, "the same document through aws-embedded-metrics");
        subject("emf-powertools", "MetricsPowertoolsSubject", "powertools", TOKEN, Check.METRIC_DOCUMENT,
                "emf-hand", noOptions, none, "the same document through Powertools v2 metrics");
    }

    private void subject(String name, String mainClass, String jar, String event, Check check, String baseline,
                         List<String> options, Map<String, String> environment, String what) {
        subjects.add(new Subject(name, PACKAGE + mainClass, jar, event, check, baseline, options, environment, what));
    }

    private Path archive(String subject) {
        return out.resolve(subject + ".jsa").toAbsolutePath();
    }

    private Path queueBatchFile() {
        return out.resolve("sqs-batch-" + QUEUE_BATCH + ".json");
    }

    /** Queue mode's first invocation: QUEUE_BATCH token exchanges of distinct participants, as SQS delivers them. */
    private void writeQueueBatch() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode template = (ObjectNode) json.readTree(Path.of("events/sqs-batch.json").toFile())
                .get("Records").get(0);
        ObjectNode event = (ObjectNode) json.readTree(Path.of(TOKEN).toFile());
        ObjectNode batch = json.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        for (int i = 0; i < QUEUE_BATCH; i++) {
            ((ObjectNode) event.get("detail")).put("participant_id", "queueP" + i);
            ObjectNode record = template.deepCopy();
            record.put("messageId", "bench-message-" + i);
            record.put("body", json.writeValueAsString(event));
            records.add(record);
        }
        Files.writeString(queueBatchFile(), json.writeValueAsString(batch));
    }

    // ---- DynamoDB Local, tables, runs -----------------------------------------------------------------------

    private Process startDynamoDbLocal() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(javaCommand,
                "-Dsqlite4java.library.path=" + System.getProperty("sqlite4java.library.path", "target/native-libs"),
                "-cp", System.getProperty("java.class.path"),
                "software.amazon.dynamodb.services.local.main.ServerRunner",
                "-inMemory", "-port", Integer.toString(port), "-disableTelemetry")
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("dynamodb-local.log").toFile());
        builder.environment().put("DDB_LOCAL_TELEMETRY", "0");
        Process server = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                endpoint = URI.create("http://127.0.0.1:" + port);
                return server;
            } catch (IOException notYet) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("DynamoDB Local exited: see " + out.resolve("dynamodb-local.log"));
                }
                Thread.sleep(100);
            }
        }
        server.destroy();
        throw new IllegalStateException("DynamoDB Local did not listen within 60 s");
    }

    /** What the function writes for the token exchange: the items every run of the floor must reproduce. */
    private Set<Map<String, AttributeValue>> referenceItems() throws IOException, InterruptedException {
        Subject handler = subjects.get(0);
        String table = newTable();
        launch(handler, table, List.of(), false, "reference");
        Set<Map<String, AttributeValue>> items = new HashSet<>(LocalDynamoDb.allItemsOf(dynamoDb, table));
        dynamoDb.deleteTable(request -> request.tableName(table));
        if (items.size() != 2) {
            throw new IllegalStateException("the function wrote " + items.size() + " items for the token exchange");
        }
        return items;
    }

    /** Training runs for the AppCDS subjects: each archive holds the classes its subject loaded. */
    private void trainClassArchives() throws IOException, InterruptedException {
        for (String name : List.of("handler", "floor")) {
            Subject subject = subjects.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
            Files.deleteIfExists(archive(name));
            String table = newTable();
            launch(subject, table, List.of("-XX:ArchiveClassesAtExit=" + archive(name)), false, "train-" + name);
            dynamoDb.deleteTable(request -> request.tableName(table));
        }
    }

    private String newTable() {
        String table = "bench-" + UUID.randomUUID();
        LocalDynamoDb.wrapping(dynamoDb).createTable(table);
        return table;
    }

    private Run runOnce(Subject subject, int round, List<String> extraOptions, boolean timed)
            throws IOException, InterruptedException {
        String table = newTable();
        String label = subject.name() + "-" + round;
        Run run = launch(subject, table, extraOptions, timed, label);
        check(subject, table, label);
        dynamoDb.deleteTable(request -> request.tableName(table));
        return new Run(subject.name(), round, run.execMicros(), run.marks(), run.exitMicros(), run.rssKiB());
    }

    private Run launch(Subject subject, String table, List<String> extraOptions, boolean timed, String label)
            throws IOException, InterruptedException {
        Path stdout = out.resolve("runs").resolve(label + ".out");
        Path stderr = out.resolve("runs").resolve(label + ".err");
        Path rss = out.resolve("runs").resolve(label + ".rss");
        List<String> command = new ArrayList<>();
        if (haveTime && timed) {
            command.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
        }
        command.add(javaCommand);
        command.addAll(jvmOptions);
        command.addAll(subject.jvmOptions());
        command.addAll(extraOptions);
        command.addAll(List.of("-cp", jars.get(subject.jar()) + File.pathSeparator + jars.get("subjects"),
                subject.mainClass(), subject.event()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(lambdaEnvironment(table));
        subject.environment().forEach((key, value) ->
                builder.environment().put(key, value.replace("{endpoint}", endpoint.toString())));
        long exec = BenchMain.epochMicros();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within 120 s");
        }
        long exit = BenchMain.epochMicros();
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " exited " + process.exitValue() + ":\n"
                    + tail(stderr) + tail(stdout));
        }
        Map<String, Long> marks = new LinkedHashMap<>();
        long hwm = -1;
        for (String line : Files.readAllLines(stdout)) {
            if (line.startsWith("BENCH ")) {
                for (String pair : line.substring(6).split(" ")) {
                    String[] kv = pair.split("=");
                    if (kv[0].equals("hwmKiB")) {
                        hwm = Long.parseLong(kv[1]);
                    } else {
                        marks.put(kv[0], Long.parseLong(kv[1]));
                    }
                }
            }
        }
        if (!marks.containsKey("done")) {
            throw new IllegalStateException(label + " printed no BENCH line:\n" + tail(stdout));
        }
        long rssKiB = haveTime && timed ? Long.parseLong(Files.readString(rss).trim().replaceAll("(?s).*\\n", ""))
                : hwm;
        return new Run(subject.name(), 0, exec, marks, exit, rssKiB);
    }

    /** The environment Lambda gives a function, less what this function does not read. */
    private Map<String, String> lambdaEnvironment(String table) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ivs-stage-events-bench");
        env.put("TABLE_NAME", table);
        env.put("DYNAMODB_ENDPOINT", endpoint.toString());
        env.put("RETENTION_DAYS", "0");
        env.put("LOG_LEVEL", "INFO");
        env.put("POWERTOOLS_SERVICE_NAME", "ivs-stage-events");
        return env;
    }

    private void check(Subject subject, String table, String label) throws IOException {
        List<Map<String, AttributeValue>> items = LocalDynamoDb.allItemsOf(dynamoDb, table);
        switch (subject.check()) {
            case SAME_AS_FUNCTION -> {
                String differences = ItemDifferences.between(functionItems, items);
                if (!differences.isEmpty()) {
                    throw new IllegalStateException(label + " did not write what the function writes for the same"
                            + " event (expected: the function's items; found: this subject's):\n" + differences);
                }
            }
            case ANY_TWO_ITEMS -> {
                if (items.size() != 2) {
                    throw new IllegalStateException(label + " wrote " + items.size() + " items, not 2");
                }
            }
            case QUEUE_BATCH_ITEMS -> {
                if (items.size() != 2 * QUEUE_BATCH) {
                    throw new IllegalStateException(label + " wrote " + items.size() + " items, not "
                            + 2 * QUEUE_BATCH);
                }
            }
            case METRIC_DOCUMENT -> {
                String stdout = Files.readString(out.resolve("runs").resolve(label + ".out"));
                if (!stdout.contains("\"ParticipantErrors\"") || !stdout.contains("BITRATE_EXCEEDED")) {
                    throw new IllegalStateException(label + " wrote no ParticipantErrors document:\n" + stdout);
                }
            }
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
    }

    // ---- the report -----------------------------------------------------------------------------------------

    private List<Run> runsOf(String subject) {
        return runs.stream().filter(r -> r.subject().equals(subject)).toList();
    }

    private Run runOf(String subject, int round) {
        return runs.stream().filter(r -> r.subject().equals(subject) && r.round() == round).findFirst()
                .orElseThrow();
    }

    private void reportChecked() {
        line("## Cold start, checked: every subject once, no timing");
        line("");
        line("Each subject ran in a fresh JVM and the table (or its metric document) held what it must: where the");
        line("subject claims to write what the function writes, the function's own items for the same event,");
        line("attribute for attribute.");
        line("");
        line("| subject | jar | checked | what |");
        line("|---|---|---|---|");
        for (Subject subject : subjects) {
            line("| %s | %s | %s | %s |", subject.name(), subject.jar(), subject.check(), subject.what());
        }
        line("");
    }

    private void reportTimes() {
        line("## Cold start: %d rounds, every subject once per round in rotated order", rounds);
        line("");
        line("JVM options of every subject: `%s`; peak RSS from %s.", String.join(" ", jvmOptions),
                haveTime ? "/usr/bin/time (%M, the whole process)" : "VmHWM at the end of the measured work");
        line("Times in ms from exec until the subject's work is done; median [p25, p75] (min–max) over rounds.");
        line("Ratios are per round (subject ÷ baseline in the same round), then median [p25, p75].");
        line("");
        line("| subject | to done, ms | peak RSS, MiB | baseline | time ratio | RSS ratio | what |");
        line("|---|---|---|---|---|---|---|");
        for (Subject subject : subjects) {
            List<Run> own = runsOf(subject.name());
            Stats time = Stats.of(own.stream().map(Run::toDoneMillis).toList());
            Stats rss = Stats.of(own.stream().map(r -> r.rssKiB() / 1024.0).toList());
            String timeRatio = "";
            String rssRatio = "";
            if (subject.baseline() != null) {
                List<Double> timeRatios = new ArrayList<>();
                List<Double> rssRatios = new ArrayList<>();
                for (Run run : own) {
                    Run base = runOf(subject.baseline(), run.round());
                    timeRatios.add(run.toDoneMillis() / base.toDoneMillis());
                    rssRatios.add((double) run.rssKiB() / base.rssKiB());
                }
                timeRatio = Stats.of(timeRatios).format("%.3f");
                rssRatio = Stats.of(rssRatios).format("%.3f");
            }
            line("| %s | %s (%.0f–%.0f) | %s | %s | %s | %s | %s |", subject.name(), time.format("%.0f"), time.min(),
                    time.max(), rss.format("%.0f"), subject.baseline() == null ? "" : subject.baseline(), timeRatio,
                    rssRatio, subject.what());
        }
        line("");
        line("### Where the time goes (medians, ms)");
        line("");
        line("exec→main is JVM start-up and loading the main class; each later column ends at the named mark.");
        line("");
        for (Subject subject : subjects) {
            List<Run> own = runsOf(subject.name());
            StringBuilder phases = new StringBuilder();
            List<Double> toMain = own.stream().map(r -> (r.marks().get("main") - r.execMicros()) / 1000.0).toList();
            phases.append(String.format(Locale.ROOT, "exec→main %.0f", Stats.of(toMain).median()));
            List<String> names = new ArrayList<>(own.get(0).marks().keySet());
            for (int i = 1; i < names.size(); i++) {
                String from = names.get(i - 1);
                String to = names.get(i);
                List<Double> phase = own.stream()
                        .map(r -> (r.marks().get(to) - r.marks().get(from)) / 1000.0).toList();
                phases.append(String.format(Locale.ROOT, ", →%s %.0f", to, Stats.of(phase).median()));
            }
            List<Double> exit = own.stream().map(r -> (r.exitMicros() - r.marks().get("done")) / 1000.0).toList();
            phases.append(String.format(Locale.ROOT, "; done→process exit %.0f", Stats.of(exit).median()));
            line("- **%s**: %s", subject.name(), phases);
        }
        line("");
    }

    private void reportJarSizes() {
        long control = jarSizes.get("repacked");
        line("## Jar sizes");
        line("");
        line("Bytes; MB = 10^6 bytes, MiB = 2^20 bytes. Deltas are against the function's jar repacked by the same");
        line("code as the variants, so that only the content differs.");
        line("");
        line("| jar | bytes | MB | MiB | Δ vs repacked function jar |");
        line("|---|---|---|---|---|");
        line("| function (target/%s, as shaded) | %d | %.2f | %.2f | |", lambdaJar.getFileName(),
                jarSizes.get("function"), jarSizes.get("function") / 1e6, jarSizes.get("function") / 1048576.0);
        for (Map.Entry<String, String> variant : jarDescriptions.entrySet()) {
            long bytes = jarSizes.get(variant.getKey());
            line("| %s | %d | %.2f | %.2f | %+.2f MB |", variant.getValue(), bytes, bytes / 1e6, bytes / 1048576.0,
                    (bytes - control) / 1e6);
        }
        line("");
    }

    /**
     * One run of some subjects with -Xlog:class+load and phase markers: how many classes each phase loads and from
     * where, and which parts of the jar the function never loads (exclusion candidates).
     */
    private void classLoadDiagnostics() throws IOException, InterruptedException {
        line("## Class loading (one run each with -Xlog:class+load; not timed)");
        line("");
        line("Classes loaded per phase, by source: CDS = the JDK's shared archive, jrt = JDK modules not in it,");
        line("jar = the application jar, generated = lambdas, proxies and other classes spun at run time.");
        line("");
        Set<String> loadedByFunction = new HashSet<>();
        for (String name : List.of("handler", "floor", "handler-steps", "naive", "floor-url-connection",
                "floor-crt")) {
            Subject subject = subjects.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
            Path log = out.resolve("runs").resolve("classload-" + name + ".log");
            Run run = diagnosticRun(subject, subject.event(), log, "classload-" + name);
            List<String> phaseNames = new ArrayList<>(run.marks().keySet());
            Map<String, int[]> counts = countByPhase(log, phaseNames, name.equals("handler") ? loadedByFunction : null);
            StringBuilder text = new StringBuilder();
            int total = 0;
            for (Map.Entry<String, int[]> phase : counts.entrySet()) {
                int[] c = phase.getValue();
                total += c[0] + c[1] + c[2] + c[3];
                text.append(String.format(Locale.ROOT, "%s%s: %d (CDS %d, jrt %d, jar %d, generated %d)",
                        text.length() == 0 ? "" : "; ", phase.getKey(), c[0] + c[1] + c[2] + c[3], c[0], c[1], c[2],
                        c[3]));
            }
            line("- **%s** (%d classes): %s", name, total, text);
        }
        for (String event : List.of("events/replication-started.json", "events/publish-error.json")) {
            Subject handler = subjects.get(0);
            Path log = out.resolve("runs").resolve("classload-handler-" + Path.of(event).getFileName() + ".log");
            diagnosticRun(handler, event, log, "classload-handler-" + Path.of(event).getFileName());
            countByPhase(log, List.of("main", "init", "done"), loadedByFunction);
        }
        line("");
        jarUsage(loadedByFunction);
    }

    private Run diagnosticRun(Subject subject, String event, Path log, String label)
            throws IOException, InterruptedException {
        Subject withEvent = new Subject(subject.name(), subject.mainClass(), subject.jar(), event, subject.check(),
                subject.baseline(), subject.jvmOptions(), subject.environment(), subject.what());
        String table = newTable();
        Run run = launch(withEvent, table, List.of("-Xlog:class+load=info:file=" + log, "-Dbench.phaseMarkers=true"),
                false, label);
        dynamoDb.deleteTable(request -> request.tableName(table));
        return run;
    }

    /**
     * Counts per phase: [CDS, jrt, jar, generated]. A phase ends where its marker class is loaded; the first,
     * "main", ends where the subject's Checkpoints class is loaded (JVM start-up and the launcher before it).
     */
    private static Map<String, int[]> countByPhase(Path log, List<String> phaseNames, Set<String> loadedFromJar)
            throws IOException {
        Map<String, int[]> counts = new LinkedHashMap<>();
        List<String> buckets = new ArrayList<>();
        buckets.add("to " + phaseNames.get(0));
        for (String name : phaseNames.subList(1, phaseNames.size())) {
            buckets.add("→" + name);
        }
        buckets.add("after (report, exit)");
        buckets.forEach(bucket -> counts.put(bucket, new int[4]));
        int phase = 0;
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("[class,load] ");
            if (at < 0) {
                continue;
            }
            String rest = line.substring(at + "[class,load] ".length());
            String className = rest.split(" ")[0];
            if (className.equals(PACKAGE + "Checkpoints") || className.startsWith(PACKAGE + "Checkpoints$Phase")) {
                phase = Math.min(phase + 1, buckets.size() - 1);
                continue;
            }
            int[] c = counts.get(buckets.get(phase));
            if (rest.contains("source: shared objects file")) {
                c[0]++;
            } else if (rest.contains("source: jrt:/")) {
                c[1]++;
            } else if (rest.contains("source: file:")) {
                c[2]++;
                if (loadedFromJar != null) {
                    loadedFromJar.add(className);
                }
            } else {
                c[3]++;
            }
        }
        return counts;
    }

    /** Which parts of the function's jar its three paths (token, replication, error) never load, by size. */
    private void jarUsage(Set<String> loaded) throws IOException {
        Map<String, long[]> byPackage = new TreeMap<>();
        try (ZipFile zip = new ZipFile(lambdaJar.toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                String group = packageGroup(name);
                long[] stats = byPackage.computeIfAbsent(group, g -> new long[4]);
                stats[0] += entry.getCompressedSize();
                if (name.endsWith(".class")) {
                    stats[1]++;
                    if (loaded.contains(name.substring(0, name.length() - 6).replace('/', '.'))) {
                        stats[2]++;
                        stats[3] += entry.getCompressedSize();
                    }
                }
            }
        }
        line("## What the function's jar holds and what its paths load");
        line("");
        line("Union of the classes loaded from the jar by the handler on a token exchange, a replication start and a");
        line("publish error (one run each). Package groups of 20 KB or more, largest first; \"never loaded\" groups");
        line("are candidates for shade filters or dependency exclusions (an error path may still need a few).");
        line("");
        line("| package group | compressed KB | classes | loaded | KB never loaded |");
        line("|---|---|---|---|---|");
        byPackage.entrySet().stream()
                .filter(e -> e.getValue()[0] >= 20_000)
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> line("| %s | %.0f | %d | %d | %.0f |", e.getKey(), e.getValue()[0] / 1000.0,
                        e.getValue()[1], e.getValue()[2], (e.getValue()[0] - e.getValue()[3]) / 1000.0));
        line("");
    }

    private static String packageGroup(String entry) {
        String[] parts = entry.split("/");
        int depth = entry.startsWith("software/amazon/awssdk/services/") ? 6
                : entry.startsWith("software/amazon/awssdk/") ? 4 : 3;
        StringBuilder group = new StringBuilder();
        for (int i = 0; i < Math.min(depth, parts.length - 1); i++) {
            group.append(parts[i]).append('/');
        }
        return group.length() == 0 ? "(root files)" : group.toString();
    }

    private void writeRawRuns() throws IOException {
        StringBuilder tsv = new StringBuilder("subject\tround\tto_done_ms\trss_kib\tmarks_ms_from_exec\n");
        for (Run run : runs) {
            StringBuilder marks = new StringBuilder();
            run.marks().forEach((name, micros) -> marks.append(marks.length() == 0 ? "" : ",")
                    .append(name).append('=').append(String.format(Locale.ROOT, "%.1f",
                            (micros - run.execMicros()) / 1000.0)));
            tsv.append(String.format(Locale.ROOT, "%s\t%d\t%.1f\t%d\t%s%n", run.subject(), run.round(),
                    run.toDoneMillis(), run.rssKiB(), marks));
        }
        Files.writeString(out.resolve("coldstart-runs.tsv"), tsv, StandardCharsets.UTF_8);
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
