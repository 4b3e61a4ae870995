package io.ivsstageevents.storage;

import io.ivsstageevents.json.JsonTree;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A JSON value as read ({@link JsonTree}) in DynamoDB's native types: S, N, BOOL, NUL, L, M. Where DynamoDB cannot
 * hold a value natively (a number past its 38 digits or its range, an object with an empty key), the value is
 * stored as its JSON text instead: kept, never dropped or refused.
 */
final class JsonValues {
    private static final BigDecimal SMALLEST = new BigDecimal("1E-130");
    private static final BigDecimal TOO_LARGE = new BigDecimal("1E126");

    private JsonValues() {
    }

    static AttributeValue toAttribute(Object value) {
        if (value == null) {
            return AttributeValue.fromNul(true);
        } else if (value instanceof String text) {
            return AttributeValue.fromS(text);
        } else if (value instanceof Boolean bool) {
            return AttributeValue.fromBool(bool);
        } else if (value instanceof Number number) {
            String n = dynamoDbNumber(number);
            return n != null ? AttributeValue.fromN(n) : AttributeValue.fromS(JsonTree.writeValue(number));
        } else if (value instanceof List<?> list) {
            List<AttributeValue> elements = new ArrayList<>(list.size());
            list.forEach(element -> elements.add(toAttribute(element)));
            return AttributeValue.fromL(elements);
        }
        Map<?, ?> object = (Map<?, ?>) value;
        if (object.containsKey("")) {
            return AttributeValue.fromS(JsonTree.writeValue(object));
        }
        Map<String, AttributeValue> members = new LinkedHashMap<>();
        object.forEach((key, member) -> members.put((String) key, toAttribute(member)));
        return AttributeValue.fromM(members);
    }

    static Map<String, AttributeValue> toAttributes(Map<String, Object> members) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        members.forEach((key, value) -> attributes.put(key, toAttribute(value)));
        return attributes;
    }

    /** The number as DynamoDB's N accepts it, or null where it cannot. */
    private static String dynamoDbNumber(Number number) {
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(number.toString());
        } catch (NumberFormatException notFinite) {
            return null;
        }
        BigDecimal magnitude = decimal.abs();
        boolean fits = decimal.signum() == 0
                || (magnitude.compareTo(SMALLEST) >= 0 && magnitude.compareTo(TOO_LARGE) < 0
                    && decimal.stripTrailingZeros().precision() <= 38);
        return fits ? decimal.toPlainString() : null;
    }
}
