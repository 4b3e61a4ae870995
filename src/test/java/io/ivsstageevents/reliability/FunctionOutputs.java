package io.ivsstageevents.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsstageevents.metrics.StageEventMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What many invocations emitted, summed: the operational counts per event name, the ParticipantErrors per error
 * code, and every log line or metric document that holds a marked piece of personal data. Thread-safe, so that
 * concurrent invocations can report into one.
 */
final class FunctionOutputs {
    /** The key under which counts of invocations without an event name (events not ours, invalid ones) are kept. */
    static final String NO_NAME = "<none>";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COUNTS = List.of(StageEventMetrics.EVENTS_RECORDED,
            StageEventMetrics.DUPLICATE_EVENTS, StageEventMetrics.EVENTS_IGNORED, StageEventMetrics.INVALID_EVENTS,
            StageEventMetrics.UNRECOGNIZED_EVENTS);

    private final List<String> personalDataMarks;
    private final Map<String, Map<String, Long>> countsByName = new TreeMap<>();
    private final Map<String, Long> errorsByCode = new TreeMap<>();
    private final List<String> leaks = new ArrayList<>();
    private long logLines;

    /** @param personalDataMarks substrings that only personal data contains */
    FunctionOutputs(List<String> personalDataMarks) {
        this.personalDataMarks = personalDataMarks;
    }

    synchronized void add(List<String> metricDocuments, List<String> lines) {
        for (String document : metricDocuments) {
            checkForPersonalData("metric document", document);
            JsonNode json = read(document);
            if (json.has(StageEventMetrics.PARTICIPANT_ERRORS)) {
                errorsByCode.merge(json.get(StageEventMetrics.ERROR_CODE).textValue(),
                        json.get(StageEventMetrics.PARTICIPANT_ERRORS).longValue(), Long::sum);
            }
            // A document holds the counts that are not zero, under its event name if it has one.
            String name = json.has(StageEventMetrics.EVENT_NAME)
                    ? json.get(StageEventMetrics.EVENT_NAME).textValue() : NO_NAME;
            for (String count : COUNTS) {
                if (json.has(count)) {
                    countsByName.computeIfAbsent(name, k -> new TreeMap<>())
                            .merge(count, json.get(count).longValue(), Long::sum);
                }
            }
        }
        for (String line : lines) {
            logLines++;
            checkForPersonalData("log line", line);
        }
    }

    synchronized long total(String count) {
        return countsByName.values().stream().mapToLong(counts -> counts.getOrDefault(count, 0L)).sum();
    }

    /** One count by the event name it was emitted under ({@link #NO_NAME} for none); names with none left out. */
    synchronized Map<String, Long> byName(String count) {
        Map<String, Long> byName = new TreeMap<>();
        countsByName.forEach((name, counts) -> {
            if (counts.containsKey(count)) {
                byName.put(name, counts.get(count));
            }
        });
        return byName;
    }

    synchronized Map<String, Long> errorsByCode() {
        return new TreeMap<>(errorsByCode);
    }

    synchronized List<String> leaks() {
        return List.copyOf(leaks);
    }

    synchronized long logLines() {
        return logLines;
    }

    private void checkForPersonalData(String what, String text) {
        for (String mark : personalDataMarks) {
            if (text.contains(mark) && leaks.size() < 20) {
                leaks.add(what + " holds '" + mark + "...': " + text);
            }
        }
    }

    private static JsonNode read(String document) {
        try {
            return JSON.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("a metric document that is not JSON: " + document, e);
        }
    }
}
