package io.ivsstageevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.parsing.SqsBatch;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.path.EventPath;
import io.ivsstageevents.path.Invocation;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.storage.KeptEvents;
import io.ivsstageevents.storage.StageEventRecorder;
import io.ivsstageevents.time.TimeBudget;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda entry point for "IVS Stage Update" events: from EventBridge directly, one event per invocation, or
 * in queue mode through SQS, a batch per invocation (its response names the messages that failed). Each event
 * goes down the one {@link EventPath}. A request to replay the events kept as unrecognized ({@link Replay}) is
 * the one payload that is not an event.
 *
 * <p>It takes the raw bytes, so that a malformed event is reported by this code, field by field, and not by the
 * runtime's serializer. An event that cannot be processed throws: Lambda retries it and then hands it to the
 * on-failure destination, and nothing of it has been written.
 */
public final class StageEventHandler implements RequestStreamHandler {
    /** No message is started with less time left than this. */
    static final Duration MESSAGE_START_MARGIN = Invocation.EVENT_START_MARGIN;

    private final EventPath eventPath;
    private final Replay replay;
    private final StageEventMetrics metrics;
    private final Log log;
    /** Held here because CRaC keeps registered resources only weakly. */
    private final Priming priming;

    /** Used by Lambda: everything costly is built here, once, and so is in the SnapStart snapshot. */
    public StageEventHandler() {
        this(Configuration.fromEnvironment(System.getenv()));
    }

    private StageEventHandler(Configuration configuration) {
        this(configuration, DynamoDbClients.create(configuration.region(), configuration.dynamoDbEndpoint()),
                System.out::println, new Log(configuration.logLevel(), System.out), Clock.systemUTC());
    }

    /** For the local runner and the tests: the same handler against another DynamoDB and other outputs. */
    public StageEventHandler(Configuration configuration, DynamoDbClient dynamoDb, Consumer<String> metricsSink,
                             Log log, Clock clock) {
        this.eventPath = new EventPath(new StageEventParser(),
                new StageEventRecorder(dynamoDb, configuration.tableName(), configuration.retentionDays()));
        this.replay = new Replay(eventPath, new KeptEvents(dynamoDb, configuration.tableName()));
        this.metrics = new StageEventMetrics(configuration.metricsNamespace(),
                configuration.metricsStageDimension(), metricsSink, clock);
        this.log = log;
        this.priming = Priming.register(eventPath, new StageEventMetrics(configuration.metricsNamespace(),
                configuration.metricsStageDimension(), document -> { }, clock));
    }

    Priming priming() {
        return priming;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        StageEventMetrics.Invocation counts = metrics.startInvocation();
        Invocation invocation = context == null ? Invocation.of(null, TimeBudget.unlimited(), counts, log)
                : Invocation.of(context.getAwsRequestId(),
                        TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis())), counts, log);
        try {
            Map<String, Object> json = JsonTree.readObject(payload);
            if (SqsBatch.isBatch(json)) {
                SqsBatch.write(handleBatch(SqsBatch.read(json), invocation, counts, context), output);
            } else if (Replay.isRequest(json)) {
                String answer = JsonTree.writeValue(replay.run(json, invocation));
                output.write(answer.getBytes(StandardCharsets.UTF_8));
            } else {
                eventPath.run(json, invocation);
            }
        } catch (InvalidEventException e) {
            invocation.invalid(e);
            throw e;
        } catch (RuntimeException e) {
            invocation.failed(e);
            throw e;
        } finally {
            counts.flush();
        }
    }

    /**
     * Queue mode: each message down the same path as a direct event. A message that fails is reported alone,
     * so the others are not redelivered. After a failure that is not the message's own fault (DynamoDB down,
     * say), the rest of the batch is not attempted: it is reported failed too, for SQS to deliver again later,
     * rather than spending the function's timeout on calls that would fail the same way. Nor is a message
     * started without time left for its DynamoDB calls to fail within the client's bound: a batch that ran
     * past the timeout would come back whole, the messages already recorded with it.
     */
    private SQSBatchResponse handleBatch(SQSEvent batch, Invocation invocation, StageEventMetrics.Invocation counts,
                                         Context context) {
        List<SQSEvent.SQSMessage> messages = batch.getRecords();
        counts.batchSize(messages.size());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        boolean infrastructureFailed = false;
        int unattemptedForTime = 0;
        for (SQSEvent.SQSMessage message : messages) {
            if (infrastructureFailed || !invocation.hasTimeForAnotherEvent()) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                unattemptedForTime += infrastructureFailed ? 0 : 1;
                continue;
            }
            try {
                eventPath.run(JsonTree.readObject(bodyOf(message)), invocation);
            } catch (InvalidEventException e) {
                invocation.invalid(e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                invocation.warn("message reported failed: invalid", "messageId", message.getMessageId());
            } catch (RuntimeException e) {
                invocation.failed(e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                infrastructureFailed = true;
                invocation.warn("message reported failed, and the rest of the batch with it",
                        "messageId", message.getMessageId());
            }
        }
        if (unattemptedForTime > 0) {
            // Otherwise a timeout too short for the batch would send every message to the dead-letter queue unseen.
            counts.messagesOutOfTime(unattemptedForTime);
            invocation.warn("out of time: messages reported failed unattempted, for SQS to deliver again",
                    "messages", unattemptedForTime, "remainingMillis", context.getRemainingTimeInMillis(),
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
}
