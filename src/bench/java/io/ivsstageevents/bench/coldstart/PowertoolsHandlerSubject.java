package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.RecordOutcome;
import java.io.IOException;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** StepsSubject with the invocation's count written by Powertools v2 metrics instead of the function's EMF code. */
public final class PowertoolsHandlerSubject {
    private PowertoolsHandlerSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        RecordingPath path = RecordingPath.open(args[0], marks);
        Metrics metrics = MetricsFactory.getMetricsInstance();
        metrics.setNamespace(path.configuration.metricsNamespace());
        metrics.clearDefaultDimensions();
        marks.mark("objects");
        StageEvent event = path.parse();
        marks.mark("parse");
        RecordOutcome outcome = path.record(event);
        marks.mark("record");
        metrics.addDimension(DimensionSet.of("EventName", event.eventSource().nameAsString()));
        metrics.addMetric(outcome == RecordOutcome.RECORDED ? "EventsRecorded" : "DuplicateEvents", 1,
                MetricUnit.COUNT);
        metrics.flush();
        marks.mark("done");
        marks.report();
    }
}
