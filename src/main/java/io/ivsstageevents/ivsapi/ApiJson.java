package io.ivsstageevents.ivsapi;

import io.ivsstageevents.json.JsonTree;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Request bodies out and response bodies in, through the project's one JSON reader and writer (databind is not in
 * the function's jar). The one place this package depends on them.
 */
final class ApiJson {
    private ApiJson() {
    }

    /** A flat object of strings and integers: every request member these operations have. */
    static byte[] write(Map<String, Object> members) {
        return JsonTree.writeValue(members).getBytes(StandardCharsets.UTF_8);
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
