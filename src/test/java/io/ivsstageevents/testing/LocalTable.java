package io.ivsstageevents.testing;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A fresh table on the JVM's DynamoDB Local for each test, with the function and the access patterns on it:
 * {@code @RegisterExtension final LocalTable table = new LocalTable();}
 */
public final class LocalTable implements BeforeEachCallback, AfterEachCallback {
    private final LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
    private String name;
    private LocalFunction function;

    @Override
    public void beforeEach(ExtensionContext context) {
        name = dynamoDb.createTable();
        function = new LocalFunction(dynamoDb.client(), name);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        dynamoDb.client().deleteTable(request -> request.tableName(name));
    }

    public String name() {
        return name;
    }

    public LocalDynamoDb dynamoDb() {
        return dynamoDb;
    }

    /** The function on this table, configured as by default. */
    public LocalFunction function() {
        return function;
    }

    /** Another function on this table, with these environment variables added. */
    public LocalFunction functionWith(Map<String, String> environment) {
        return new LocalFunction(dynamoDb.client(), name, environment);
    }

    public LocalFunction functionWith(Clock clock) {
        return new LocalFunction(dynamoDb.client(), name, Map.of(), clock);
    }

    /** Another function on this table, through another client (one that fails on purpose, say). */
    public LocalFunction functionWith(DynamoDbClient client) {
        return new LocalFunction(client, name);
    }

    public AccessPatterns patterns() {
        return new AccessPatterns(dynamoDb.client(), name);
    }

    public List<Map<String, AttributeValue>> items() {
        return dynamoDb.allItems(name);
    }
}
