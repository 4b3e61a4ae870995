package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.RecordOutcome;
import java.io.IOException;
import java.time.Clock;

/**
 * The handler's cold path cut at its seams, for the split of the cold start: the calls the constructor and one
 * direct event make (less the CRaC registration and the log line), with a mark between each. Also the baseline of
 * the EMF-library handler variants, which differ from it only in how the metric document is written.
 */
public final class StepsSubject {
    private StepsSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        RecordingPath path = RecordingPath.open(args[0], marks);
        StageEventMetrics metrics = new StageEventMetrics(path.configuration.metricsNamespace(),
                path.configuration.metricsStageDimension(), System.out::println, Clock.systemUTC());
        marks.mark("objects");
        StageEvent event = path.parse();
        marks.mark("parse");
        RecordOutcome outcome = path.record(event);
        marks.mark("record");
        StageEventMetrics.Invocation invocation = metrics.startInvocation();
        invocation.recorded(event, outcome);
        invocation.flush();
        marks.mark("done");
        marks.report();
    }
}
