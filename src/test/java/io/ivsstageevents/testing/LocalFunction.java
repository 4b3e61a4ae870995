package io.ivsstageevents.testing;

import com.amazonaws.services.lambda.runtime.Context;
import io.ivsstageevents.Configuration;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.StageEventHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The real handler against a DynamoDB table, with what it emits captured: each metric document, each log line.
 * What the Lambda runtime would do around it is reduced to reading bytes in and the response out.
 */
public final class LocalFunction {
    private final String table;
    private final StageEventHandler handler;
    private final CapturedOutputs outputs = new CapturedOutputs();
    private volatile int remainingTimeMillis = 30_000;

    public LocalFunction(DynamoDbClient dynamoDb, String table) {
        this(dynamoDb, table, Map.of());
    }

    /** extraEnvironment overrides or adds to the environment variables the function reads. */
    public LocalFunction(DynamoDbClient dynamoDb, String table, Map<String, String> extraEnvironment) {
        this(dynamoDb, table, extraEnvironment, Clock.systemUTC());
    }

    public LocalFunction(DynamoDbClient dynamoDb, String table, Map<String, String> extraEnvironment, Clock clock) {
        this.table = table;
        Map<String, String> environment = new HashMap<>();
        environment.put(Configuration.TABLE_NAME, table);
        environment.put(Configuration.AWS_REGION, LocalDynamoDb.REGION);
        environment.put(Configuration.RETENTION_DAYS, "0");
        environment.putAll(extraEnvironment);
        Configuration configuration = Configuration.fromEnvironment(environment);
        this.handler = new StageEventHandler(configuration, dynamoDb, outputs::emit,
                new Log(configuration.logLevel(), outputs.log()), clock);
    }

    /** One invocation; what the handler throws is thrown, as Lambda would see it. */
    public String invoke(byte[] event) {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), response, context());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    public String invoke(String sampleFileName) {
        return invoke(SampleEvents.bytes(sampleFileName));
    }

    /** What the context reports as time left before the function's timeout (30 s unless set). */
    public void remainingTimeMillis(int millis) {
        this.remainingTimeMillis = millis;
    }

    public String table() {
        return table;
    }

    /** Every metric document emitted so far, in order. */
    public List<String> metrics() {
        return outputs.metrics();
    }

    /** Every log line written so far, in order. */
    public List<String> logLines() {
        return outputs.logLines();
    }

    public void clearOutputs() {
        outputs.clear();
    }

    private Context context() {
        return TestContext.of("ivs-stage-events-local", () -> remainingTimeMillis);
    }
}
