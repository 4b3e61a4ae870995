package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The CloudWatch Embedded Metric Format's rules, checked on one document: the specification's structure, and the
 * limits CloudWatch enforces on what it extracts. Returns every violation found, so a failure says all that is
 * wrong at once.
 */
public final class EmfRules {
    public static final int MAX_DIMENSIONS_PER_SET = 30;
    public static final int MAX_METRICS_PER_DIRECTIVE = 100;
    public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;
    private static final Set<String> UNITS = Set.of(
            "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
            "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
            "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfRules() {
    }

    public static List<String> violations(String line) {
        List<String> violations = new ArrayList<>();
        if (line.indexOf('\n') >= 0) {
            violations.add("a document must be one line: CloudWatch Logs takes each line as one log event");
        }
        JsonNode document;
        try {
            document = JSON.readTree(line);
        } catch (IOException e) {
            violations.add("not JSON: " + e.getMessage());
            return violations;
        }
        if (document == null || !document.isObject()) {
            violations.add("the root is not an object");
            return violations;
        }
        JsonNode aws = document.get("_aws");
        if (aws == null || !aws.isObject()) {
            violations.add("_aws is missing or not an object");
            return violations;
        }
        JsonNode timestamp = aws.get("Timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber() || timestamp.longValue() < 1_000_000_000_000L) {
            violations.add("_aws.Timestamp must be an integer of epoch milliseconds, was " + timestamp);
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray() || directives.isEmpty()) {
            violations.add("_aws.CloudWatchMetrics must be a non-empty array");
            return violations;
        }
        for (JsonNode directive : directives) {
            checkDirective(document, directive, violations);
        }
        return violations;
    }

    private static void checkDirective(JsonNode document, JsonNode directive, List<String> violations) {
        JsonNode namespace = directive.get("Namespace");
        if (namespace == null || !namespace.isTextual() || namespace.textValue().isEmpty()
                || namespace.textValue().length() > 255 || namespace.textValue().startsWith(":")) {
            violations.add("Namespace must be a string of 1 to 255 characters not starting with ':'");
        }
        Set<String> dimensionKeys = new HashSet<>();
        JsonNode dimensions = directive.get("Dimensions");
        if (dimensions == null || !dimensions.isArray()) {
            violations.add("Dimensions must be an array of dimension sets");
        } else {
            for (JsonNode set : dimensions) {
                if (!set.isArray()) {
                    violations.add("a dimension set must be an array of keys");
                    continue;
                }
                if (set.size() > MAX_DIMENSIONS_PER_SET) {
                    violations.add("a dimension set has " + set.size() + " keys; at most " + MAX_DIMENSIONS_PER_SET);
                }
                for (JsonNode key : set) {
                    dimensionKeys.add(key.asText());
                    checkDimension(document, key, violations);
                }
            }
        }
        JsonNode metrics = directive.get("Metrics");
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            violations.add("Metrics must be a non-empty array");
            return;
        }
        if (metrics.size() > MAX_METRICS_PER_DIRECTIVE) {
            violations.add("Metrics has " + metrics.size() + " entries; at most " + MAX_METRICS_PER_DIRECTIVE);
        }
        for (JsonNode metric : metrics) {
            JsonNode name = metric.get("Name");
            if (name == null || !name.isTextual() || name.textValue().isEmpty() || name.textValue().length() > 1024) {
                violations.add("a metric's Name must be a string of 1 to 1024 characters");
                continue;
            }
            if (dimensionKeys.contains(name.textValue())) {
                violations.add("metric " + name.textValue() + " is also a dimension key");
            }
            JsonNode unit = metric.get("Unit");
            if (unit != null && !UNITS.contains(unit.asText())) {
                violations.add("metric " + name.textValue() + " has unit " + unit + ", not a CloudWatch unit");
            }
            JsonNode value = document.get(name.textValue());
            boolean numeric = value != null && (value.isNumber()
                    || (value.isArray() && value.size() <= 100 && allNumbers(value)));
            if (!numeric) {
                violations.add("metric " + name.textValue() + " has no root numeric value");
            }
        }
    }

    private static void checkDimension(JsonNode document, JsonNode key, List<String> violations) {
        if (!key.isTextual()) {
            violations.add("a dimension key must be a string, was " + key);
            return;
        }
        JsonNode value = document.get(key.textValue());
        if (value == null || !value.isTextual()) {
            violations.add("dimension " + key.textValue() + " has no root string member");
            return;
        }
        String text = value.textValue();
        if (text.isEmpty() || text.length() > MAX_DIMENSION_VALUE_LENGTH) {
            violations.add("dimension " + key.textValue() + " value must have 1 to 1024 characters, had " + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < ' ' || text.charAt(i) > '~') {
                violations.add("dimension " + key.textValue() + " value must be printable ASCII");
                return;
            }
        }
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode member : array) {
            if (!member.isNumber()) {
                return false;
            }
        }
        return true;
    }

    /** The document's dimension sets, e.g. [[ErrorCode], [ErrorCode, EventName]], for assertions. */
    public static List<List<String>> dimensionSets(String line) {
        List<List<String>> sets = new ArrayList<>();
        try {
            for (JsonNode set : JSON.readTree(line).path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions")) {
                List<String> keys = new ArrayList<>();
                set.forEach(key -> keys.add(key.asText()));
                sets.add(keys);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        return sets;
    }

    public static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }
}
