package io.ivsstageevents.bench.coldstart;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDbClients' builder settings with another HTTP client, for the HTTP client comparisons. Kept in step with
 * src/main by the driver's check of every run's table, and by reading: the settings are five lines.
 */
public final class ClientSettings {
    private ClientSettings() {
    }

    public static DynamoDbClient build(SdkHttpClient.Builder<?> http, String region, URI endpoint) {
        return build(http, region, endpoint, Duration.ofSeconds(2));
    }

    /**
     * With a longer attempt timeout: for a client starting cold on a CPU share of a loaded machine, whose first
     * attempt can outlast the function's 2 s and would then be retried onto its own write.
     */
    public static DynamoDbClient build(SdkHttpClient.Builder<?> http, String region, URI endpoint,
                                       Duration attemptTimeout) {
        return DynamoDbClient.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(http)
                .overrideConfiguration(override -> override
                        .retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(strategy -> strategy.maxAttempts(3))
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(attemptTimeout.multipliedBy(4)))
                .endpointOverride(endpoint)
                .build();
    }

    /** The floor's two requests on a client built here: what each HTTP client variant runs. */
    static void floor(Checkpoints marks, SdkHttpClient.Builder<?> http) {
        DynamoDbClient dynamoDb = build(http, System.getenv("AWS_REGION"),
                URI.create(System.getenv("DYNAMODB_ENDPOINT")));
        marks.mark("client");
        FloorSubject.send(marks, dynamoDb);
    }
}
