package io.ivsstageevents.parsing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Typed reads of optional JSON members, each failing with the member's path and the kind of value it expected. */
final class JsonFields {
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
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(path,
                    "not an ISO 8601 timestamp with a zone (expected e.g. 2023-04-26T20:36:28+00:00 or ...Z)");
        }
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
