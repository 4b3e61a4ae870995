package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB items as plain JSON (strings, numbers, booleans, objects, arrays), attributes in name order. */
public final class PlainItems {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PlainItems() {
    }

    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode json = NODES.objectNode();
        new TreeMap<>(item).forEach((name, value) -> json.set(name, toJson(value)));
        return json;
    }

    public static JsonNode toJson(AttributeValue value) {
        if (value.s() != null) {
            return NODES.textNode(value.s());
        }
        if (value.n() != null) {
            return NODES.numberNode(new BigDecimal(value.n()));
        }
        if (value.bool() != null) {
            return NODES.booleanNode(value.bool());
        }
        if (value.hasM()) {
            return toJson(value.m());
        }
        if (value.hasL()) {
            ArrayNode array = NODES.arrayNode();
            value.l().forEach(member -> array.add(toJson(member)));
            return array;
        }
        if (value.hasSs()) {
            ArrayNode array = NODES.arrayNode();
            value.ss().forEach(array::add);
            return array;
        }
        return NODES.nullNode();
    }
}
