package io.ivsstageevents.bench.reconciler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.ivsstageevents.ReconciliationHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconciler as Lambda runs it, from the function's jar: the no-argument constructor (environment, DynamoDB
 * client, IVS API client) and then {@code handleRequest} as the schedule invokes it, twice: the first run reads
 * the ended session, the second finds nothing new (what every later run of the schedule costs). The Lambda
 * runtime's context counts down from the template's 300 s timeout.
 *
 * <p>Reports, on lines starting with {@code BENCH } (through the process's real stdout, not counted): the time of
 * each step, the handler's answer, the bytes the function wrote to stdout (its log lines and EMF documents: what
 * CloudWatch Logs ingests) and the DynamoDB requests {@link DynamoDbRequests} counted.
 */
public final class ReconcilerSubject {
    private static final int TIMEOUT_MILLIS = 300_000;

    private ReconcilerSubject() {
    }

    public static void main(String[] args) throws IOException {
        long mainNanos = System.nanoTime();
        PrintStream report = System.out;
        AtomicLong logBytes = new AtomicLong();
        // Before the handler exists: it binds System.out for its logs and metrics when it is built.
        System.setOut(new PrintStream(new FilterOutputStream(report) {
            @Override
            public void write(int b) throws IOException {
                logBytes.incrementAndGet();
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                logBytes.addAndGet(len);
                out.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));

        ReconciliationHandler handler = new ReconciliationHandler();
        long initNanos = System.nanoTime();
        report.println("BENCH init ms=" + millis(initNanos - mainNanos) + " logBytes=" + logBytes.get()
                + " ddb " + DynamoDbRequests.snapshot());
        for (int run = 1; run <= 2; run++) {
            long before = logBytes.get();
            long start = System.nanoTime();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), answer,
                    context(start));
            long end = System.nanoTime();
            System.out.flush();
            report.println("BENCH run=" + run + " ms=" + millis(end - start) + " logBytes=" + (logBytes.get() - before)
                    + " answer=" + answer.toString(StandardCharsets.UTF_8) + " ddb " + DynamoDbRequests.snapshot());
        }
        report.println("BENCH hwmKiB=" + peakRssKiB());
        report.flush();
        System.exit(0);
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** What Lambda's context gives the handler: time left before the timeout, from the invocation's start. */
    private static Context context(long startNanos) {
        return new Context() {
            public String getAwsRequestId() { return "bench-" + startNanos; }
            public String getLogGroupName() { return "/aws/lambda/ivs-stage-events-reconciler-bench"; }
            public String getLogStreamName() { return "bench"; }
            public String getFunctionName() { return "ivs-stage-events-reconciler-bench"; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-west-2:123456789012:function:ivs-stage-events-reconciler-bench";
            }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() {
                return (int) Math.max(0, TIMEOUT_MILLIS - (System.nanoTime() - startNanos) / 1_000_000);
            }
            public int getMemoryLimitInMB() { return 512; }
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) { System.err.print(message); }
                    public void log(byte[] message) { System.err.print(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }

    /** The kernel's high-water mark of resident memory: whether 512 MB is enough. */
    private static long peakRssKiB() {
        try {
            for (String status : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (status.startsWith("VmHWM:")) {
                    return Long.parseLong(status.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
