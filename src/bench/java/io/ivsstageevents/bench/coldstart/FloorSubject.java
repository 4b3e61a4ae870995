package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.storage.DynamoDbClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * B, the floor: the same jar, the function's own client factory (so the builder settings cannot drift), and the two
 * PutItem requests the function sends for events/token-exchanged.json, written out. It reads the event file as the
 * handler subject does, so that both pay for the runtime handing over the event.
 */
public final class FloorSubject {
    private FloorSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        Files.readAllBytes(Path.of(args[0]));
        DynamoDbClient dynamoDb = clientFor(Configuration.fromEnvironment(System.getenv()));
        marks.mark("client");
        send(marks, dynamoDb);
    }

    /** The function's own client, as the handler builds it from its environment. */
    static DynamoDbClient clientFor(Configuration configuration) {
        return DynamoDbClients.create(configuration.region(), configuration.dynamoDbEndpoint());
    }

    /** The two requests, then the end of the measurement. */
    static void send(Checkpoints marks, DynamoDbClient dynamoDb) {
        String table = System.getenv(Configuration.TABLE_NAME);
        dynamoDb.putItem(FloorRequests.ledger(table));
        marks.mark("ledger");
        dynamoDb.putItem(FloorRequests.tokenState(table));
        marks.mark("done");
        marks.report();
    }
}
