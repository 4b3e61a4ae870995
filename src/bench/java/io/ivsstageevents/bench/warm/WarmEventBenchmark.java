package io.ivsstageevents.bench.warm;

import io.ivsstageevents.StageEventHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import software.amazon.awssdk.core.SdkRequest;

/**
 * Warm cost per event: the handler on one event against DynamoDB Local in this process (A), and
 * the bare SDK requests that event needs (B): the very requests the handler sends, recorded beforehand and replayed
 * on the same client. Iterations alternate A and B (see Alternation); WarmBench pairs them up. Every invocation
 * gets a participant of its own, so each one records something new.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmEventBenchmark extends LocalTableState {
    /** More than one iteration can use: an iteration that runs out fails rather than repeat an event. */
    static final int EVENTS_PER_ITERATION = 6000;

    @Param({"token-exchanged.json", "replication-started.json"})
    public String sample;

    private List<byte[]> events;
    private List<List<SdkRequest>> recorded;
    private StageEventHandler handler;
    private List<List<SdkRequest>> requests;
    private int next;

    @Override
    protected void prepareTrial() {
        events = Samples.distinctParticipants(sample, EVENTS_PER_ITERATION, "warm");
        recorded = Samples.recordRequests(events);
    }

    @Override
    protected void prepareIteration() {
        handler = Samples.handler(table, functionClient);
        requests = Samples.retarget(recorded, table);
        next = 0;
    }

    @Override
    protected int eventsRecorded() {
        return next;
    }

    @Benchmark
    public void oneEvent() {
        int i = next++;
        if (sideA) {
            Samples.invoke(handler, events.get(i));
        } else {
            Samples.send(functionClient, requests.get(i));
        }
    }
}
