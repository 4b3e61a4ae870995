package io.ivsstageevents.parsing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Typed reads of optional JSON members, each failing with the member's path and the kind of value it expected. */
final class JsonFields {
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private JsonFields() {
    }

    /**
     * The member under either spelling (API camelCase or EventBridge snake_case); null when absent or JSON null,
     * which the API uses for "not applicable".
     */
    static JsonNode member(JsonNode object, String path, String camelCase, String snakeCase) {
        JsonNode camel = present(object.get(camelCase));
        JsonNode snake = snakeCase.equals(camelCase) ? null : present(object.get(snakeCase));
        if (camel != null && snake != null && !camel.equals(snake)) {
            throw new InvalidEventException(path + "." + camelCase,
                    "given twice, as " + camelCase + " and " + snakeCase + ", with different values");
        }
        return camel != null ? camel : snake;
    }

    static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    static String string(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(path, "a string", node);
        }
        return node.textValue();
    }

    static Boolean bool(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            throw wrongType(path, "a boolean", node);
        }
        return node.booleanValue();
    }

    static Instant timestamp(JsonNode node, String path) {
        String text = string(node, path);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(path,
                    "not an ISO 8601 timestamp with a zone (expected e.g. 2023-04-26T20:36:28+00:00 or ...Z)");
        } catch (DateTimeException e) {
            instant = Instant.MAX;
        }
        // Sort keys hold times with four-digit years: outside them, key order would not be time order.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidEventException(path, "a timestamp outside the years 0000 to 9999");
        }
        return instant;
    }

    static InvalidEventException wrongType(String path, String expected, JsonNode actual) {
        return new InvalidEventException(path, "expected " + expected + ", got " + describe(actual));
    }

    private static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case STRING: return "a string";
            case NUMBER: return "a number";
            case BOOLEAN: return "a boolean";
            case ARRAY: return "an array";
            case OBJECT: return "an object";
            default: return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
