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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /**
     * A queue batch's messages recorded at once, at most: the template's batch size. Each message waits on its
     * DynamoDB round trips, not on the CPU, so a batch takes about as long as its slowest message, not their sum.
     */
    static final int MESSAGE_CONCURRENCY = 10;

    private final EventPath eventPath;
    private final StageEventRecorder recorder;
    private final Replay replay;
    private final StageEventMetrics metrics;
    private final Log log;
    /** Held here because CRaC keeps registered resources only weakly. */
    private final Priming priming;
    /** Its threads start with the first batch and are reused by every later one. */
    private final ExecutorService messageThreads = Executors.newFixedThreadPool(MESSAGE_CONCURRENCY, task -> {
        Thread thread = new Thread(task, "queue-message");
        thread.setDaemon(true);
        return thread;
    });

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
        this.eventPath = new EventPath(new StageEventParser());
        this.recorder = new StageEventRecorder(dynamoDb, configuration.tableName(), configuration.retentionDays());
        this.replay = new Replay(eventPath, new KeptEvents(dynamoDb, configuration.tableName()));
        this.metrics = new StageEventMetrics(configuration.metricsNamespace(),
                configuration.metricsStageDimension(), metricsSink, clock);
        this.log = log;
        this.priming = Priming.register(eventPath,
                StageEventRecorder.rehearsing(dynamoDb, configuration.tableName(), configuration.retentionDays()),
                new StageEventMetrics(configuration.metricsNamespace(), configuration.metricsStageDimension(),
                        document -> { }, clock));
    }

    Priming priming() {
        return priming;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        StageEventMetrics.Invocation counts = metrics.startInvocation();
        TimeBudget timeLeft = context == null ? TimeBudget.unlimited()
                : TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis()));
        Invocation invocation = Invocation.of(context == null ? null : context.getAwsRequestId(), timeLeft,
                recorder, counts, log);
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
     * Queue mode: each message down the same path as a direct event, up to MESSAGE_CONCURRENCY of them at once, in
     * the batch's order. A message that fails is reported alone, so the others are not redelivered. After a
     * failure that is not the message's own fault (DynamoDB down, say), no further message is started: the rest
     * are reported failed too, for SQS to deliver again later, rather than spending the function's timeout on calls
     * that would fail the same way (those already under way end as they end, and are reported by their outcome).
     * Nor is a message started without time left for its DynamoDB calls to fail within the client's bound: a
     * batch that ran past the timeout would come back whole, the messages already recorded with it. The order the
     * messages are recorded in does not matter: every write is safe against reordering.
     */
    private SQSBatchResponse handleBatch(SQSEvent batch, Invocation invocation, StageEventMetrics.Invocation counts,
                                         Context context) {
        List<SQSEvent.SQSMessage> messages = batch.getRecords();
        counts.batchSize(messages.size());
        AtomicBoolean infrastructureFailed = new AtomicBoolean();
        List<Callable<MessageOutcome>> tasks = new ArrayList<>(messages.size());
        for (SQSEvent.SQSMessage message : messages) {
            tasks.add(() -> handleMessage(message, invocation, infrastructureFailed));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int unattemptedForTime = 0;
        List<Future<MessageOutcome>> outcomes = runAll(tasks);
        for (int i = 0; i < messages.size(); i++) {
            MessageOutcome outcome = outcomeOf(outcomes.get(i));
            if (outcome != MessageOutcome.RECORDED) {
                failures.add(new SQSBatchResponse.BatchItemFailure(messages.get(i).getMessageId()));
            }
            unattemptedForTime += outcome == MessageOutcome.OUT_OF_TIME ? 1 : 0;
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

    /** What became of one message; all but RECORDED are reported failed. */
    private enum MessageOutcome { RECORDED, INVALID, FAILED, NOT_STARTED_AFTER_FAILURE, OUT_OF_TIME }

    private MessageOutcome handleMessage(SQSEvent.SQSMessage message, Invocation invocation,
                                         AtomicBoolean infrastructureFailed) {
        if (infrastructureFailed.get()) {
            return MessageOutcome.NOT_STARTED_AFTER_FAILURE;
        }
        if (!invocation.hasTimeForAnotherEvent()) {
            return MessageOutcome.OUT_OF_TIME;
        }
        try {
            eventPath.run(JsonTree.readObject(bodyOf(message)), invocation);
            return MessageOutcome.RECORDED;
        } catch (InvalidEventException e) {
            invocation.invalid(e);
            invocation.warn("message reported failed: invalid", "messageId", message.getMessageId());
            return MessageOutcome.INVALID;
        } catch (RuntimeException e) {
            infrastructureFailed.set(true);
            invocation.failed(e);
            invocation.warn("message reported failed, and the rest of the batch with it",
                    "messageId", message.getMessageId());
            return MessageOutcome.FAILED;
        }
    }

    private List<Future<MessageOutcome>> runAll(List<Callable<MessageOutcome>> tasks) {
        try {
            return messageThreads.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a batch", e);
        }
    }

    /** An Error in a message (out of memory, say) fails the invocation, as it would have on this thread. */
    private static MessageOutcome outcomeOf(Future<MessageOutcome> outcome) {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static byte[] bodyOf(SQSEvent.SQSMessage message) {
        if (message.getBody() == null) {
            throw new InvalidEventException("body", "missing");
        }
        return message.getBody().getBytes(StandardCharsets.UTF_8);
    }
}
