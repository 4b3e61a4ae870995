package io.ivsstageevents.metrics;

import io.ivsstageevents.json.JsonTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CloudWatch Embedded Metric Format document: a single line of JSON that CloudWatch Logs turns into metrics.
 * Dimension values must already be valid ({@link DimensionValues}); every dimension key must be set as a member.
 */
final class EmfDocument {
    private final String namespace;
    private final long timestampMillis;
    private final List<List<String>> dimensionSets = new ArrayList<>();
    private final Map<String, Long> metrics = new LinkedHashMap<>();
    private final Map<String, String> members = new LinkedHashMap<>();

    EmfDocument(String namespace, long timestampMillis) {
        this.namespace = namespace;
        this.timestampMillis = timestampMillis;
    }

    EmfDocument dimensionSet(String... keys) {
        dimensionSets.add(List.of(keys));
        return this;
    }

    /** A Count metric. */
    EmfDocument count(String name, long value) {
        metrics.put(name, value);
        return this;
    }

    /** A root string member: a dimension's value, or a property when no dimension set names it. */
    EmfDocument member(String name, String value) {
        if (value != null) {
            members.put(name, value);
        }
        return this;
    }

    String toJson() {
        return JsonTree.write(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("_aws");
            generator.writeNumberField("Timestamp", timestampMillis);
            generator.writeArrayFieldStart("CloudWatchMetrics");
            generator.writeStartObject();
            generator.writeStringField("Namespace", namespace);
            generator.writeArrayFieldStart("Dimensions");
            for (List<String> set : dimensionSets) {
                generator.writeStartArray();
                for (String key : set) {
                    generator.writeString(key);
                }
                generator.writeEndArray();
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("Metrics");
            for (String name : metrics.keySet()) {
                generator.writeStartObject();
                generator.writeStringField("Name", name);
                generator.writeStringField("Unit", "Count");
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
            generator.writeEndArray();
            generator.writeEndObject();
            for (Map.Entry<String, String> member : members.entrySet()) {
                generator.writeStringField(member.getKey(), member.getValue());
            }
            for (Map.Entry<String, Long> metric : metrics.entrySet()) {
                generator.writeNumberField(metric.getKey(), metric.getValue());
            }
            generator.writeEndObject();
        });
    }
}
