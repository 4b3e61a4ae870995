package io.ivsstageevents.bench.warm;

import io.ivsstageevents.bench.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

/**
 * Runs the JMH benchmarks and pairs up the alternating iterations. A pair is two neighbouring iterations of one
 * fork, one of each side; its ratio is A's median over B's median. Reported: the median of the pair ratios and
 * their spread, and the sides' own medians. JMH's own output goes to jmh.log beside the report.
 */
public final class WarmBench {
    private static final String PACKAGE = WarmBench.class.getPackageName() + ".";
    private static final String LAMBDA_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private final Path out;
    private final boolean quick;
    private final boolean check;
    private final StringBuilder report = new StringBuilder();

    private WarmBench(Path out, boolean quick, boolean check) {
        this.out = out;
        this.quick = quick;
        this.check = check;
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = List.of(args).contains("--quick");
        boolean check = List.of(args).contains("--check");
        Path out = Path.of("target/bench");
        Files.createDirectories(out);
        WarmBench bench = new WarmBench(out, quick, check);
        if (check) {
            bench.check();
        } else {
            bench.run();
        }
    }

    /**
     * Every benchmark once, for one short iteration of each side, its tables checked (LocalTableState): that the
     * benchmarks still run and record what they claim to, not what they measure.
     */
    private void check() throws RunnerException, IOException {
        line("## Warm benchmarks, checked: one fork, one short iteration a side, no timing");
        line("");
        line("| benchmark | runs | checked |");
        line("|---|---|---|");
        for (Class<?> benchmark : List.of(WarmEventBenchmark.class, WarmHttpClientBenchmark.class,
                QueueModeBenchmark.class, NoIoPathBenchmark.class, ParseBenchmark.class)) {
            Collection<RunResult> results = runner(benchmark, 0, 2, TimeValue.milliseconds(100), 1,
                    "-D" + LocalTableState.CHECK + "=true");
            line("| %s | %d | %s |", benchmark.getSimpleName(), results.size(),
                    LocalTableState.class.isAssignableFrom(benchmark)
                            ? "every table held two items per event recorded" : "ran (no table)");
        }
        line("");
        Files.writeString(out.resolve("warm.md"), report);
        System.out.print(report);
    }

    private void run() throws RunnerException, IOException {
        int pairs = quick ? 3 : 10;
        int warmupIterations = quick ? 4 : 10;
        TimeValue iteration = quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        line("## Warm cost per event (JMH %s, in-process DynamoDB Local)", Version.getPlainVersion());
        line("");
        line("One fork per event; %d warm-up and %d measured iterations of %s, alternating A B, B A, ...;",
                warmupIterations, 2 * pairs, iteration);
        line("per iteration the median of the sampled invocation times. Pair ratio = A ÷ B of neighbouring");
        line("iterations; reported: median [p25, p75] over the %d pairs. JVM flags: JMH's defaults (C2).", pairs);
        line("");
        line("| event | A: handler, µs | B: bare SDK requests, µs | A − B, µs | A ÷ B per pair | target |");
        line("|---|---|---|---|---|---|");
        for (RunResult result : runner(WarmEventBenchmark.class, warmupIterations, 2 * pairs, iteration, 1, "")) {
            pairs(result, warmupIterations, "≤ 1.15", true, result.getParams().getParam("sample"));
        }
        line("");
        if (!quick) {
            comparisons(warmupIterations, pairs, iteration);
        }
        noIo(quick ? 1 : 2, "", "JMH's defaults (C2)");
        if (!quick) {
            noIo(1, LAMBDA_FLAGS, "Lambda's java17 defaults, `" + LAMBDA_FLAGS + "` (C1 only)");
        }
        Files.writeString(out.resolve("warm.md"), report);
        System.out.print(report);
    }

    /** The HTTP client and queue-mode comparisons: left out of the smoke test, which keeps to the targets. */
    private void comparisons(int warmupIterations, int pairs, TimeValue iteration) throws RunnerException {
        line("### HTTP client, warm: the token exchange's two requests, Apache (A) against url-connection (B)");
        line("");
        line("| requests | A: apache-client, µs | B: url-connection-client, µs | A − B, µs | A ÷ B per pair | |");
        line("|---|---|---|---|---|---|");
        for (RunResult result : runner(WarmHttpClientBenchmark.class, warmupIterations, 2 * pairs, iteration, 1,
                "")) {
            pairs(result, warmupIterations, "", true, "token exchange: 2 × PutItem");
        }
        line("");
        line("### Queue mode against direct mode, per event");
        line("");
        line("The same 10 token exchanges as one SQS batch (A) or as 10 direct invocations (B); mean per event.");
        line("");
        line("| events | A: one batch of 10, µs/event | B: 10 direct invocations, µs/event | A − B | A ÷ B per pair |"
                + " |");
        line("|---|---|---|---|---|---|");
        for (RunResult result : runner(QueueModeBenchmark.class, warmupIterations, 2 * pairs, iteration, 1, "")) {
            pairs(result, warmupIterations, "", false, QueueModeBenchmark.BATCH + " token exchanges");
        }
        line("");
    }

    private void noIo(int forks, String flags, String flagsText) throws RunnerException {
        int iterations = quick ? 3 : 5;
        TimeValue time = quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        line("## The path without I/O, and parsing (JVM flags: %s)", flagsText);
        line("");
        line("%d fork(s), %d warm-up and %d measured iterations of %s; all sampled invocations together.", forks,
                iterations, iterations, time);
        line("");
        line("| benchmark | median µs [p25, p75] | p99 µs | target |");
        line("|---|---|---|---|");
        Collection<RunResult> results = new ArrayList<>();
        results.addAll(runner(NoIoPathBenchmark.class, iterations, iterations, time, forks, flags));
        results.addAll(runner(ParseBenchmark.class, iterations, iterations, time, forks, flags));
        for (RunResult result : results) {
            var statistics = result.getPrimaryResult().getStatistics();
            String sample = result.getParams().getParam("sample");
            String name = result.getParams().getBenchmark().replace(PACKAGE, "")
                    + (sample == null ? "" : " (" + sample + ")");
            line("| %s | %.2f [%.2f, %.2f] | %.1f | ≤ 20 |", name, statistics.getPercentile(50),
                    statistics.getPercentile(25), statistics.getPercentile(75), statistics.getPercentile(99));
        }
        line("");
    }

    private Collection<RunResult> runner(Class<?> benchmark, int warmups, int measurements, TimeValue time,
                                         int forks, String flags) throws RunnerException {
        List<String> jvmArgs = new ArrayList<>(List.of("-Dsqlite4java.library.path="
                + System.getProperty("sqlite4java.library.path", "target/native-libs")));
        if (!flags.isEmpty()) {
            jvmArgs.addAll(List.of(flags.split(" ")));
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(time)
                .measurementIterations(measurements)
                .measurementTime(time)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .output(out.resolve("jmh.log").toString());
        System.err.printf(Locale.ROOT, "warm: running %s%s%n", benchmark.getSimpleName(),
                flags.isEmpty() ? "" : " with " + flags);
        return new Runner(options.build()).run();
    }

    private void pairs(RunResult result, int warmups, String target, boolean medians, String label) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> differences = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            List<IterationResult> iterations = new ArrayList<>(fork.getIterationResults());
            for (int k = 0; k + 1 < iterations.size(); k += 2) {
                double first = score(iterations.get(k), medians);
                double second = score(iterations.get(k + 1), medians);
                boolean firstIsA = Alternation.isA(warmups + k);
                double sideA = firstIsA ? first : second;
                double sideB = firstIsA ? second : first;
                a.add(sideA);
                b.add(sideB);
                ratios.add(sideA / sideB);
                differences.add(sideA - sideB);
            }
        }
        line("| %s | %s | %s | %s | %s | %s |", label, Stats.of(a).format("%.1f"), Stats.of(b).format("%.1f"),
                Stats.of(differences).format("%.1f"), Stats.of(ratios).format("%.3f"), target);
    }

    private static double score(IterationResult iteration, boolean median) {
        return median ? iteration.getPrimaryResult().getStatistics().getPercentile(50)
                : iteration.getPrimaryResult().getScore();
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
