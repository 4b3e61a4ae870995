package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.model.StageEvent;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The same ParticipantErrors document through Powertools for AWS Lambda (Java) v2 metrics, functional API (no
 * AspectJ). Powertools writes one dimension set per document; both dimensions go into it.
 */
public final class MetricsPowertoolsSubject {
    private MetricsPowertoolsSubject() {
    }

    public static void main(String[] args) {
        Checkpoints marks = new Checkpoints();
        StageEvent event = ErrorEvent.publishError();
        marks.mark("event");
        emit(MetricsFactory.getMetricsInstance(), event);
        marks.mark("done");
        marks.report();
    }

    private static void emit(Metrics metrics, StageEvent event) {
        metrics.setNamespace("IVS/StageEvents");
        metrics.clearDefaultDimensions();
        metrics.addDimension(DimensionSet.of("ErrorCode", event.eventSource().errorCodeAsString(),
                "EventName", event.eventSource().nameAsString()));
        metrics.addMetric("ParticipantErrors", 1, MetricUnit.COUNT);
        metrics.addMetadata("stageArn", event.stageArn());
        metrics.addMetadata("sessionId", event.sessionId());
        metrics.addMetadata("participantId", event.eventSource().participantId());
        metrics.addMetadata("eventId", event.eventId());
        metrics.addMetadata("eventTime", event.eventSource().eventTime().toString());
        metrics.flush();
    }
}
