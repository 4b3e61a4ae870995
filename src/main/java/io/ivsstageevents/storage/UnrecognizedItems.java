package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.UnrecognizedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item an {@link UnrecognizedEvent} is kept as: the whole detail, with what places the event. Its key comes from
 * the event's content, not its delivery, so a redelivered event finds its item already there.
 */
final class UnrecognizedItems {
    private static final HexFormat HEX = HexFormat.of();

    private UnrecognizedItems() {
    }

    static Map<String, AttributeValue> item(UnrecognizedEvent event, int retentionDays) {
        String detail = JsonTree.writeValue(event.detail());
        Instant placedAt = event.eventTime() != null ? event.eventTime() : event.time();
        Map<String, AttributeValue> item = new Attributes()
                .s(PK, unrecognizedKey(placedAt))
                .s(SK, (placedAt == null ? UNDATED : sortableTime(placedAt)) + "#" + digest(event, detail))
                .s(ITEM_TYPE, UNRECOGNIZED)
                .s("reason", event.reason().name())
                .s("missing", event.missing())
                .s("name", event.name())
                .s("eventId", event.eventId())
                .s("account", event.account())
                .s("region", event.region())
                .s("time", event.time())
                .s("eventTime", event.eventTime())
                .s("stageArn", event.stageArn())
                .s("sessionId", event.sessionId())
                .strings("detailKeys", new ArrayList<>(event.detail().keySet()))
                .s("detail", detail)
                .n(EXPIRES_AT, placedAt == null ? null : expiresAt(placedAt, retentionDays))
                .build();
        return item;
    }

    private static String digest(UnrecognizedEvent event, String detail) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha256.digest((event.stageArn() + "\n" + event.sessionId() + "\n" + detail)
                    .getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
