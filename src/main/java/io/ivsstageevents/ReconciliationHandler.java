package io.ivsstageevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.metrics.ReconciliationMetrics;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.path.EventPath;
import io.ivsstageevents.ivsapi.IvsRealTimeApi;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.reconciler.Reconciler;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.storage.ReconciliationProgress;
import io.ivsstageevents.storage.StageEventRecorder;
import io.ivsstageevents.time.TimeBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda entry point of the reconciler, which EventBridge Scheduler invokes every few minutes (its input is
 * not read): one {@link Reconciler} run, its metrics, and an answer that says how far it got. A run that fails
 * (the API or DynamoDB down past their retries) throws, for the errors alarm; its progress is saved, and the
 * next run resumes it.
 */
public final class ReconciliationHandler implements RequestStreamHandler {
    /**
     * Kept back at the end of a run for the last page it starts: the request with its retries after throttling
     * (about 16 s at most) and the writes of its up to 100 events.
     */
    static final Duration STOP_MARGIN = Duration.ofSeconds(40);

    private final Reconciler reconciler;
    private final IvsRealTimeApi api;
    private final String metricsNamespace;
    private final Consumer<String> metricsSink;
    private final Log log;
    private final Clock clock;

    /** Used by Lambda: clients built at init, with the region and credentials Lambda provides. */
    public ReconciliationHandler() {
        this(Configuration.fromEnvironment(System.getenv()));
    }

    private ReconciliationHandler(Configuration configuration) {
        this(configuration, DynamoDbClients.create(configuration.region(), configuration.dynamoDbEndpoint()),
                IvsRealTimeApi.builder()
                        .region(configuration.region())
                        .endpointOverride(configuration.ivsEndpoint())
                        .requestsPerSecond(configuration.reconciliationRequestsPerSecond())
                        .build(),
                System.out::println, new Log(configuration.logLevel(), System.out), Clock.systemUTC());
    }

    /** For the local runner and the tests: the same reconciler against other endpoints and outputs. */
    public ReconciliationHandler(Configuration configuration, DynamoDbClient dynamoDb, IvsRealTimeApi api,
                                 Consumer<String> metricsSink, Log log, Clock clock) {
        this.reconciler = new Reconciler(api, new EventPath(new StageEventParser(),
                new StageEventRecorder(dynamoDb, configuration.tableName(), configuration.retentionDays())),
                new ReconciliationProgress(dynamoDb, configuration.tableName()),
                configuration.reconciliationStageArns(), configuration.reconciliationLookback(), clock, log);
        this.api = api;
        this.metricsNamespace = configuration.metricsNamespace();
        this.metricsSink = metricsSink;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        TimeBudget budget = context == null ? TimeBudget.unlimited()
                : TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis()).minus(STOP_MARGIN), clock);
        long requestsBefore = api.requestsSent();
        long throttlesBefore = api.throttles();
        ReconciliationMetrics metrics = new ReconciliationMetrics(metricsNamespace, metricsSink, clock);
        Reconciler.Outcome outcome = null;
        long requests;
        long throttled;
        try {
            outcome = reconciler.run(budget, metrics);
        } catch (RuntimeException e) {
            log.error("reconciliation failed; the next run resumes where it stopped: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "requestId", context == null ? null : context.getAwsRequestId());
            throw e;
        } finally {
            requests = api.requestsSent() - requestsBefore;
            throttled = api.throttles() - throttlesBefore;
            metrics.flush(outcome == null ? 1 : outcome.sessionsPending(), requests, throttled);
        }
        if (!outcome.complete()) {
            log.warn("deadline reached: stopped with sessions still to read; the next run resumes",
                    "sessionsReconciled", metrics.sessionsReconciled(),
                    "sessionsPending", outcome.sessionsPending(), "apiRequests", requests);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("complete", outcome.complete());
        answer.put("sessionsReconciled", metrics.sessionsReconciled());
        answer.put("sessionsPending", outcome.sessionsPending());
        answer.put("apiRequests", requests);
        answer.put("apiRequestsThrottled", throttled);
        output.write(JsonTree.writeValue(answer).getBytes(StandardCharsets.UTF_8));
    }
}
