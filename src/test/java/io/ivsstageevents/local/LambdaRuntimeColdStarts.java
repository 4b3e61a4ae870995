package io.ivsstageevents.local;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.testing.LambdaRuntime;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.SampleEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * .ci/lambda-runtime --cold-starts N: N cold starts of the artifact in Lambda's runtime (LambdaRuntime), each a new
 * emulator and runtime on a new table, invoked once with the token exchange sample; on demand and on the SnapStart
 * path, alternately. RIE times the init (its INIT REPORT line) and the first invocation (its REPORT line), which it
 * starts timing before the init, so the invocation alone is the difference.
 */
public final class LambdaRuntimeColdStarts {
    private static final String EVENT = "token-exchanged.json";

    private LambdaRuntimeColdStarts() {
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        LambdaRuntime.Installation installation = LambdaRuntime.Installation.fromSystemProperties();
        LocalDynamoDb dynamoDb = LocalDynamoDb.start();
        List<double[]> onDemand = new ArrayList<>();
        List<double[]> snapStart = new ArrayList<>();
        System.out.println("round\tpath\tinit_ms\tfirst_invocation_ms\tinit_plus_first_ms");
        try {
            for (int round = 1; round <= rounds; round++) {
                for (boolean snap : new boolean[] {false, true}) {
                    double[] run = coldStart(installation, dynamoDb, snap);
                    (snap ? snapStart : onDemand).add(run);
                    System.out.printf("%d\t%s\t%.0f\t%.1f\t%.0f%n", round, snap ? "snapstart" : "on-demand",
                            run[0], run[1], run[0] + run[1]);
                }
            }
        } finally {
            dynamoDb.stop();
        }
        System.out.printf("%nmedians over %d rounds, %s, the function on the JDK at %s%n", rounds, EVENT,
                installation.javaHome());
        summarize("on demand: init", onDemand, 0);
        summarize("on demand: first invocation", onDemand, 1);
        summarize("SnapStart path: init with the priming hook (in the snapshot)", snapStart, 0);
        summarize("SnapStart path: first invocation after the restore", snapStart, 1);
        System.exit(0);
    }

    /** {init ms, first invocation ms}. */
    private static double[] coldStart(LambdaRuntime.Installation installation, LocalDynamoDb dynamoDb, boolean snap) {
        String table = dynamoDb.createTable();
        try (LambdaRuntime runtime = LambdaRuntime.start(installation,
                Map.of(Configuration.TABLE_NAME, table, Configuration.DYNAMODB_ENDPOINT, dynamoDb.endpoint().toString(),
                        Configuration.RETENTION_DAYS, "0"),
                LambdaRuntime.defaultTimeoutSeconds(), snap)) {
            LambdaRuntime.Invocation first = runtime.invoke(SampleEvents.bytes(EVENT));
            if (first.isFunctionError() || first.status() != 200) {
                throw new IllegalStateException("the cold start failed: " + first.body());
            }
            double init = runtime.initDurationMillis().orElseThrow();
            return new double[] {init, first.durationMillis() - init};
        } finally {
            dynamoDb.client().deleteTable(request -> request.tableName(table));
        }
    }

    private static void summarize(String what, List<double[]> runs, int column) {
        double[] values = runs.stream().mapToDouble(run -> run[column]).sorted().toArray();
        double median = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        System.out.printf("%-62s %7.1f ms  (min %.1f, max %.1f)%n", what, median, values[0],
                values[values.length - 1]);
    }
}
