package io.ivsstageevents.bench.coldstart;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ivsstageevents.StageEventHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Queue mode against direct mode as Lambda bills them, warm: the function (no-arg constructor, its own client) on
 * one token exchange delivered directly, and on an SQS batch of ten, alternating, every event a participant of its
 * own. Args: the event file, the batch size, the pairs to run untimed and then timed. Prints the median time of
 * each, the median of the per-pair ratios, and the mean CPU time of each (the process's): what bounds a batch
 * from below on a CPU share.
 */
public final class QueueSubject {
    private QueueSubject() {
    }

    public static void main(String[] args) throws IOException {
        String sample = Files.readString(Path.of(args[0]));
        int batchSize = Integer.parseInt(args[1]);
        int warmUp = Integer.parseInt(args[2]);
        int timed = Integer.parseInt(args[3]);
        StageEventHandler handler = new StageEventHandler();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long directCpu = 0;
        long batchCpu = 0;
        long[] direct = new long[timed];
        long[] batch = new long[timed];
        double[] ratios = new double[timed];
        int participant = 0;
        for (int i = -warmUp; i < timed; i++) {
            byte[] event = withParticipant(sample, participant++);
            StringBuilder records = new StringBuilder("{\"Records\":[");
            for (int m = 0; m < batchSize; m++) {
                records.append(m == 0 ? "" : ",").append("{\"messageId\":\"m").append(m)
                        .append("\",\"eventSource\":\"aws:sqs\",\"body\":\"")
                        .append(JsonStringEncoder.getInstance().quoteAsString(
                                new String(withParticipant(sample, participant++), StandardCharsets.UTF_8)))
                        .append("\"}");
            }
            byte[] sqs = records.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            // Alternating which goes first, so that neither always follows the other.
            long d;
            long b;
            long cpuStart = os.getProcessCpuTime();
            long cpuBetween;
            if (i % 2 == 0) {
                d = time(handler, event);
                cpuBetween = os.getProcessCpuTime();
                b = time(handler, sqs);
            } else {
                b = time(handler, sqs);
                cpuBetween = os.getProcessCpuTime();
                d = time(handler, event);
            }
            long cpuEnd = os.getProcessCpuTime();
            if (i >= 0) {
                directCpu += i % 2 == 0 ? cpuBetween - cpuStart : cpuEnd - cpuBetween;
                batchCpu += i % 2 == 0 ? cpuEnd - cpuBetween : cpuBetween - cpuStart;
                direct[i] = d;
                batch[i] = b;
                ratios[i] = (double) b / d;
            }
        }
        Arrays.sort(direct);
        Arrays.sort(batch);
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "QUEUE directMedianMicros=%d batchMedianMicros=%d batchOverDirect=%.3f"
                        + " directCpuMicros=%d batchCpuMicros=%d%n", direct[timed / 2] / 1000, batch[timed / 2] / 1000,
                ratios[timed / 2], directCpu / timed / 1000, batchCpu / timed / 1000);
        System.out.flush();
        System.exit(0);
    }

    private static byte[] withParticipant(String sample, int participant) {
        return sample.replace("aBc9d8e7f6g", "queue" + participant).getBytes(StandardCharsets.UTF_8);
    }

    private static long time(StageEventHandler handler, byte[] payload) throws IOException {
        long start = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(payload), OutputStream.nullOutputStream(), null);
        return System.nanoTime() - start;
    }
}
