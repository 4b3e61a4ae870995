package io.ivsstageevents.bench.warm;

import io.ivsstageevents.StageEventHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Queue mode against direct mode, warm: the same ten token exchanges as one SQS batch (A) or as ten
 * direct invocations (B), alternating by iteration as in WarmEventBenchmark. Reported per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueueModeBenchmark extends LocalTableState {
    static final int BATCH = 10;
    private static final int BATCHES_PER_ITERATION = 600;

    private List<byte[]> events;
    private List<byte[]> batches;
    private StageEventHandler handler;
    private int next;

    @Override
    protected void prepareTrial() {
        events = Samples.distinctParticipants("token-exchanged.json", BATCH * BATCHES_PER_ITERATION, "queue");
        batches = new ArrayList<>(BATCHES_PER_ITERATION);
        for (int i = 0; i < BATCHES_PER_ITERATION; i++) {
            batches.add(Samples.sqsBatch(events, i * BATCH, BATCH));
        }
    }

    @Override
    protected void prepareIteration() {
        handler = Samples.handler(table, functionClient);
        next = 0;
    }

    @Override
    protected int eventsRecorded() {
        return next * BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void tenEvents() {
        int i = next++;
        if (sideA) {
            Samples.invoke(handler, batches.get(i));
        } else {
            for (int e = i * BATCH; e < (i + 1) * BATCH; e++) {
                Samples.invoke(handler, events.get(e));
            }
        }
    }
}
