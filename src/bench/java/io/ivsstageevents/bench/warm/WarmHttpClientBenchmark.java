package io.ivsstageevents.bench.warm;

import io.ivsstageevents.bench.coldstart.ClientSettings;
import io.ivsstageevents.testing.LocalDynamoDb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The HTTP client's warm cost: the token exchange's two requests on the Apache client (A) and on the url-connection
 * client the function uses (B), the function's client settings otherwise (ClientSettings), alternating by iteration as in WarmEventBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmHttpClientBenchmark {
    private LocalDynamoDb dynamoDbLocal;
    private DynamoDbClient apache;
    private DynamoDbClient urlConnection;
    private List<List<SdkRequest>> recorded;
    private int iteration = -1;
    private DynamoDbClient client;
    private String table;
    private List<List<SdkRequest>> requests;
    private int next;

    @Setup(Level.Trial)
    public void startDynamoDbLocal() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        dynamoDbLocal = LocalDynamoDb.start();
        apache = ClientSettings.build(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)), LocalDynamoDb.REGION, dynamoDbLocal.endpoint());
        urlConnection = ClientSettings.build(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)), LocalDynamoDb.REGION, dynamoDbLocal.endpoint());
        recorded = Samples.recordRequests(Samples.distinctParticipants("token-exchanged.json",
                WarmEventBenchmark.EVENTS_PER_ITERATION, "http"));
    }

    @Setup(Level.Iteration)
    public void newTable() {
        iteration++;
        client = Alternation.isA(iteration) ? apache : urlConnection;
        table = dynamoDbLocal.createTable();
        requests = Samples.retarget(recorded, table);
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void dropTable() {
        dynamoDbLocal.client().deleteTable(request -> request.tableName(table));
    }

    @TearDown(Level.Trial)
    public void stopDynamoDbLocal() {
        apache.close();
        urlConnection.close();
        dynamoDbLocal.stop();
    }

    @Benchmark
    public void tokenExchangeRequests() {
        Samples.send(client, requests.get(next++));
    }
}
