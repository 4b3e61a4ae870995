package io.ivsstageevents;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.parsing.SqsBatch;
import io.ivsstageevents.path.EventPath;
import io.ivsstageevents.path.Invocation;
import io.ivsstageevents.storage.StageEventRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs the function's code paths once before the SnapStart snapshot is taken, so that the classes they load,
 * the JIT work they trigger and the DynamoDB client's first connection and credentials are in the snapshot and
 * not paid for on the first event after a restore. Each sample goes down the handler's own {@link EventPath}, in
 * an invocation whose writes are rehearsed: metric documents go to a sink that discards them, and for each sample
 * that would be recorded DynamoDB sees a GetItem of a key no item has and a PutItem to that key on condition that
 * an item is already there. No write ever creates one, so the condition never holds and DynamoDB rejects the put
 * (ConditionalCheckFailedException): the write path, the duplicate path included, is in the snapshot and nothing
 * is written.
 */
final class Priming implements Resource {
    /** Copied from events/ into the jar by the build: one event per path (record, replicate, measure). */
    static final List<String> SAMPLES = List.of(
            "token-exchanged.json", "replication-started.json", "replication-stopped.json", "publish-error.json");
    /** Queue mode's envelope, read and answered; the events in its messages are of the kinds primed above. */
    static final String QUEUE_SAMPLE = "sqs-batch.json";

    private final EventPath eventPath;
    private final StageEventRecorder rehearsingRecorder;
    private final StageEventMetrics discardingMetrics;

    private Priming(EventPath eventPath, StageEventRecorder rehearsingRecorder, StageEventMetrics discardingMetrics) {
        this.eventPath = eventPath;
        this.rehearsingRecorder = rehearsingRecorder;
        this.discardingMetrics = discardingMetrics;
    }

    /**
     * {@code rehearsingRecorder} is {@link StageEventRecorder#rehearsing}; {@code discardingMetrics} run the
     * handler's metrics code into a sink that discards every document.
     */
    static Priming register(EventPath eventPath, StageEventRecorder rehearsingRecorder,
                            StageEventMetrics discardingMetrics) {
        Priming priming = new Priming(eventPath, rehearsingRecorder, discardingMetrics);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the SDK re-resolves credentials, and priming left no connection to reconnect.
    }

    void prime() {
        StageEventMetrics.Invocation counts = discardingMetrics.startInvocation();
        Invocation invocation = Invocation.rehearsal(rehearsingRecorder, counts);
        for (String sample : SAMPLES) {
            eventPath.run(JsonTree.readObject(read(sample)), invocation);
        }
        counts.flush();
        primeQueueMode();
        rehearsingRecorder.endRehearsal();
    }

    private static void primeQueueMode() {
        SQSEvent batch = SqsBatch.read(JsonTree.readObject(read(QUEUE_SAMPLE)));
        SQSBatchResponse response = new SQSBatchResponse(List.of(
                new SQSBatchResponse.BatchItemFailure(batch.getRecords().get(0).getMessageId())));
        try {
            SqsBatch.write(response, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String sample) {
        try (InputStream in = Priming.class.getResourceAsStream("/priming/" + sample)) {
            if (in == null) {
                throw new IllegalStateException("priming sample missing from the jar: " + sample);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
