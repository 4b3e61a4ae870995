package io.ivsstageevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.InvalidEventException;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.storage.RecordOutcome;
import io.ivsstageevents.storage.StageEventRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda entry point for "IVS Stage Update" events from EventBridge.
 *
 * <p>It takes the raw bytes, so that a malformed event is reported by this code, field by field, and not by the
 * runtime's serializer. An event that cannot be processed throws: Lambda retries it and then hands it to the
 * on-failure destination, and nothing of it has been written.
 */
public final class StageEventHandler implements RequestStreamHandler {
    private final StageEventParser parser;
    private final StageEventRecorder recorder;
    private final StageEventMetrics metrics;
    private final Log log;
    /** Held here because CRaC keeps registered resources only weakly. */
    private final Priming priming;

    /** Used by Lambda: everything costly is built here, once, and so is in the SnapStart snapshot. */
    public StageEventHandler() {
        this(Configuration.fromEnvironment(System.getenv()));
    }

    private StageEventHandler(Configuration configuration) {
        this(configuration, DynamoDbClients.create(configuration), System.out::println,
                new Log(configuration.logLevel(), System.out), Clock.systemUTC());
    }

    /** For the local runner and the tests: the same handler against another DynamoDB and other outputs. */
    public StageEventHandler(Configuration configuration, DynamoDbClient dynamoDb, Consumer<String> metricsSink,
                             Log log, Clock clock) {
        this.parser = new StageEventParser();
        this.recorder = new StageEventRecorder(dynamoDb, configuration.tableName(), configuration.retentionDays());
        this.metrics = new StageEventMetrics(configuration.metricsNamespace(),
                configuration.metricsStageDimension(), metricsSink, clock);
        this.log = log;
        this.priming = Priming.register(parser, recorder,
                new StageEventMetrics(configuration.metricsNamespace(), configuration.metricsStageDimension(),
                        document -> { }, clock));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        StageEventMetrics.Invocation invocation = metrics.startInvocation();
        try {
            handleEvent(event, invocation, context == null ? null : context.getAwsRequestId());
        } finally {
            invocation.flush();
        }
    }

    /** One event: read the envelope and build the EventSource, decide what it means, record it, measure it. */
    private void handleEvent(byte[] bytes, StageEventMetrics.Invocation invocation, String requestId) {
        try {
            ParsedEvent parsed = parser.parse(bytes);
            if (parsed instanceof ForeignEvent foreign) {
                invocation.ignored(null);
                log.info("skipped: not an IVS stage update", "requestId", requestId,
                        "source", foreign.source(), "detailType", foreign.detailType());
                return;
            }
            StageEvent event = (StageEvent) parsed;
            String name = event.eventSource().nameAsString();
            if (!event.mustBeRecorded() && !event.isParticipantError()) {
                invocation.ignored(name);
                log.info("skipped: not a recorded event", "requestId", requestId, "eventId", event.eventId(),
                        "name", name);
                return;
            }
            if (event.mustBeRecorded()) {
                RecordOutcome outcome = recorder.record(event);
                invocation.recorded(event, outcome);
                log.info(outcome == RecordOutcome.RECORDED ? "recorded" : "recorded before: state re-applied",
                        "requestId", requestId, "eventId", event.eventId(), "name", name,
                        "stageArn", event.stageArn(), "sessionId", event.sessionId(),
                        "participantId", event.eventSource().participantId());
            }
            if (event.isParticipantError()) {
                invocation.participantError(event);
                log.info("participant error", "requestId", requestId, "eventId", event.eventId(), "name", name,
                        "errorCode", event.eventSource().errorCode(),
                        "stageArn", event.stageArn(), "participantId", event.eventSource().participantId());
            }
        } catch (InvalidEventException e) {
            invocation.invalid();
            log.error("invalid event: " + e.getMessage(), "requestId", requestId);
            throw e;
        } catch (RuntimeException e) {
            log.error("failed, for Lambda to retry: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "requestId", requestId);
            throw e;
        }
    }
}
