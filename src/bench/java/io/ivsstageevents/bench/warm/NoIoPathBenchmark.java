package io.ivsstageevents.bench.warm;

import io.ivsstageevents.StageEventHandler;
import io.ivsstageevents.testing.SampleEvents;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The path without I/O: the whole handler, from bytes to log line and metric document, over a
 * DynamoDB that answers at once. Parse, decide, build the items and requests, build the documents. The error
 * event makes no DynamoDB call at all, so this is also its whole warm cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NoIoPathBenchmark {
    @Param({"token-exchanged.json", "replication-started.json", "publish-error.json"})
    public String sample;

    private StageEventHandler handler;
    private byte[] event;

    @Setup
    public void setUp() {
        handler = Samples.handler("TABLE", StubDynamoDb.discarding());
        event = SampleEvents.bytes(sample);
    }

    @Benchmark
    public void handleEvent() {
        Samples.invoke(handler, event);
    }
}
