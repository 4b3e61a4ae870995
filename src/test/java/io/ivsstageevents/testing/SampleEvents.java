package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.StageEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The sample events in events/: the files users pass to {@code sam local invoke -e} and to ./invoke-local. */
public final class SampleEvents {
    public static final Path DIRECTORY = Path.of("events");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEvents() {
    }

    public static byte[] bytes(String fileName) {
        try {
            return Files.readAllBytes(DIRECTORY.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample as a JSON tree of one's own, to change for a test. */
    public static ObjectNode json(String fileName) {
        try {
            return (ObjectNode) JSON.readTree(bytes(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(JsonNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample as the function's parser builds it: the StageEvent the rest of the path sees. */
    public static StageEvent parsed(String fileName) {
        return (StageEvent) new StageEventParser().parse(bytes(fileName));
    }

    /** The EventSource of every sample of a stage event, by file name, for round trips through the conversions. */
    public static Map<String, EventSource> eventSources() {
        Map<String, EventSource> sources = new LinkedHashMap<>();
        allNames().forEach(name -> {
            if (new StageEventParser().parse(bytes(name)) instanceof StageEvent event) {
                sources.put(name, event.eventSource());
            }
        });
        return sources;
    }

    /** The samples of stage events this version recognizes: every sample but the one it keeps as unrecognized. */
    public static List<String> recognizedNames() {
        return List.copyOf(eventSources().keySet());
    }

    public static String text(String fileName) {
        return new String(bytes(fileName), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Every EventBridge sample, in file-name order (the SQS batch sample excluded). */
    public static List<Path> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(path -> path.toString().endsWith(".json"))
                    .filter(path -> !path.getFileName().toString().startsWith("sqs-"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> allNames() {
        return all().stream().map(path -> path.getFileName().toString()).toList();
    }
}
