package io.ivsstageevents.bench.warm;

import io.ivsstageevents.StageEventHandler;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.testing.LocalDynamoDb;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Warm cost per event (issue 6, item 3): the handler on one event against DynamoDB Local in this process (A), and
 * the bare SDK requests that event needs (B): the very requests the handler sends, recorded beforehand and replayed
 * on the same client. Iterations alternate A and B (see Alternation); WarmBench pairs them up. Every iteration gets
 * a new table and every invocation a participant of its own, so each one records something new.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmEventBenchmark {
    /** More than one iteration can use: an iteration that runs out fails rather than repeat an event. */
    static final int EVENTS_PER_ITERATION = 6000;

    @Param({"token-exchanged.json", "replication-started.json"})
    public String sample;

    private LocalDynamoDb dynamoDbLocal;
    private DynamoDbClient dynamoDb;
    private List<byte[]> events;
    private List<List<SdkRequest>> recorded;
    private int iteration = -1;
    private boolean handlerSide;
    private String table;
    private StageEventHandler handler;
    private List<List<SdkRequest>> requests;
    private int next;

    @Setup(Level.Trial)
    public void startDynamoDbLocal() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        dynamoDbLocal = LocalDynamoDb.start();
        dynamoDb = DynamoDbClients.create(Samples.configuration("unused", dynamoDbLocal.endpoint()));
        events = Samples.distinctParticipants(sample, EVENTS_PER_ITERATION, "warm");
        recorded = Samples.recordRequests(events);
    }

    @Setup(Level.Iteration)
    public void newTable() {
        iteration++;
        handlerSide = Alternation.isA(iteration);
        table = dynamoDbLocal.createTable();
        handler = Samples.handler(table, dynamoDb);
        requests = Samples.retarget(recorded, table);
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
    public void oneEvent() {
        int i = next++;
        if (handlerSide) {
            Samples.invoke(handler, events.get(i));
        } else {
            Samples.send(dynamoDb, requests.get(i));
        }
    }
}
