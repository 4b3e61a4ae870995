package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.parsing.StageEventParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The floor plus the function's parser (jackson-core streaming) on the event: what that parse adds cold. */
public final class FloorWithParserSubject {
    private FloorWithParserSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        DynamoDbClient dynamoDb = FloorSubject.clientFor(Configuration.fromEnvironment(System.getenv()));
        marks.mark("client");
        new StageEventParser().parse(event);
        marks.mark("parse");
        FloorSubject.send(marks, dynamoDb);
    }
}
