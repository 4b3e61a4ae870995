package io.ivsstageevents.bench.warm;

import io.ivsstageevents.bench.coldstart.ClientSettings;
import io.ivsstageevents.testing.LocalDynamoDb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The HTTP client's warm cost: the token exchange's two requests on the Apache client (A) and on the url-connection
 * client the function uses (B), the function's client settings otherwise (ClientSettings), alternating by
 * iteration as in WarmEventBenchmark.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmHttpClientBenchmark extends LocalTableState {
    private DynamoDbClient apache;
    private DynamoDbClient urlConnection;
    private List<List<SdkRequest>> recorded;
    private List<List<SdkRequest>> requests;
    private int next;

    @Override
    protected void prepareTrial() {
        apache = ClientSettings.build(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)), LocalDynamoDb.REGION, dynamoDbLocal.endpoint());
        urlConnection = ClientSettings.build(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)), LocalDynamoDb.REGION, dynamoDbLocal.endpoint());
        recorded = Samples.recordRequests(Samples.distinctParticipants("token-exchanged.json",
                WarmEventBenchmark.EVENTS_PER_ITERATION, "http"));
    }

    @Override
    protected void prepareIteration() {
        requests = Samples.retarget(recorded, table);
        next = 0;
    }

    @Override
    protected void closeTrial() {
        apache.close();
        urlConnection.close();
    }

    @Override
    protected int eventsRecorded() {
        return next;
    }

    @Benchmark
    public void tokenExchangeRequests() {
        Samples.send(sideA ? apache : urlConnection, requests.get(next++));
    }
}
