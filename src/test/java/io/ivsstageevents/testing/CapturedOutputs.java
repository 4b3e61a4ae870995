package io.ivsstageevents.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a handler under test emits: each metric document, in order, and its log as lines. Thread-safe. */
final class CapturedOutputs {
    private final List<String> metrics = new ArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** The metrics sink to hand the handler. */
    synchronized void emit(String document) {
        metrics.add(document);
    }

    /** The log stream to hand the handler's Log. */
    PrintStream log() {
        return log;
    }

    synchronized List<String> metrics() {
        return List.copyOf(metrics);
    }

    List<String> logLines() {
        String text = logBytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    synchronized void clear() {
        metrics.clear();
        logBytes.reset();
    }
}
