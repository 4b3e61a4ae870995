package io.ivsstageevents.storage;

import io.ivsstageevents.time.TimeBudget;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** The function's one DynamoDB client, built at init. */
public final class DynamoDbClients {
    /**
     * Bounds on time in DynamoDB: three attempts of at most 2 s each, 8 s for a call; the recorder holds all of
     * one event's calls to the same 8 s. An outage fails the invocation well inside the function's timeout, and
     * Lambda retries it later.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);
    static final int MAX_ATTEMPTS = 3;

    private DynamoDbClients() {
    }

    /** {@code endpoint} is null in AWS, and set for DynamoDB Local. */
    public static DynamoDbClient create(String region, URI endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                // Set explicitly: the SDK's default lookups of region and HTTP client cost cold-start time.
                .region(Region.of(region))
                // The default chain finds the credentials Lambda provides, also after a SnapStart restore.
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                // Apache, not url-connection: the JDK's HttpURLConnection waits 1 ms on every POST over a kept-alive
                // connection before sending it (docs/PERFORMANCE.md, "HTTP client").
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(override -> override
                        .retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(strategy -> strategy.maxAttempts(MAX_ATTEMPTS))
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /**
     * One call of an event's: what is left of the event's time budget becomes the call's own timeout, so that all
     * of its calls, retries included, end within the budget. Once it is spent the event fails, for Lambda to retry.
     */
    static AwsRequestOverrideConfiguration within(TimeBudget eventBudget) {
        Duration left = eventBudget.remaining();
        if (left.isNegative() || left.isZero()) {
            throw new IllegalStateException("the event's DynamoDB time budget of " + CALL_TIMEOUT.toSeconds()
                    + " s is spent; failing so that Lambda retries");
        }
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
    }
}
