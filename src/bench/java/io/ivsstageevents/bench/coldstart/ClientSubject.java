package io.ivsstageevents.bench.coldstart;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * One HTTP client's whole life as Lambda sees it, in one fresh JVM: the floor's token exchange on a cold JVM (the
 * plain cold start), then the same after every connection was closed under it (what a SnapStart restore leaves of
 * a connection kept in the snapshot: loaded classes, a pooled connection that is dead), then on a second client
 * with no connection at all (a restore of a snapshot that kept none, as the function's priming leaves it), then
 * warm token exchanges, each with participants of its own, timed one by one in wall time, and in CPU time: the
 * process's (JIT compiler and collector threads included) and the calling thread's (the request's own work, except
 * the CRT's, whose I/O runs on native threads of its own).
 *
 * <p>Args: the event file, the client (url-connection, apache, apache5, crt), the warm token exchanges to run
 * untimed and then timed. With {@code PROXY_CONTROL} set (host:port), a connection to it makes the proxy in front
 * of DynamoDB close every connection it holds: the "restore".
 */
public final class ClientSubject {
    /** Attempt and socket timeouts: the function's 2 s are too short for a cold JVM on a CPU share of a busy host. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ClientSubject() {
    }

    public static void main(String[] args) throws Exception {
        Checkpoints marks = new Checkpoints();
        Files.readAllBytes(Path.of(args[0]));
        String client = args[1];
        int warmUp = Integer.parseInt(args[2]);
        int timed = Integer.parseInt(args[3]);
        URI endpoint = URI.create(System.getenv("DYNAMODB_ENDPOINT"));
        DynamoDbClient dynamoDb = ClientSettings.build(http(client, endpoint), System.getenv("AWS_REGION"),
                endpoint, TIMEOUT);
        marks.mark("client");
        FloorSubject.send(marks, dynamoDb);

        String table = System.getenv("TABLE_NAME");
        String control = System.getenv("PROXY_CONTROL");
        long restoreMicros = -1;
        long newConnectionMicros = -1;
        DynamoDbClient unconnected = null;
        if (control != null) {
            String[] hostPort = control.split(":");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
                socket.getInputStream().read();
            }
            long start = System.nanoTime();
            tokenExchange(dynamoDb, table, "restored");
            restoreMicros = (System.nanoTime() - start) / 1000;
            // The restore of a snapshot that holds no connection (the function's priming closes its own): the
            // classes loaded, a client with an empty pool.
            unconnected = ClientSettings.build(http(client, endpoint), System.getenv("AWS_REGION"), endpoint,
                    TIMEOUT);
            start = System.nanoTime();
            tokenExchange(unconnected, table, "unconnected");
            newConnectionMicros = (System.nanoTime() - start) / 1000;
        }
        for (int i = 0; i < warmUp; i++) {
            tokenExchange(dynamoDb, table, "warmup" + i);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var thread = ManagementFactory.getThreadMXBean();
        long[] wall = new long[timed];
        long threadCpuBefore = thread.getCurrentThreadCpuTime();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            tokenExchange(dynamoDb, table, "warm" + i);
            wall[i] = System.nanoTime() - start;
        }
        long wallTotal = System.nanoTime() - wallBefore;
        long cpuTotal = os.getProcessCpuTime() - cpuBefore;
        long threadCpuTotal = thread.getCurrentThreadCpuTime() - threadCpuBefore;
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "CLIENT restoreMicros=%d newConnectionMicros=%d warmMedianMicros=%d"
                        + " warmMeanMicros=%d warmCpuMicros=%d warmThreadCpuMicros=%d%n", restoreMicros,
                newConnectionMicros, wall[timed / 2] / 1000,
                wallTotal / timed / 1000, cpuTotal / timed / 1000, threadCpuTotal / timed / 1000);
        System.out.flush();
        dynamoDb.close();
        if (unconnected != null) {
            unconnected.close();
        }
        // The CRT client's native threads can take seconds to wind down; the figures are out.
        System.exit(0);
    }

    /** The floor's two requests for a participant of its own: the same sizes, a new item each time. */
    private static void tokenExchange(DynamoDbClient dynamoDb, String table, String participant) {
        dynamoDb.putItem(renamed(FloorRequests.ledger(table), participant));
        dynamoDb.putItem(renamed(FloorRequests.tokenState(table), participant));
    }

    private static PutItemRequest renamed(PutItemRequest request, String participant) {
        Map<String, AttributeValue> item = new HashMap<>(request.item());
        item.put("pk", AttributeValue.fromS(item.get("pk").s() + "#" + participant));
        return request.toBuilder().item(item).build();
    }

    static SdkHttpClient.Builder<?> http(String client, URI endpoint) {
        SdkHttpClient.Builder<?> builder = switch (client) {
            case "url-connection" -> software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                    .connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT);
            case "apache" -> software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                    .connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT);
            case "apache5" -> software.amazon.awssdk.http.apache5.Apache5HttpClient.builder()
                    .connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT);
            case "crt" -> software.amazon.awssdk.http.crt.AwsCrtHttpClient.builder()
                    .connectionTimeout(TIMEOUT);
            default -> throw new IllegalArgumentException("no such client: " + client);
        };
        if (client.equals("crt") && endpoint.getScheme().equals("https")) {
            // The JDK clients trust the proxy's certificate through javax.net.ssl.trustStore; the CRT's own TLS
            // reads only the system's trust store, so it is told not to verify (the one difference in the set-up).
            return new TrustAll(builder);
        }
        return builder;
    }

    private record TrustAll(SdkHttpClient.Builder<?> delegate) implements SdkHttpClient.Builder<TrustAll> {
        @Override
        public SdkHttpClient buildWithDefaults(AttributeMap defaults) {
            return delegate.buildWithDefaults(defaults.toBuilder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build());
        }
    }
}
