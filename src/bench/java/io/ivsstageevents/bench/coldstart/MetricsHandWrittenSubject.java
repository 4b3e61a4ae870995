package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.StageEvent;
import java.time.Clock;

/** One ParticipantErrors document, written by the function's own EMF code (jackson-core's generator). */
public final class MetricsHandWrittenSubject {
    private MetricsHandWrittenSubject() {
    }

    public static void main(String[] args) {
        Checkpoints marks = new Checkpoints();
        StageEvent event = ErrorEvent.publishError();
        marks.mark("event");
        StageEventMetrics metrics = new StageEventMetrics("IVS/StageEvents", false, System.out::println,
                Clock.systemUTC());
        metrics.startInvocation().participantError(event);
        marks.mark("done");
        marks.report();
    }
}
