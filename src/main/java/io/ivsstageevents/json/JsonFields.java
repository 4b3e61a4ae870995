package io.ivsstageevents.json;

import io.ivsstageevents.model.InvalidEventException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Typed reads of optional JSON members, each failing with the member's path and the kind of value it expected. */
public final class JsonFields {
    private JsonFields() {
    }

    /**
     * The member under either spelling (API camelCase or EventBridge snake_case); null when absent or JSON null,
     * which the API uses for "not applicable".
     */
    public static Object member(Map<String, Object> object, String path, String camelCase, String snakeCase) {
        Object camel = object.get(camelCase);
        Object snake = snakeCase.equals(camelCase) ? null : object.get(snakeCase);
        if (camel != null && snake != null && !camel.equals(snake)) {
            throw new InvalidEventException(path + "." + camelCase,
                    "given twice, as " + camelCase + " and " + snakeCase + ", with different values");
        }
        return camel != null ? camel : snake;
    }

    public static String string(Object value, String path) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(path, "a string", value);
    }

    /**
     * A string that can be written back as it was read: one holding a lone UTF-16 surrogate (from an escape) is
     * refused, since the writers could not write it and the table would store {@code ?} in its place.
     */
    public static String text(Object value, String path) {
        String text = string(value, path);
        if (text != null && !Utf8.isEncodable(text)) {
            throw new InvalidEventException(path, "holds a lone UTF-16 surrogate, which UTF-8 cannot carry");
        }
        return text;
    }

    public static Boolean bool(Object value, String path) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw wrongType(path, "a boolean", value);
    }

    /** A JSON object, which {@link JsonTree} always reads into a map of strings to values. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String path) {
        if (value instanceof Map) {
            return (Map<String, Object>) value;
        }
        throw wrongType(path, "an object", value);
    }

    /** Null when absent, like every optional member; else the array, or the error naming what it should hold. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value, String path, String expected) {
        if (value == null || value instanceof List) {
            return (List<Object>) value;
        }
        throw wrongType(path, expected, value);
    }

    public static Instant timestamp(Object value, String path) {
        String text = string(value, path);
        if (text == null) {
            return null;
        }
        Instant instant = IsoTimestamps.parseUtc(text);
        try {
            if (instant == null) {
                instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(path,
                    "not an ISO 8601 timestamp with a zone (expected e.g. 2023-04-26T20:36:28+00:00 or ...Z)");
        } catch (DateTimeException e) {
            instant = Instant.MAX;
        }
        return IsoTimestamps.requireFourDigitYears(instant, path);
    }

    public static InvalidEventException wrongType(String path, String expected, Object actual) {
        return new InvalidEventException(path, "expected " + expected + ", got " + describe(actual));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof List) {
            return "an array";
        }
        return "an object";
    }
}
