package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.RecordOutcome;
import java.io.IOException;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/** StepsSubject with the invocation's count written by aws-embedded-metrics instead of the function's EMF code. */
public final class EmfLibraryHandlerSubject {
    private EmfLibraryHandlerSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        RecordingPath path = RecordingPath.open(args[0], marks);
        MetricsLogger metrics = new MetricsLogger();
        metrics.setNamespace(path.configuration.metricsNamespace());
        marks.mark("objects");
        StageEvent event = path.parse();
        marks.mark("parse");
        RecordOutcome outcome = path.record(event);
        marks.mark("record");
        metrics.setDimensions(DimensionSet.of("EventName", event.eventSource().nameAsString()));
        metrics.putMetric(outcome == RecordOutcome.RECORDED ? "EventsRecorded" : "DuplicateEvents", 1, Unit.COUNT);
        metrics.flush();
        marks.mark("done");
        marks.report();
    }
}
