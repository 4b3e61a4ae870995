package io.ivsstageevents.reliability;

import io.ivsstageevents.testing.LocalFunction;
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
 * The stream's order is kept only roughly, which is what concurrent delivery means.
 */
final class ConcurrentDelivery {
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
                    for (int i = next.getAndIncrement(); i < deliveries.size(); i = next.getAndIncrement()) {
                        SyntheticEvent event = deliveries.get(i);
                        try {
                            function.invoke(event.bytes());
                        } catch (RuntimeException | Error e) {
                            failures.add(new Failure(event, e));
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
}
