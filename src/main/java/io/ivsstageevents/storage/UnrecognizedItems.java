package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.Envelope;
import io.ivsstageevents.model.UnrecognizedEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item an {@link UnrecognizedEvent} is kept as: the whole detail, with what places the event. Its key comes from
 * the event's content, not its delivery, so a redelivered event finds its item already there.
 */
final class UnrecognizedItems {
    private UnrecognizedItems() {
    }

    static Map<String, AttributeValue> item(UnrecognizedEvent event, int retentionDays) {
        String detail = JsonTree.writeValue(event.detail());
        Envelope envelope = event.envelope();
        Instant placedAt = event.eventTime() != null ? event.eventTime() : envelope.time();
        String digest = digest(envelope.stageArn() + "\n" + envelope.sessionId() + "\n" + detail);
        return new Attributes()
                .s(PK, unrecognizedKey(placedAt == null ? null : LocalDate.ofInstant(placedAt, ZoneOffset.UTC)))
                .s(SK, (placedAt == null ? UNDATED : sortableTime(placedAt)) + "#" + digest)
                .s(ITEM_TYPE, UNRECOGNIZED)
                .s("reason", event.reason().name())
                .s("missing", event.missing())
                .s("name", event.name())
                .s("eventId", envelope.eventId())
                .s("account", envelope.account())
                .s("region", envelope.region())
                .s("time", envelope.time())
                .s("eventTime", event.eventTime())
                .s("stageArn", envelope.stageArn())
                .s("sessionId", envelope.sessionId())
                .strings("detailKeys", new ArrayList<>(event.detail().keySet()))
                .s("detail", detail)
                .n(EXPIRES_AT, placedAt == null ? null : expiresAt(placedAt, retentionDays))
                .build();
    }
}
