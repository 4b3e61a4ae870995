package io.ivsstageevents.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.ivsstageevents.model.InvalidEventException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, read with jackson-core's streaming parser: objects become insertion-ordered maps,
 * arrays lists, and strings, booleans and numbers themselves (decimals as BigDecimal, exactly as written); JSON null
 * becomes null, which every reader here takes as "absent", as the API does. jackson-databind's tree would serve as
 * well, but loading databind costs a cold start about 350 ms and 13 MiB, and the jar 1.6 MB (docs/PERFORMANCE.md).
 */
public final class JsonTree {
    /** Duplicate keys make an event ambiguous: rejected, like trailing bytes, which mean truncated or spliced. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonTree() {
    }

    /** The bytes as a JSON object, for a caller that must look at the payload's shape before parsing it. */
    public static Map<String, Object> readObject(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidEventException("event", "empty input, expected a JSON object");
            }
            Object value = value(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more content after the first JSON value");
            }
            return JsonFields.object(value, "event");
        } catch (JsonProcessingException e) {
            // Only the position: the parser's own message quotes the input, which may hold personal data.
            JsonLocation location = e.getLocation();
            throw new InvalidEventException("event", "not valid JSON"
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")")
                    + ": " + e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new InvalidEventException("event", "unreadable: " + e.getClass().getSimpleName());
        }
    }

    /** Writes with the caller's content; the generator's output is compact, keys in the order written. */
    public static String write(Content content) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            content.writeTo(generator);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return text.toString();
    }

    public static void write(Content content, OutputStream out) throws IOException {
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            content.writeTo(generator);
        }
    }

    /** A value as {@link #readObject} gives it (maps, lists, strings, numbers, booleans, null) as compact JSON. */
    public static String writeValue(Object value) {
        return write(generator -> writeValue(value, generator));
    }

    private static void writeValue(Object value, JsonGenerator generator) throws IOException {
        if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> member : map.entrySet()) {
                generator.writeFieldName((String) member.getKey());
                writeValue(member.getValue(), generator);
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object element : list) {
                writeValue(element, generator);
            }
            generator.writeEndArray();
        } else {
            generator.writeObject(value);
        }
    }

    /** What one document holds, written with a generator. */
    @FunctionalInterface
    public interface Content {
        void writeTo(JsonGenerator generator) throws IOException;
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    object.put(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY;
                     element = parser.nextToken()) {
                    array.add(value(parser, element));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                // Exactly as written: a double would round 0.1234567890123456789 and turn 1e400 into Infinity,
                // and members this version does not read are kept as they came.
                return parser.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(parser, "unexpected token " + token);
        }
    }
}
