package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EventBridge event pattern matching, for the operators template.yaml uses: lists of exact strings and
 * {@code {"prefix": "..."}}. A pattern with any other operator is rejected, so that a template change to one
 * this class does not know fails the tests instead of being judged wrongly.
 *
 * <p>The rules are EventBridge's: every field in the pattern must be in the event; a nested pattern object
 * matches a nested event object; a list matches when any of its values matches the event's value, or any
 * element of it when the event's value is an array.
 */
public final class EventPatternMatcher {
    private EventPatternMatcher() {
    }

    public static boolean matches(Map<String, Object> pattern, JsonNode event) {
        if (event == null || !event.isObject()) {
            return false;
        }
        for (Map.Entry<String, Object> field : pattern.entrySet()) {
            if (!fieldMatches(field.getKey(), field.getValue(), event.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean fieldMatches(String name, Object pattern, JsonNode value) {
        if (pattern instanceof Map<?, ?> nested) {
            return matches((Map<String, Object>) nested, value);
        }
        if (!(pattern instanceof List<?> alternatives)) {
            throw new IllegalArgumentException("pattern field " + name + " must be an object or a list, was "
                    + pattern);
        }
        if (value == null || value.isNull()) {
            return false;
        }
        List<JsonNode> candidates = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(candidates::add);
        } else {
            candidates.add(value);
        }
        for (Object alternative : alternatives) {
            for (JsonNode candidate : candidates) {
                if (valueMatches(name, alternative, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean valueMatches(String name, Object alternative, JsonNode candidate) {
        if (alternative instanceof String exact) {
            return candidate.isTextual() && candidate.textValue().equals(exact);
        }
        if (alternative instanceof Map<?, ?> operator && operator.size() == 1
                && operator.get("prefix") instanceof String prefix) {
            return candidate.isTextual() && candidate.textValue().startsWith(prefix);
        }
        throw new IllegalArgumentException("pattern field " + name + " uses an operator this matcher does not "
                + "implement: " + alternative);
    }
}
