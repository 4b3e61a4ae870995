package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.storage.StageEventRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The function's parser and recorder, built as its constructor builds them, for the subjects that cut the cold path
 * into steps and swap in another metrics writer. Marks "client" once the DynamoDB client is built.
 */
final class RecordingPath {
    final Configuration configuration;
    final byte[] event;
    private final StageEventParser parser;
    private final StageEventRecorder recorder;

    private RecordingPath(Configuration configuration, byte[] event, StageEventParser parser,
                          StageEventRecorder recorder) {
        this.configuration = configuration;
        this.event = event;
        this.parser = parser;
        this.recorder = recorder;
    }

    static RecordingPath open(String eventFile, Checkpoints marks) throws IOException {
        byte[] event = Files.readAllBytes(Path.of(eventFile));
        Configuration configuration = Configuration.fromEnvironment(System.getenv());
        StageEventRecorder recorder = new StageEventRecorder(
                DynamoDbClients.create(configuration.region(), configuration.dynamoDbEndpoint()),
                configuration.tableName(), configuration.retentionDays());
        marks.mark("client");
        return new RecordingPath(configuration, event, new StageEventParser(), recorder);
    }

    StageEvent parse() {
        return (StageEvent) parser.parse(event);
    }

    RecordOutcome record(StageEvent stageEvent) {
        return recorder.record(stageEvent);
    }
}
