package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.path.Log;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.StandInCredentials;
import io.ivsstageevents.testing.TcpRelay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The SnapStart priming hook runs the real paths and leaves nothing a user would see. */
class PrimingTest {
    private final LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
    private final String table = dynamoDb.createTable();
    private final List<String> emitted = new ArrayList<>();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @Test
    void primingWritesNoItemEmitsNoMetricAndLogsNothing() {
        StageEventHandler handler = handler(dynamoDb.client());

        handler.priming().beforeCheckpoint(null);

        assertThat(dynamoDb.allItems(table)).isEmpty();
        assertThat(emitted).isEmpty();
        assertThat(logs.size()).isZero();
    }

    @Test
    void primingSendsARequestToDynamoDbSoTheClientIsWarmInTheSnapshot() {
        Watch watch = new Watch();

        handler(watch.client()).priming().beforeCheckpoint(null);

        assertThat(watch.answered).isNotEmpty();
    }

    @Test
    void primingSendsAConditionalPutThatWritesNothing() {
        Watch watch = new Watch();

        handler(watch.client()).priming().beforeCheckpoint(null);

        List<PutItemRequest> puts = watch.answered.stream()
                .filter(PutItemRequest.class::isInstance).map(PutItemRequest.class::cast).toList();
        assertThat(puts).isNotEmpty().allSatisfy(put -> assertThat(put.conditionExpression()).isNotBlank());
        assertThat(watch.failures).hasSameSizeAs(puts).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(ConditionalCheckFailedException.class));
        assertThat(dynamoDb.allItems(table)).isEmpty();
    }

    @Test
    void primingLeavesNoConnectionForTheSnapshotToCarry() throws Exception {
        try (StandInCredentials credentials = StandInCredentials.set();
             TcpRelay relay = TcpRelay.to(dynamoDb.endpoint())) {
            DynamoDbClient functionsClient = DynamoDbClients.create(LocalDynamoDb.REGION, relay.endpoint());

            handler(functionsClient).priming().beforeCheckpoint(null);

            assertThat(relay.accepted()).isPositive();
            assertThat(relay.openAfter(Duration.ofSeconds(10)))
                    .as("connections to DynamoDB still open after priming, which the snapshot would carry").isZero();
        }
    }

    @Test
    void everyPrimingSampleIsInTheJarsResources() {
        for (String sample : Stream.concat(Priming.SAMPLES.stream(), Stream.of(Priming.QUEUE_SAMPLE)).toList()) {
            assertThat(Priming.class.getResource("/priming/" + sample)).as(sample).isNotNull();
        }
    }

    /** A real client on DynamoDB Local that keeps every request DynamoDB answered and every call that failed. */
    private final class Watch implements ExecutionInterceptor {
        final List<SdkRequest> answered = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        DynamoDbClient client() {
            return LocalDynamoDb.clientFor(dynamoDb.endpoint(), List.of(this));
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            answered.add(context.request());
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            failures.add(context.exception());
        }
    }

    private StageEventHandler handler(DynamoDbClient client) {
        Configuration configuration = Configuration.fromEnvironment(Map.of("TABLE_NAME", table,
                "AWS_REGION", LocalDynamoDb.REGION, "RETENTION_DAYS", "30", "METRICS_STAGE_DIMENSION", "true"));
        return new StageEventHandler(configuration, client, emitted::add,
                new Log(Log.Level.DEBUG, new PrintStream(logs, true, StandardCharsets.UTF_8)), Clock.systemUTC());
    }
}
