package io.ivsstageevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.ForeignEvent;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.InvalidEventException;
import io.ivsstageevents.parsing.JsonTree;
import io.ivsstageevents.parsing.SqsBatch;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.storage.RecordOutcome;
import io.ivsstageevents.storage.StageEventRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda entry point for "IVS Stage Update" events: from EventBridge directly, one event per invocation, or
 * in queue mode through SQS, a batch per invocation (its response names the messages that failed).
 *
 * <p>It takes the raw bytes, so that a malformed event is reported by this code, field by field, and not by the
 * runtime's serializer. An event that cannot be processed throws: Lambda retries it and then hands it to the
 * on-failure destination, and nothing of it has been written.
 */
public final class StageEventHandler implements RequestStreamHandler {
    /** A message's DynamoDB calls end within the event's budget; two seconds more leave time to answer. */
    static final Duration MESSAGE_START_MARGIN = StageEventRecorder.EVENT_TIME_BUDGET.plusSeconds(2);

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
        this.priming = Priming.register(parser, recorder, configuration, clock);
    }

    Priming priming() {
        return priming;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        String requestId = context == null ? null : context.getAwsRequestId();
        StageEventMetrics.Invocation invocation = metrics.startInvocation();
        try {
            Map<String, Object> json = readPayload(payload, invocation, requestId);
            if (SqsBatch.isBatch(json)) {
                SqsBatch.write(handleBatch(readBatch(json, invocation, requestId), invocation, context), output);
            } else {
                handleEvent(json, invocation, requestId);
            }
        } finally {
            invocation.flush();
        }
    }

    /**
     * Queue mode: each message through the same path as a direct event. A message that fails is reported alone,
     * so the others are not redelivered. After a failure that is not the message's own fault (DynamoDB down,
     * say), the rest of the batch is not attempted: it is reported failed too, for SQS to deliver again later,
     * rather than spending the function's timeout on calls that would fail the same way. Nor is a message
     * started without time left for its DynamoDB calls to fail within the client's bound: a batch that ran
     * past the timeout would come back whole, the messages already recorded with it.
     */
    private SQSBatchResponse handleBatch(SQSEvent batch, StageEventMetrics.Invocation invocation, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        List<SQSEvent.SQSMessage> messages = batch.getRecords();
        invocation.batchSize(messages.size());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        boolean infrastructureFailed = false;
        int outOfTime = 0;
        for (SQSEvent.SQSMessage message : messages) {
            if (infrastructureFailed || outOfTime(context)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                outOfTime += infrastructureFailed ? 0 : 1;
                continue;
            }
            try {
                byte[] body = reportingInvalid(() -> bodyOf(message), invocation, requestId);
                handleEvent(readPayload(body, invocation, requestId), invocation, requestId);
            } catch (InvalidEventException invalid) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                log.warn("message reported failed: invalid", "requestId", requestId,
                        "messageId", message.getMessageId());
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                infrastructureFailed = true;
                log.warn("message reported failed, and the rest of the batch with it", "requestId", requestId,
                        "messageId", message.getMessageId());
            }
        }
        if (outOfTime > 0) {
            // Otherwise a timeout too short for the batch would send every message to the dead-letter queue unseen.
            invocation.messagesOutOfTime(outOfTime);
            log.warn("out of time: messages reported failed unattempted, for SQS to deliver again",
                    "requestId", requestId, "messages", outOfTime,
                    "remainingMillis", context.getRemainingTimeInMillis(),
                    "startMarginMillis", MESSAGE_START_MARGIN.toMillis());
        }
        return new SQSBatchResponse(failures);
    }

    private static byte[] bodyOf(SQSEvent.SQSMessage message) {
        if (message.getBody() == null) {
            throw new InvalidEventException("body", "missing");
        }
        return message.getBody().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean outOfTime(Context context) {
        return context != null && context.getRemainingTimeInMillis() < MESSAGE_START_MARGIN.toMillis();
    }

    /** One event: read the envelope and build the EventSource, decide what it means, record it, measure it. */
    private void handleEvent(Map<String, Object> payload, StageEventMetrics.Invocation invocation, String requestId) {
        try {
            ParsedEvent parsed = parser.parse(payload);
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
                        "errorCode", event.eventSource().errorCodeAsString(),
                        "stageArn", event.stageArn(), "participantId", event.eventSource().participantId());
            }
        } catch (InvalidEventException e) {
            reportInvalid(e, invocation, requestId);
            throw e;
        } catch (RuntimeException e) {
            log.error("failed, for Lambda to retry: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "requestId", requestId);
            throw e;
        }
    }

    private Map<String, Object> readPayload(byte[] payload, StageEventMetrics.Invocation invocation,
                                            String requestId) {
        return reportingInvalid(() -> JsonTree.readObject(payload), invocation, requestId);
    }

    private SQSEvent readBatch(Map<String, Object> payload, StageEventMetrics.Invocation invocation, String requestId) {
        return reportingInvalid(() -> SqsBatch.read(payload), invocation, requestId);
    }

    private <T> T reportingInvalid(Supplier<T> step, StageEventMetrics.Invocation invocation, String requestId) {
        try {
            return step.get();
        } catch (InvalidEventException e) {
            reportInvalid(e, invocation, requestId);
            throw e;
        }
    }

    private void reportInvalid(InvalidEventException e, StageEventMetrics.Invocation invocation, String requestId) {
        invocation.invalid();
        log.error("invalid event: " + e.getMessage(), "requestId", requestId);
    }
}
