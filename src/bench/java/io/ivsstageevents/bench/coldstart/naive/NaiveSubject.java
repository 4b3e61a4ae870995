package io.ivsstageevents.bench.coldstart.naive;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsstageevents.bench.coldstart.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The naive peer's cold start. Its input is a Map, which the Lambda runtime would build from the bytes with its
 * own Jackson: that deserialization is done here with a plain ObjectMapper and counted, as it is part of the cost
 * that design brings.
 */
public final class NaiveSubject {
    private NaiveSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        NaiveHandler handler = new NaiveHandler();
        marks.mark("init");
        Map<String, Object> input = new ObjectMapper().readValue(bytes, new TypeReference<>() { });
        handler.handleRequest(input, null);
        marks.mark("done");
        marks.report();
    }
}
