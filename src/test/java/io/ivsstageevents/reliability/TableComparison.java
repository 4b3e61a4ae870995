package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.SK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.PlainItems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two tables compared item by item, on meaning rather than spelling: timestamps as instants, numbers as numbers,
 * and an event re-emitted by IVS under another envelope id as the event it repeats (which of its ids a state item
 * names depends only on delivery order).
 */
final class TableComparison {
    private static final Set<String> TIME_ATTRIBUTES =
            Set.of("eventTime", "asOf", "startedAt", "stoppedAt", "expirationTime", "time");
    private static final int SHOWN = 8;

    private final Map<String, String> eventIdAliases;

    /** @param eventIdAliases envelope ids of re-emissions, mapped to the id of the event they repeat */
    TableComparison(Map<String, String> eventIdAliases) {
        this.eventIdAliases = eventIdAliases;
    }

    /** A table's items by key, in the comparison's normal form. */
    Map<String, ObjectNode> normalize(List<Map<String, AttributeValue>> items) {
        Map<String, ObjectNode> byKey = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            ObjectNode json = PlainItems.toJson(item);
            byKey.put(ExpectedTable.key(json.get(PK).textValue(), json.get(SK).textValue()), normalize(json));
        }
        return byKey;
    }

    Map<String, ObjectNode> normalizeExpected(Map<String, ObjectNode> items) {
        Map<String, ObjectNode> byKey = new TreeMap<>();
        items.forEach((key, item) -> byKey.put(key, normalize(item.deepCopy())));
        return byKey;
    }

    /** Every difference, described; empty when the tables mean the same. */
    List<String> differences(Map<String, ObjectNode> expected, Map<String, ObjectNode> actual) {
        List<String> differences = new ArrayList<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            ObjectNode want = expected.get(key);
            ObjectNode got = actual.get(key);
            if (want == null) {
                differences.add("stray item " + key + ": " + got);
            } else if (got == null) {
                differences.add("missing item " + key + ": " + want);
            } else if (!want.equals(got)) {
                differences.add("item " + key + "\n    expected " + want + "\n    actual   " + got);
            }
        }
        return differences;
    }

    /** A failure message that shows the first differences and says how many there are in all. */
    static String describe(List<String> differences, String context) {
        StringBuilder message = new StringBuilder(context).append(": ").append(differences.size())
                .append(" item(s) differ");
        differences.stream().limit(SHOWN).forEach(difference -> message.append("\n  ").append(difference));
        if (differences.size() > SHOWN) {
            message.append("\n  ...");
        }
        return message.toString();
    }

    private ObjectNode normalize(ObjectNode item) {
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            JsonNode value = member.getValue();
            if (value.isObject()) {
                normalize((ObjectNode) value);
            } else if (value.isTextual() && TIME_ATTRIBUTES.contains(member.getKey())) {
                member.setValue(item.textNode(instant(value.textValue())));
            } else if (value.isTextual() && member.getKey().equals("eventId")) {
                member.setValue(item.textNode(eventIdAliases.getOrDefault(value.textValue(), value.textValue())));
            }
        }
        return item;
    }

    private static String instant(String text) {
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }
}
