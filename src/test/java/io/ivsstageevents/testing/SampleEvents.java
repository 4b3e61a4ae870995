package io.ivsstageevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample events in events/: the files users pass to {@code sam local invoke -e} and to ./invoke-local. */
public final class SampleEvents {
    public static final Path DIRECTORY = Path.of("events");

    private SampleEvents() {
    }

    public static byte[] bytes(String fileName) {
        try {
            return Files.readAllBytes(DIRECTORY.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
