package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.EVENT;
import static io.ivsstageevents.storage.TableDesign.ITEM_TYPE;
import static io.ivsstageevents.storage.TableDesign.TOKEN_STATE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.PlainItems;
import io.ivsstageevents.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Events whose items come near DynamoDB's 400 KB item limit. The rule: an event whose largest item (its ledger
 * item, which holds both tokens) would be over the limit is rejected as invalid before anything is written; any
 * smaller event is stored whole, never trimmed. Right at the limit, by DynamoDB's documented way of counting.
 */
class ItemSizeLimitTest {
    /** 400 KB, as DynamoDB counts it. */
    private static final int LIMIT = 400 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Ways to fill the new token up to the limit, each sized by a number n that the search below varies. */
    enum Filling {
        /** One attribute value of n ASCII characters. */
        ONE_ASCII_ATTRIBUTE("attributes", "attributes", 1, n -> NODES.objectNode().put("attrk-blob", "x".repeat(n))),
        /** One value of n euro signs, three bytes each in UTF-8: the limit is in bytes, not characters. */
        ONE_MULTIBYTE_ATTRIBUTE("attributes", "attributes", 3,
                n -> NODES.objectNode().put("attrk-blob", "\u20ac".repeat(n))),
        /**
         * 500 tiny attributes (under the parser's 8 KB cap on attributes) and one of n characters: each map
         * member costs bytes beyond its name and value.
         */
        MANY_SMALL_ATTRIBUTES("attributes", "attributes", 1, n -> {
            ObjectNode attributes = NODES.objectNode();
            for (int i = 0; i < 500; i++) {
                attributes.put("attrk-" + i, "v");
            }
            return attributes.put("attrk-blob", "x".repeat(n));
        }),
        /** A user id of n characters. */
        LONG_USER_ID("user_id", "userId", 1, n -> NODES.textNode("uid-" + "u".repeat(n)));

        private final String wireName;
        private final String storedName;
        private final int bytesPerUnit;
        private final IntFunction<JsonNode> value;

        Filling(String wireName, String storedName, int bytesPerUnit, IntFunction<JsonNode> value) {
            this.wireName = wireName;
            this.storedName = storedName;
            this.bytesPerUnit = bytesPerUnit;
            this.value = value;
        }
    }

    @Test
    void anEventWhoseItemWouldBeOverTheLimitIsRejectedAsInvalidAndNothingIsWritten() {
        Probe probe = Probe.of(Filling.LONG_USER_ID, 450 * 1024);

        assertThat(probe.thrown).isInstanceOf(InvalidEventException.class);
        assertThat(((InvalidEventException) probe.thrown).field()).startsWith("detail");
        assertThat(probe.items).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Filling.class)
    void theLargestEventAcceptedIsStoredWholeAndTheNextLargerIsRejectedWithNothingWritten(Filling filling) {
        // The largest n accepted, by bisection: below it events are stored, above it rejected.
        int accepted = 0;
        int rejected = LIMIT;
        while (rejected - accepted > 1) {
            int n = (accepted + rejected) >>> 1;
            Probe probe = Probe.of(filling, n);
            assertThat(probe.thrown).as("%s, n=%d: only the function may refuse an event, and only as invalid",
                    filling, n).satisfiesAnyOf(t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(InvalidEventException.class));
            if (probe.thrown == null) {
                accepted = n;
            } else {
                rejected = n;
            }
        }

        Probe largest = Probe.of(filling, accepted);
        ObjectNode ledger = largest.item(EVENT);
        JsonNode expected = filling.value.apply(accepted);
        assertThat(ledger.get("newToken").get(filling.storedName)).as("stored whole").isEqualTo(expected);
        assertThat(largest.item(TOKEN_STATE).get(filling.storedName)).as("stored whole").isEqualTo(expected);

        Probe oneMore = Probe.of(filling, accepted + 1);
        assertThat(oneMore.thrown).isInstanceOf(InvalidEventException.class);
        assertThat(oneMore.items).as("written by the rejected event").isEmpty();
        if (refusedForItsSize(oneMore.thrown)) {
            assertThat(dynamoDbSize(ledger)).as("%s: the largest ledger item accepted", filling)
                    .isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - filling.bytesPerUnit);
        }
    }

    /** Where a tighter rule (a cap on one member, say) refuses first, the size limit is not what was met. */
    private static boolean refusedForItsSize(Throwable thrown) {
        return ((InvalidEventException) thrown).field().equals("detail") && thrown.getMessage().contains("-byte item");
    }

    /** One event through the handler on a table of its own. */
    private record Probe(Throwable thrown, List<Map<String, AttributeValue>> items) {
        static Probe of(Filling filling, int n) {
            ObjectNode event = SampleEvents.json("token-exchanged.json");
            ((ObjectNode) event.get("detail").get("new_token")).set(filling.wireName, filling.value.apply(n));
            LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
            String table = dynamoDb.createTable();
            Throwable thrown = null;
            try {
                new LocalFunction(dynamoDb.client(), table).invoke(SampleEvents.bytes(event));
            } catch (RuntimeException e) {
                thrown = e;
            }
            return new Probe(thrown, dynamoDb.allItems(table));
        }

        ObjectNode item(String itemType) {
            return items.stream().map(PlainItems::toJson).filter(item -> itemType.equals(item.path(ITEM_TYPE).asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + itemType + " item in " + items.size()));
        }
    }

    /**
     * An item's size the way DynamoDB's documentation counts it: names and strings in UTF-8 bytes, a boolean 1, a
     * number about one byte per two digits plus one, a map or list 3 bytes plus 1 per element plus its contents.
     */
    private static int dynamoDbSize(ObjectNode item) {
        int size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            size += utf8(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return size;
    }

    private static int valueSize(JsonNode value) {
        if (value.isTextual()) {
            return utf8(value.textValue());
        }
        if (value.isNumber()) {
            return (value.asText().replace("-", "").replace(".", "").length() + 1) / 2 + 1;
        }
        if (value.isBoolean() || value.isNull()) {
            return 1;
        }
        int size = 3;
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                size += 1 + utf8(member.getKey()) + valueSize(member.getValue());
            }
        } else {
            for (JsonNode element : value) {
                size += 1 + valueSize(element);
            }
        }
        return size;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
