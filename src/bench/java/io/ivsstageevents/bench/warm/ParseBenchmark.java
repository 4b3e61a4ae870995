package io.ivsstageevents.bench.warm;

import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.testing.SampleEvents;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Parsing a typical event, the token exchange sample: bytes to StageEvent, checks included. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParseBenchmark {
    private StageEventParser parser;
    private byte[] event;

    @Setup
    public void setUp() {
        parser = new StageEventParser();
        event = SampleEvents.bytes("token-exchanged.json");
    }

    @Benchmark
    public ParsedEvent parseTokenExchange() {
        return parser.parse(event);
    }
}
