package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
        AtomicInteger requests = new AtomicInteger();
        DynamoDbClient counting = LocalDynamoDb.clientFor(dynamoDb.endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.incrementAndGet();
            }
        }));

        handler(counting).priming().beforeCheckpoint(null);

        assertThat(requests.get()).isPositive();
    }

    @Test
    void everyPrimingSampleIsInTheJarsResources() {
        for (String sample : Priming.SAMPLES) {
            assertThat(Priming.class.getResource("/priming/" + sample)).as(sample).isNotNull();
        }
    }

    private StageEventHandler handler(DynamoDbClient client) {
        Configuration configuration = Configuration.fromEnvironment(Map.of("TABLE_NAME", table,
                "AWS_REGION", LocalDynamoDb.REGION, "RETENTION_DAYS", "30", "METRICS_STAGE_DIMENSION", "true"));
        return new StageEventHandler(configuration, client, emitted::add,
                new Log(Log.Level.DEBUG, new PrintStream(logs, true, StandardCharsets.UTF_8)), Clock.systemUTC());
    }
}
