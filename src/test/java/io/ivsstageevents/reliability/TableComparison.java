package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.SK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.PlainItems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two tables compared item by item, on meaning rather than spelling: timestamps as instants, numbers as numbers,
 * string sets ({@code source}) in any order, and an event re-emitted by IVS under another envelope id as the event it repeats (which of its ids a state item
 * names depends only on delivery order).
 *
 * <p>Distinct events of one ledger identity take the slots {@code #1} (no suffix), {@code #2}, ... in the order they
 * arrive, which concurrent delivery does not fix: where an identity's slots are exactly 1 to n, its items are given
 * their slots anew in the order of their content, so that any assignment of those items to those slots compares
 * equal and nothing else about them is let go. Slots that are not 1 to n are left as they are, to show.
 */
final class TableComparison {
    private static final Set<String> TIME_ATTRIBUTES =
            Set.of("eventTime", "asOf", "startedAt", "stoppedAt", "expirationTime", "time");
    private static final int SHOWN = 8;
    /** A ledger item's sort key: its identity (time, participant, name, digest), then its slot beyond the first. */
    private static final Pattern LEDGER_SK =
            Pattern.compile("(" + TableDesign.EVENT_PREFIX + "[^#]+#[^#]+#[^#]+#[0-9a-f]{32})(?:#([1-9][0-9]*))?");

    private final Map<String, String> eventIdAliases;

    /** @param eventIdAliases envelope ids of re-emissions, mapped to the id of the event they repeat */
    TableComparison(Map<String, String> eventIdAliases) {
        this.eventIdAliases = eventIdAliases;
    }

    /**
     * For a day and its model: IVS's re-emissions, and every event of a content the model names by its first
     * (see {@link ExpectedTable#eventIdAliases()}), as the event they repeat.
     */
    static TableComparison of(StageDay day, ExpectedTable expected) {
        Map<String, String> aliases = new HashMap<>(day.reemittedIds());
        aliases.putAll(expected.eventIdAliases());
        return new TableComparison(aliases);
    }

    /** A table's items by key, in the comparison's normal form. */
    Map<String, ObjectNode> normalize(List<Map<String, AttributeValue>> items) {
        Map<String, ObjectNode> byKey = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            ObjectNode json = PlainItems.toJson(item);
            byKey.put(ExpectedTable.key(json.get(PK).textValue(), json.get(SK).textValue()), normalize(json));
        }
        return withSlotsInContentOrder(byKey);
    }

    Map<String, ObjectNode> normalizeExpected(Map<String, ObjectNode> items) {
        Map<String, ObjectNode> byKey = new TreeMap<>();
        items.forEach((key, item) -> byKey.put(key, normalize(item.deepCopy())));
        return withSlotsInContentOrder(byKey);
    }

    /**
     * Whether a normalized table holds exactly these ledger items (as the model writes them) of their identities:
     * for {@link ExpectedTable#as}.
     */
    Predicate<Map<String, ObjectNode>> holds(Map<String, ObjectNode> table) {
        Map<String, Map<String, ObjectNode>> byIdentity = new TreeMap<>();
        table.forEach((key, item) -> {
            String identity = ledgerIdentity(item);
            if (identity != null) {
                byIdentity.computeIfAbsent(identity, k -> new TreeMap<>()).put(key, item);
            }
        });
        return items -> {
            Map<String, ObjectNode> wanted = normalizeExpected(items);
            Map<String, ObjectNode> held = new TreeMap<>();
            wanted.values().forEach(item -> held.putAll(byIdentity.getOrDefault(ledgerIdentity(item), Map.of())));
            return held.equals(wanted);
        };
    }

    /** A ledger item's partition and sort key without its slot; null for any other item. */
    static String ledgerIdentity(ObjectNode item) {
        Matcher sk = LEDGER_SK.matcher(item.path(SK).asText());
        return TableDesign.EVENT.equals(item.path(TableDesign.ITEM_TYPE).asText()) && sk.matches()
                ? ExpectedTable.key(item.path(PK).asText(), sk.group(1)) : null;
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

    private static Map<String, ObjectNode> withSlotsInContentOrder(Map<String, ObjectNode> byKey) {
        Map<String, List<ObjectNode>> byIdentity = new TreeMap<>();
        Map<String, ObjectNode> result = new TreeMap<>();
        byKey.forEach((key, item) -> {
            String identity = ledgerIdentity(item);
            if (identity == null) {
                result.put(key, item);
            } else {
                byIdentity.computeIfAbsent(identity, k -> new ArrayList<>()).add(item);
            }
        });
        byIdentity.values().forEach(items -> {
            Set<Integer> slots = new TreeSet<>();
            items.forEach(item -> slots.add(slot(item)));
            if (items.size() > 1 && slots.size() == items.size() && slots.contains(1) && slots.contains(items.size())) {
                items.sort(Comparator.comparing(TableComparison::contentWithoutSortKey));
                for (int i = 0; i < items.size(); i++) {
                    Matcher sk = LEDGER_SK.matcher(items.get(i).get(SK).textValue());
                    sk.matches();
                    items.get(i).put(SK, sk.group(1) + (i == 0 ? "" : "#" + (i + 1)));
                }
            }
            items.forEach(item -> result.put(ExpectedTable.key(item.get(PK).textValue(), item.get(SK).textValue()),
                    item));
        });
        return result;
    }

    private static int slot(ObjectNode item) {
        Matcher sk = LEDGER_SK.matcher(item.get(SK).textValue());
        sk.matches();
        return sk.group(2) == null ? 1 : Integer.parseInt(sk.group(2));
    }

    /** The item's text with keys in order at every level, its sort key left out. */
    private static String contentWithoutSortKey(ObjectNode item) {
        ObjectNode content = item.deepCopy();
        content.remove(SK);
        return sortedText(content);
    }

    private static String sortedText(JsonNode value) {
        if (value.isObject()) {
            StringBuilder text = new StringBuilder("{");
            new TreeSet<String>(iterable(value.fieldNames())).forEach(name ->
                    text.append(TextNode.valueOf(name)).append(':').append(sortedText(value.get(name))).append(','));
            return text.append('}').toString();
        }
        if (value.isArray()) {
            StringBuilder text = new StringBuilder("[");
            value.forEach(element -> text.append(sortedText(element)).append(','));
            return text.append(']').toString();
        }
        return value.toString();
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
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
            } else if (value.isArray() && member.getKey().equals(TableDesign.SOURCE)) {
                // A string set: DynamoDB keeps no order.
                List<String> labels = new ArrayList<>();
                value.forEach(label -> labels.add(label.asText()));
                labels.sort(null);
                ArrayNode sorted = item.arrayNode();
                labels.forEach(sorted::add);
                member.setValue(sorted);
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
