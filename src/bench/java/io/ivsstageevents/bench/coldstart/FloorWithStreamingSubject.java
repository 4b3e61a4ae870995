package io.ivsstageevents.bench.coldstart;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ivsstageevents.Configuration;
import io.ivsstageevents.storage.DynamoDbClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The floor plus a jackson-core streaming pass over the event that keeps every string member: the least a parser
 * without databind would do, to compare with FloorWithParserSubject.
 */
public final class FloorWithStreamingSubject {
    private FloorWithStreamingSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        DynamoDbClient dynamoDb = DynamoDbClients.create(Configuration.fromEnvironment(System.getenv()));
        marks.mark("client");
        Map<String, String> members = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(event)) {
            String name = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME) {
                    name = parser.currentName();
                } else if (token == JsonToken.VALUE_STRING) {
                    members.put(name, parser.getText());
                }
            }
        }
        if (members.isEmpty()) {
            throw new IllegalStateException("the event has no string members");
        }
        marks.mark("parse");
        FloorSubject.send(marks, dynamoDb);
    }
}
