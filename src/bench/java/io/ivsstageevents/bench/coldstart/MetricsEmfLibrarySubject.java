package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.model.StageEvent;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * The same ParticipantErrors document through software.amazon.cloudwatchlogs:aws-embedded-metrics. The driver sets
 * AWS_LAMBDA_FUNCTION_NAME, as Lambda does, so the library picks its Lambda environment (stdout) and probes nothing.
 */
public final class MetricsEmfLibrarySubject {
    private MetricsEmfLibrarySubject() {
    }

    public static void main(String[] args) {
        Checkpoints marks = new Checkpoints();
        StageEvent event = ErrorEvent.publishError();
        marks.mark("event");
        emit(new MetricsLogger(), event);
        marks.mark("done");
        marks.report();
    }

    private static void emit(MetricsLogger logger, StageEvent event) {
        String code = event.eventSource().errorCodeAsString();
        logger.setNamespace("IVS/StageEvents");
        logger.setDimensions(DimensionSet.of("ErrorCode", code),
                DimensionSet.of("ErrorCode", code, "EventName", event.eventSource().nameAsString()));
        logger.putMetric("ParticipantErrors", 1, Unit.COUNT);
        logger.putProperty("stageArn", event.stageArn());
        logger.putProperty("sessionId", event.sessionId());
        logger.putProperty("participantId", event.eventSource().participantId());
        logger.putProperty("eventId", event.eventId());
        logger.putProperty("eventTime", event.eventSource().eventTime().toString());
        logger.flush();
    }
}
