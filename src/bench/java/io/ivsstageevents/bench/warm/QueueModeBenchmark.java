package io.ivsstageevents.bench.warm;

import io.ivsstageevents.StageEventHandler;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.testing.LocalDynamoDb;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Queue mode against direct mode, warm (issue 8): the same ten token exchanges as one SQS batch (A) or as ten
 * direct invocations (B), alternating by iteration as in WarmEventBenchmark. Reported per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueueModeBenchmark {
    static final int BATCH = 10;
    private static final int BATCHES_PER_ITERATION = 600;

    private LocalDynamoDb dynamoDbLocal;
    private DynamoDbClient dynamoDb;
    private List<byte[]> events;
    private List<byte[]> batches;
    private int iteration = -1;
    private boolean batchSide;
    private String table;
    private StageEventHandler handler;
    private int next;

    @Setup(Level.Trial)
    public void startDynamoDbLocal() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        dynamoDbLocal = LocalDynamoDb.start();
        dynamoDb = DynamoDbClients.create(Samples.configuration("unused", dynamoDbLocal.endpoint()));
        events = Samples.distinctParticipants("token-exchanged.json", BATCH * BATCHES_PER_ITERATION, "queue");
        batches = new ArrayList<>(BATCHES_PER_ITERATION);
        for (int i = 0; i < BATCHES_PER_ITERATION; i++) {
            batches.add(Samples.sqsBatch(events, i * BATCH, BATCH));
        }
    }

    @Setup(Level.Iteration)
    public void newTable() {
        iteration++;
        batchSide = Alternation.isA(iteration);
        table = dynamoDbLocal.createTable();
        handler = Samples.handler(table, dynamoDb);
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void dropTable() {
        dynamoDbLocal.client().deleteTable(request -> request.tableName(table));
    }

    @TearDown(Level.Trial)
    public void stopDynamoDbLocal() {
        dynamoDb.close();
        dynamoDbLocal.stop();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void tenEvents() {
        int i = next++;
        if (batchSide) {
            Samples.invoke(handler, batches.get(i));
        } else {
            for (int e = i * BATCH; e < (i + 1) * BATCH; e++) {
                Samples.invoke(handler, events.get(e));
            }
        }
    }
}
