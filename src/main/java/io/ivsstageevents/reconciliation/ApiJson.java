package io.ivsstageevents.reconciliation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ivsstageevents.parsing.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Request bodies out and response bodies in, with jackson-core's streaming API only (databind is not in the
 * function's jar). The one place this package depends on the project's JSON reader.
 */
final class ApiJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ApiJson() {
    }

    /** A flat object of strings and integers: every request member these operations have. */
    static byte[] write(Map<String, Object> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, Object> member : members.entrySet()) {
                if (member.getValue() instanceof Integer) {
                    json.writeNumberField(member.getKey(), (Integer) member.getValue());
                } else {
                    json.writeStringField(member.getKey(), (String) member.getValue());
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return out.toByteArray();
    }

    /** The body as a JSON object; null when it is not one. */
    static Map<String, Object> read(byte[] body) {
        try {
            return JsonTree.readObject(body);
        } catch (RuntimeException e) {
            // The reader's message says where the JSON broke, never what it held; the caller names the operation.
            return null;
        }
    }
}
