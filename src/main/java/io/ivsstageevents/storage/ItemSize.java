package io.ivsstageevents.storage;

import io.ivsstageevents.json.Utf8;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An item's size as DynamoDB counts it against its 400 KB limit (names plus values, UTF-8). */
final class ItemSize {
    static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    static int of(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += Utf8.length(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    private static int of(AttributeValue value) {
        if (value.s() != null) {
            return Utf8.length(value.s());
        }
        if (value.n() != null) {
            return (value.n().length() + 1) / 2 + 1;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        // A set counted as a list of its strings: ItemSizeLimitTest finds that bound exact against DynamoDB Local.
        if (value.hasSs()) {
            return 3 + value.ss().stream().mapToInt(element -> 1 + Utf8.length(element)).sum();
        }
        int size = 3;
        if (value.hasM()) {
            for (Map.Entry<String, AttributeValue> member : value.m().entrySet()) {
                size += 1 + Utf8.length(member.getKey()) + of(member.getValue());
            }
        } else if (value.hasL()) {
            for (AttributeValue member : value.l()) {
                size += 1 + of(member);
            }
        }
        return size;
    }
}
