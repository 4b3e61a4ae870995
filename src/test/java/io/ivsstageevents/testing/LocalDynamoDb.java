package io.ivsstageevents.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * A real DynamoDB: DynamoDB Local, in memory, in this process, serving HTTP on a loopback port. One server per
 * JVM, started on first use; each test takes a table of its own, created from template.yaml's definition.
 */
public final class LocalDynamoDb {
    public static final String REGION = "us-west-2";
    public static final String TABLE_RESOURCE = "StageEventsTable";

    private static LocalDynamoDb shared;

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;

    private LocalDynamoDb(DynamoDBProxyServer server, URI endpoint, DynamoDbClient client) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = client;
    }

    /** Table operations on a DynamoDB this class did not start (one at --endpoint, say). */
    public static LocalDynamoDb wrapping(DynamoDbClient client) {
        return new LocalDynamoDb(null, null, client);
    }

    /** The JVM's server, started on first use and stopped when the JVM exits. */
    public static synchronized LocalDynamoDb shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** A server of one's own, for tests that stop and restart it. */
    public static LocalDynamoDb start() {
        return start(freePort());
    }

    public static LocalDynamoDb start(int port) {
        if (System.getProperty("sqlite4java.library.path") == null) {
            System.setProperty("sqlite4java.library.path", "target/native-libs");
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            return new LocalDynamoDb(server, endpoint, clientFor(endpoint));
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
    }

    public void stop() {
        try {
            client.close();
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    /** A client with DynamoDB Local's throwaway credentials, for any endpoint (a fault proxy, say). */
    public static DynamoDbClient clientFor(URI endpoint) {
        return clientFor(endpoint, List.of());
    }

    /** With interceptors: a real client whose requests a test can watch or fail on purpose. */
    public static DynamoDbClient clientFor(URI endpoint, List<ExecutionInterceptor> interceptors) {
        return DynamoDbClient.builder()
                .overrideConfiguration(override -> interceptors.forEach(override::addExecutionInterceptor))
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    /** A new, empty table of the template's definition, under a name no other test uses. */
    public String createTable() {
        String name = "ivs-stage-events-" + UUID.randomUUID();
        createTable(name);
        return name;
    }

    @SuppressWarnings("unchecked")
    public void createTable(String name) {
        Map<String, Object> table = CloudFormationTemplate.load().properties(TABLE_RESOURCE);
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (Map<String, Object> attribute : (List<Map<String, Object>>) table.get("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName((String) attribute.get("AttributeName"))
                    .attributeType((String) attribute.get("AttributeType"))
                    .build());
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Map<String, Object> index : (List<Map<String, Object>>) table.get("GlobalSecondaryIndexes")) {
            Map<String, Object> projection = (Map<String, Object>) index.get("Projection");
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName((String) index.get("IndexName"))
                    .keySchema(keySchema(index.get("KeySchema")))
                    .projection(Projection.builder().projectionType((String) projection.get("ProjectionType")).build())
                    .build());
        }
        client.createTable(request -> request
                .tableName(name)
                .billingMode(BillingMode.fromValue((String) table.get("BillingMode")))
                .attributeDefinitions(attributes)
                .keySchema(keySchema(table.get("KeySchema")))
                .globalSecondaryIndexes(indexes));
    }

    /** Every item of a table, for checking a whole table's content (the function itself never scans). */
    public List<Map<String, AttributeValue>> allItems(String table) {
        return allItemsOf(client, table);
    }

    public static List<Map<String, AttributeValue>> allItemsOf(DynamoDbClient client, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().forEach(items::add);
        return items;
    }

    @SuppressWarnings("unchecked")
    private static List<KeySchemaElement> keySchema(Object schema) {
        List<KeySchemaElement> elements = new ArrayList<>();
        for (Map<String, Object> element : (List<Map<String, Object>>) schema) {
            elements.add(KeySchemaElement.builder()
                    .attributeName((String) element.get("AttributeName"))
                    .keyType((String) element.get("KeyType"))
                    .build());
        }
        return elements;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
