package io.ivsstageevents.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.SqsBatches;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Hands a stream to several function instances at once, as Lambda does when events arrive faster than one
 * instance handles them: each worker is an instance of its own (one invocation at a time), all on one table.
 * The stream's order is kept only roughly, which is what concurrent delivery means. With
 * {@code -Dreliability.queueBatch=N} the events come in queue mode instead, N to an SQS batch, whose messages each
 * instance records side by side; a message the batch response names is a failed delivery.
 */
final class ConcurrentDelivery {
    private static final int QUEUE_BATCH = Integer.getInteger("reliability.queueBatch", 0);

    record Failure(SyntheticEvent event, Throwable error) {
        @Override
        public String toString() {
            return "event " + event.eventId() + " (" + event.name() + "): " + error;
        }
    }

    private ConcurrentDelivery() {
    }

    /** Every delivery once; what the invocations emitted goes to outputs; failed invocations are returned. */
    static List<Failure> deliver(List<SyntheticEvent> deliveries, int workers, Supplier<LocalFunction> instances,
                                 FunctionOutputs outputs) {
        AtomicInteger next = new AtomicInteger();
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                LocalFunction function = instances.get();
                running.add(pool.submit(() -> {
                    int size = Math.max(1, QUEUE_BATCH);
                    for (int i = next.getAndAdd(size); i < deliveries.size(); i = next.getAndAdd(size)) {
                        List<SyntheticEvent> events = deliveries.subList(i, Math.min(i + size, deliveries.size()));
                        try {
                            if (QUEUE_BATCH > 0) {
                                failures.addAll(inQueueMode(function, events));
                            } else {
                                function.invoke(events.get(0).bytes());
                            }
                        } catch (RuntimeException | Error e) {
                            events.forEach(event -> failures.add(new Failure(event, e)));
                        }
                        outputs.add(function.metrics(), function.logLines());
                        function.clearOutputs();
                    }
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a delivery worker died", e);
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(failures);
    }

    private static List<Failure> inQueueMode(LocalFunction function, List<SyntheticEvent> events) {
        JsonNode response = EmfRules.parse(function.invoke(SqsBatches.of(events.stream().map(SyntheticEvent::bytes)
                .toList())));
        List<Failure> failed = new ArrayList<>();
        for (String messageId : response.get("batchItemFailures").findValuesAsText("itemIdentifier")) {
            SyntheticEvent event = events.get(Integer.parseInt(messageId.substring(messageId.indexOf('-') + 1)));
            failed.add(new Failure(event, new IllegalStateException("reported failed in its batch: " + messageId)));
        }
        return failed;
    }
}
