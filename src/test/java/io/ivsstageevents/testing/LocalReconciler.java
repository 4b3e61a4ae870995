package io.ivsstageevents.testing;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.ReconciliationHandler;
import io.ivsstageevents.ivsapi.IvsRealTimeApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The real reconciler against a DynamoDB table and an IVS Real-Time API endpoint (the loopback stand-in), with
 * what it emits captured, as {@link LocalFunction} does for the event function.
 */
public final class LocalReconciler implements AutoCloseable {
    /** The credentials the stand-in is started with and the reconciler signs with. */
    public static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDSTANDIN", "stand-in-secret");

    private final ReconciliationHandler handler;
    private final IvsRealTimeApi api;
    private final URI ivsEndpoint;
    private final CapturedOutputs outputs = new CapturedOutputs();
    private volatile int remainingTimeMillis = 300_000;

    /**
     * extraEnvironment adds to or overrides the environment (RECONCILIATION_* settings, say); the clock is the
     * reconciler's "now", which decides the lookback window and the deadline.
     */
    public LocalReconciler(DynamoDbClient dynamoDb, String table, URI ivsEndpoint,
                           Map<String, String> extraEnvironment, Clock clock) {
        this(dynamoDb, table, ivsEndpoint, extraEnvironment, clock, CREDENTIALS);
    }

    /** Signing with other credentials: those of {@link #credentialsFrom}, say. */
    public LocalReconciler(DynamoDbClient dynamoDb, String table, URI ivsEndpoint,
                           Map<String, String> extraEnvironment, Clock clock, AwsCredentials credentials) {
        Map<String, String> environment = new HashMap<>();
        environment.put(Configuration.TABLE_NAME, table);
        environment.put(Configuration.AWS_REGION, LocalDynamoDb.REGION);
        environment.put(Configuration.RETENTION_DAYS, "0");
        environment.putAll(extraEnvironment);
        Configuration configuration = Configuration.fromEnvironment(environment);
        this.api = IvsRealTimeApi.builder()
                .region(configuration.region())
                .endpointOverride(ivsEndpoint)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .requestsPerSecond(configuration.reconciliationRequestsPerSecond())
                .build();
        this.ivsEndpoint = ivsEndpoint;
        this.handler = new ReconciliationHandler(configuration, dynamoDb, api, outputs::emit,
                new Log(configuration.logLevel(), outputs.log()), clock);
    }

    /**
     * The credentials a stand-in started by hand accepts and ./invoke-local --reconcile signs with: the
     * environment's when AWS_ACCESS_KEY_ID is set (to read a real account, or a stand-in started with them), else
     * {@link #CREDENTIALS}, so that the two agree out of the box.
     */
    public static AwsCredentials credentialsFrom(Map<String, String> environment) {
        String accessKeyId = environment.get("AWS_ACCESS_KEY_ID");
        if (accessKeyId == null) {
            return CREDENTIALS;
        }
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (secret == null) {
            throw new IllegalStateException("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY");
        }
        String sessionToken = environment.get("AWS_SESSION_TOKEN");
        return sessionToken == null ? AwsBasicCredentials.create(accessKeyId, secret)
                : AwsSessionCredentials.create(accessKeyId, secret, sessionToken);
    }

    /** The region both sides sign for, by the same rule: AWS_REGION when set, else the local fixtures' one. */
    public static String regionFrom(Map<String, String> environment) {
        String region = environment.get(Configuration.AWS_REGION);
        return region == null || region.isBlank() ? LocalDynamoDb.REGION : region;
    }

    /** One scheduled invocation; its answer, or what it throws, as Lambda would see it. */
    public String run() {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), response,
                    TestContext.of("ivs-stage-events-reconciler-local", () -> remainingTimeMillis));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    /** What the context reports as time left before the timeout (300 s, the template's, unless set). */
    public void remainingTimeMillis(int millis) {
        this.remainingTimeMillis = millis;
    }

    /**
     * What a run keeps back at the end ({@code ReconciliationHandler.STOP_MARGIN}, package-private there): a test
     * in another package that cuts runs off by their deadline gives them this plus the work it means them to do.
     */
    public static Duration stopMargin() {
        try {
            Field margin = ReconciliationHandler.class.getDeclaredField("STOP_MARGIN");
            margin.setAccessible(true);
            return (Duration) margin.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ReconciliationHandler.STOP_MARGIN is gone: " + e, e);
        }
    }

    public URI ivsEndpoint() {
        return ivsEndpoint;
    }

    public IvsRealTimeApi api() {
        return api;
    }

    public List<String> metrics() {
        return outputs.metrics();
    }

    public List<String> logLines() {
        return outputs.logLines();
    }

    @Override
    public void close() {
        api.close();
    }
}
