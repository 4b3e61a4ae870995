package io.ivsstageevents.bench;

import io.ivsstageevents.storage.TableDesign;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What one table holds that another does not, item by item (by key) and attribute by attribute, so that a subject
 * that drifted from the function's stored form is told exactly which attribute to change.
 */
final class ItemDifferences {
    private ItemDifferences() {
    }

    /** One line per difference; empty when both hold the same items. */
    static String between(Collection<Map<String, AttributeValue>> expected,
                          Collection<Map<String, AttributeValue>> found) {
        Map<String, Map<String, AttributeValue>> expectedByKey = byKey(expected);
        Map<String, Map<String, AttributeValue>> foundByKey = byKey(found);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, AttributeValue>> item : expectedByKey.entrySet()) {
            Map<String, AttributeValue> other = foundByKey.get(item.getKey());
            if (other == null) {
                lines.add("item " + item.getKey() + ": missing");
                continue;
            }
            TreeSet<String> names = new TreeSet<>(item.getValue().keySet());
            names.addAll(other.keySet());
            for (String name : names) {
                AttributeValue want = item.getValue().get(name);
                AttributeValue have = other.get(name);
                if (want == null) {
                    lines.add("item " + item.getKey() + ": attribute " + name + " not expected, found " + have);
                } else if (have == null) {
                    lines.add("item " + item.getKey() + ": attribute " + name + " missing, expected " + want);
                } else if (!want.equals(have)) {
                    lines.add("item " + item.getKey() + ": attribute " + name + " expected " + want + ", found "
                            + have);
                }
            }
        }
        for (String key : foundByKey.keySet()) {
            if (!expectedByKey.containsKey(key)) {
                lines.add("item " + key + ": not expected");
            }
        }
        return String.join("\n", lines);
    }

    private static Map<String, Map<String, AttributeValue>> byKey(Collection<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> byKey = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : items) {
            byKey.put(text(item.get(TableDesign.PK)) + " / " + text(item.get(TableDesign.SK)), item);
        }
        return byKey;
    }

    private static String text(AttributeValue value) {
        return value == null ? "(none)" : value.s();
    }
}
