package io.ivsstageevents.storage;

import io.ivsstageevents.json.IsoTimestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds an item attribute by attribute, leaving out what is absent. */
final class Attributes {
    /** Room for the largest item, the ledger item with its 24 attributes, without rehashing. */
    private final Map<String, AttributeValue> item = new LinkedHashMap<>(32);

    Attributes s(String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
        return this;
    }

    /** As {@link Instant#toString()} writes it, which is also how the event's JSON has it. */
    Attributes s(String name, Instant value) {
        return s(name, value == null ? null : IsoTimestamps.format(value));
    }

    Attributes n(String name, Long value) {
        if (value != null) {
            item.put(name, AttributeValue.fromN(Long.toString(value)));
        }
        return this;
    }

    Attributes bool(String name, Boolean value) {
        if (value != null) {
            item.put(name, AttributeValue.fromBool(value));
        }
        return this;
    }

    Attributes m(String name, Map<String, AttributeValue> value) {
        if (value != null) {
            item.put(name, AttributeValue.fromM(value));
        }
        return this;
    }

    Attributes strings(String name, List<String> values) {
        if (values != null) {
            List<AttributeValue> list = new ArrayList<>(values.size());
            values.forEach(value -> list.add(AttributeValue.fromS(value)));
            item.put(name, AttributeValue.fromL(list));
        }
        return this;
    }

    Attributes stringMap(String name, Map<String, String> values) {
        if (values != null) {
            Map<String, AttributeValue> map = new LinkedHashMap<>();
            values.forEach((key, value) -> map.put(key, AttributeValue.fromS(value)));
            item.put(name, AttributeValue.fromM(map));
        }
        return this;
    }

    Map<String, AttributeValue> build() {
        return item;
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
