package io.ivsstageevents.bench;

import io.ivsstageevents.testing.LocalDynamoDb;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP clients as Lambda pays for them: each client's jar ({@link ClientJars}) runs {@code ClientSubject} in a
 * fresh JVM against DynamoDB Local behind {@link LatencyProxy} (HTTPS and an in-region round trip), with the CPU
 * share Lambda gives the template's default memory size. Per run: the plain cold start (exec until the first token
 * exchange is recorded), two forms of a SnapStart restore (the next token exchange after every connection was closed
 * under the client, and the first on a second client with no connection yet), and warm token exchanges in wall time
 * and in CPU time. Rounds start every client once, in rotated order; ratios to the function's own client (the
 * first of {@link ClientJars#CLIENTS}) are taken within a round.
 *
 * <p>The CPU share: Lambda gives a function one vCPU at 1,769 MB, in proportion below; the template's
 * {@code FunctionMemorySize} defaults to 1,024 MB, so 0.58 of a CPU. The subject runs in a cgroup (v1 {@code cpu}
 * or v2) whose CFS quota is that share of a 100 ms period, as Lambda's own limit works; where no cgroup can be
 * made, it runs unlimited and the report says so. DynamoDB Local and the proxy run in this process, outside it.
 */
public final class ClientBench {
    private static final String TOKEN = "events/token-exchanged.json";
    private static final double LAMBDA_MB_PER_VCPU = 1769;
    private static final int QUEUE_BATCH = 10;

    private record Run(String client, int round, double coldMillis, double restoreMillis,
                       double newConnectionMillis, double warmMedianMicros, double warmMeanMicros,
                       double warmCpuMicros, double warmThreadCpuMicros) {
    }

    private final Path out;
    private final Path lambdaJar;
    private final int rounds;
    private final int warmUp;
    private final int timed;
    /**
     * Queue mode's untimed and timed pairs (one direct event, one batch). Its own count, not a tenth of the clients'
     * warm-up: with 30 untimed pairs the batch still ran partly in C1 code with the compiler threads inside the CPU
     * quota, and measured 5.5 × one message where 300 pairs measured 2.3 ×.
     */
    private final int queueWarmUp;
    private final int queueTimed;
    private final double oneWayMillis;
    private final int memoryMb;
    private final boolean check;
    /** Plain HTTP straight to DynamoDB Local, no proxy: the loopback set-up of the JMH comparison. */
    private final boolean direct;
    /** A command prefix for the subject (strace, say): for a diagnostic run, not for timing. */
    private final List<String> wrap;
    private final List<String> clients;
    private final String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmOptions = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Xmx448m");
    private final Map<String, Path> jars = new LinkedHashMap<>();
    private final List<Run> runs = new ArrayList<>();
    /** Queue mode's runs: direct and batch median µs, median per-pair ratio, direct and batch mean CPU µs. */
    private final List<double[]> queueRuns = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private Path cgroup;

    private ClientBench(Map<String, String> options) {
        this.out = Path.of(options.getOrDefault("out", "target/bench"));
        this.lambdaJar = Path.of(options.getOrDefault("lambda-jar", "target/ivs-stage-events-1.0.0-lambda.jar"));
        this.check = Boolean.parseBoolean(options.getOrDefault("check", "false"));
        this.rounds = Integer.parseInt(options.getOrDefault("rounds", check ? "1" : "5"));
        this.warmUp = Integer.parseInt(options.getOrDefault("warm-up", check ? "5" : "300"));
        this.timed = Integer.parseInt(options.getOrDefault("timed", check ? "5" : "300"));
        this.queueWarmUp = Integer.parseInt(options.getOrDefault("queue-warm-up", check ? "1" : "300"));
        this.queueTimed = Integer.parseInt(options.getOrDefault("queue-timed", check ? "2" : "60"));
        this.oneWayMillis = Double.parseDouble(options.getOrDefault("one-way-ms", "2"));
        this.memoryMb = Integer.parseInt(options.getOrDefault("memory-mb", "1024"));
        this.direct = Boolean.parseBoolean(options.getOrDefault("direct", "false"));
        this.wrap = options.containsKey("wrap") ? List.of(options.get("wrap").split(" ")) : List.of();
        this.clients = options.containsKey("clients") ? List.of(options.get("clients").split(","))
                : ClientJars.CLIENTS;
        for (String client : clients) {
            if (!ClientJars.CLIENTS.contains(client)) {
                throw new IllegalArgumentException("--clients: no client named " + client + "; the clients are "
                        + String.join(",", ClientJars.CLIENTS));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        new ClientBench(BenchMain.options(args)).run();
    }

    private void run() throws Exception {
        Files.createDirectories(out.resolve("runs"));
        buildJars();
        cgroup = memoryMb == 0 ? null
                : CpuShare.create("ivs-bench-" + ProcessHandle.current().pid(), memoryMb / LAMBDA_MB_PER_VCPU);
        LocalDynamoDb dynamoDb = LocalDynamoDb.start();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        try (LatencyProxy proxy = LatencyProxy.start(out.resolve("proxy"), dynamoDb.endpoint(), oneWayMillis)) {
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    String client = clients.get((i + round) % clients.size());
                    runs.add(runOnce(client, round, dynamoDb, proxy));
                }
                if (!direct) {
                    queueRuns.add(queueOnce(round, dynamoDb, proxy));
                }
                System.err.printf(Locale.ROOT, "clients: round %d of %d done%n", round, rounds);
            }
        } finally {
            dynamoDb.stop();
            CpuShare.remove(cgroup);
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        report(loadBefore, loadAfter);
        Files.writeString(out.resolve("clients.md"), report);
        System.out.print(report);
    }

    private void buildJars() {
        Path testClasses = Path.of(List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(entry -> entry.endsWith("test-classes")).findFirst()
                .orElseThrow(() -> new IllegalStateException("target/test-classes is not on the class path")));
        Path subjects = out.resolve("jars").resolve("client-subjects.jar");
        new JarAssembly().addClasses(testClasses, "io/ivsstageevents/bench/coldstart/").write(subjects);
        ClientJars clientJars = new ClientJars(lambdaJar);
        for (String client : ClientJars.CLIENTS) {
            Path jar = out.resolve("jars").resolve("client-" + client + ".jar");
            clientJars.forClient(client).write(jar);
            jars.put(client, jar);
        }
        jars.put("subjects", subjects);
        jars.put("function", lambdaJar);
    }

    private Run runOnce(String client, int round, LocalDynamoDb dynamoDb, LatencyProxy proxy)
            throws IOException, InterruptedException {
        String table = dynamoDb.createTable();
        String label = "client-" + client + "-" + round;
        long exec = BenchMain.epochMicros();
        Map<String, Double> figures = launch(label, table, jars.get(client), dynamoDb, proxy,
                "ClientSubject", TOKEN, client, Integer.toString(warmUp), Integer.toString(timed));
        long items = dynamoDb.allItems(table).size();
        long expected = 2L * ((direct ? 1 : 3) + warmUp + timed);
        dynamoDb.client().deleteTable(request -> request.tableName(table));
        if (items != expected) {
            throw new IllegalStateException(label + " left " + items + " items, not " + expected);
        }
        return new Run(client, round, (figures.get("done") - exec) / 1000.0, figures.get("restoreMicros") / 1000.0,
                figures.get("newConnectionMicros") / 1000.0, figures.get("warmMedianMicros"),
                figures.get("warmMeanMicros"), figures.get("warmCpuMicros"), figures.get("warmThreadCpuMicros"));
    }

    /** The function's jar on direct events and on batches of QUEUE_BATCH, warm, alternating (QueueSubject). */
    private double[] queueOnce(int round, LocalDynamoDb dynamoDb, LatencyProxy proxy)
            throws IOException, InterruptedException {
        String table = dynamoDb.createTable();
        String label = "queue-" + round;
        Map<String, Double> figures = launch(label, table, jars.get("function"), dynamoDb, proxy, "QueueSubject",
                TOKEN, Integer.toString(QUEUE_BATCH), Integer.toString(queueWarmUp), Integer.toString(queueTimed));
        long items = dynamoDb.allItems(table).size();
        long expected = 2L * (1 + QUEUE_BATCH) * (queueWarmUp + queueTimed);
        dynamoDb.client().deleteTable(request -> request.tableName(table));
        if (items != expected) {
            throw new IllegalStateException(label + " left " + items + " items, not " + expected);
        }
        return new double[] {figures.get("directMedianMicros"), figures.get("batchMedianMicros"),
                figures.get("batchOverDirect"), figures.get("directCpuMicros"), figures.get("batchCpuMicros")};
    }

    /** Runs one subject class in the cgroup against the proxy (or DynamoDB Local) and returns its figures. */
    private Map<String, Double> launch(String label, String table, Path jar, LocalDynamoDb dynamoDb,
                                       LatencyProxy proxy, String subject, String... args)
            throws IOException, InterruptedException {
        Path stdout = out.resolve("runs").resolve(label + ".out");
        Path stderr = out.resolve("runs").resolve(label + ".err");
        List<String> command = new ArrayList<>(CpuShare.wrap(cgroup));
        command.addAll(wrap.stream().map(part -> part.replace("{label}", label)).toList());
        command.add(javaCommand);
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djavax.net.ssl.trustStore=" + proxy.trustStore().toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", jar + File.pathSeparator + jars.get("subjects"),
                "io.ivsstageevents.bench.coldstart." + subject));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.put("AWS_REGION", LocalDynamoDb.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("TABLE_NAME", table);
        if (direct) {
            env.put("DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString());
        } else {
            env.put("DYNAMODB_ENDPOINT", proxy.endpoint().toString());
            env.put("PROXY_CONTROL", "127.0.0.1:" + proxy.controlPort());
        }
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within 300 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " exited " + process.exitValue() + ":\n"
                    + Files.readString(stderr) + Files.readString(stdout));
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stdout)) {
            if (line.startsWith("BENCH ") || line.startsWith("CLIENT ") || line.startsWith("QUEUE ")) {
                for (String pair : line.substring(line.indexOf(' ') + 1).split(" ")) {
                    String[] kv = pair.split("=");
                    figures.put(kv[0], Double.parseDouble(kv[1]));
                }
            }
        }
        return figures;
    }

    private void report(String loadBefore, String loadAfter) {
        line("## HTTP clients as Lambda pays for them: HTTPS, %.1f ms round trip, %.2f of a CPU", 2 * oneWayMillis,
                memoryMb / LAMBDA_MB_PER_VCPU);
        line("");
        line("DynamoDB Local behind a TLS-terminating proxy on loopback that holds every chunk %.1f ms each way;",
                oneWayMillis);
        line("each client's jar (the function's, its HTTP client swapped) in a fresh JVM (`%s`), %s.",
                String.join(" ", jvmOptions), cgroup == null ? "CPU NOT LIMITED (no cgroup could be made)"
                        : String.format(Locale.ROOT, "in a cgroup with a CFS quota of %.0f %% of one CPU (%d MB ÷ %.0f"
                        + " MB per vCPU)", 100 * memoryMb / LAMBDA_MB_PER_VCPU, memoryMb, LAMBDA_MB_PER_VCPU));
        line("%d rounds, clients in rotated order; %d warm token exchanges untimed, then %d timed. Load average"
                + " before: %s; after: %s.", rounds, warmUp, timed, loadBefore, loadAfter);
        line("Cold: exec until the first token exchange (2 × PutItem) is recorded. Restore, connection closed: the");
        line("next token exchange, after the proxy closed every connection under the client (what a snapshot that");
        line("kept a connection leaves: classes loaded, a dead connection in the pool). Restore, no connection: the");
        line("first token exchange of a second client built after that (classes loaded, an empty pool: a snapshot");
        line("that kept none, as the function's priming leaves it). Each needs a new TLS connection. Warm: per token");
        line("exchange, wall time (median and mean) and CPU time (mean): the process's, and the calling thread's (for");
        line("the CRT, whose I/O runs on its own native threads, only part of it). Median [p25, p75] over rounds;");
        line("ratios to %s (the function's client) within a round.", ClientJars.CLIENTS.get(0));
        line("");
        line("| client | cold, ms | ratio | restore, connection closed, ms | ratio | restore, no connection, ms |"
                + " ratio | warm median, µs | warm mean, µs | ratio (mean) | warm CPU, µs | ratio |"
                + " calling thread's CPU, µs |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String client : clients) {
            List<Run> own = runs.stream().filter(r -> r.client().equals(client)).toList();
            line("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", client,
                    Stats.of(own.stream().map(Run::coldMillis).toList()).format("%.0f"),
                    ratio(own, Run::coldMillis),
                    Stats.of(own.stream().map(Run::restoreMillis).toList()).format("%.1f"),
                    ratio(own, Run::restoreMillis),
                    Stats.of(own.stream().map(Run::newConnectionMillis).toList()).format("%.1f"),
                    ratio(own, Run::newConnectionMillis),
                    Stats.of(own.stream().map(Run::warmMedianMicros).toList()).format("%.0f"),
                    Stats.of(own.stream().map(Run::warmMeanMicros).toList()).format("%.0f"),
                    ratio(own, Run::warmMeanMicros),
                    Stats.of(own.stream().map(Run::warmCpuMicros).toList()).format("%.0f"),
                    ratio(own, Run::warmCpuMicros),
                    Stats.of(own.stream().map(Run::warmThreadCpuMicros).toList()).format("%.0f"));
        }
        line("");
        if (!queueRuns.isEmpty()) {
            line("### Queue mode against direct mode, same set-up, the function's jar");
            line("");
            line("Warm, alternating: one token exchange delivered directly, one SQS batch of %d token exchanges;",
                    QUEUE_BATCH);
            line("%d such pairs untimed (so that both paths run in C2 code, not in C1 with the compiler's threads",
                    queueWarmUp);
            line("inside the CPU quota), then %d timed.", queueTimed);
            line("Medians per run, then median [p25, p75] over runs. Per event: the batch's time ÷ %d, against one",
                    QUEUE_BATCH);
            line("direct invocation (what Lambda bills per event, before its per-request charge).");
            line("");
            line("CPU: the process's, mean per invocation; at the CPU share, a batch can take no less than its CPU time");
            line("÷ the share.");
            line("");
            line("| direct, ms | batch of %d, ms | batch ÷ direct (target ≤ 3) | per event, queue ÷ direct (target < 1) |"
                    + " CPU direct, ms | CPU batch, ms |", QUEUE_BATCH);
            line("|---|---|---|---|---|---|");
            line("| %s | %s | %s | %s | %s | %s |",
                    Stats.of(queueRuns.stream().map(r -> r[0] / 1000).toList()).format("%.1f"),
                    Stats.of(queueRuns.stream().map(r -> r[1] / 1000).toList()).format("%.1f"),
                    Stats.of(queueRuns.stream().map(r -> r[2]).toList()).format("%.2f"),
                    Stats.of(queueRuns.stream().map(r -> r[2] / QUEUE_BATCH).toList()).format("%.3f"),
                    Stats.of(queueRuns.stream().map(r -> r[3] / 1000).toList()).format("%.1f"),
                    Stats.of(queueRuns.stream().map(r -> r[4] / 1000).toList()).format("%.1f"));
            line("");
        }
        line("Jar sizes: %s.", String.join(", ", clients.stream()
                .map(client -> String.format(Locale.ROOT, "%s %,d bytes", client, size(jars.get(client)))).toList()));
        line("");
    }

    private String ratio(List<Run> own, java.util.function.ToDoubleFunction<Run> figure) {
        List<Double> ratios = new ArrayList<>();
        for (Run run : own) {
            Run base = runs.stream().filter(r -> r.client().equals(ClientJars.CLIENTS.get(0))
                    && r.round() == run.round()).findFirst().orElseThrow();
            ratios.add(figure.applyAsDouble(run) / figure.applyAsDouble(base));
        }
        return Stats.of(ratios).format("%.3f");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
