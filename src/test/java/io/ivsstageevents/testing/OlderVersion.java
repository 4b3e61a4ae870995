package io.ivsstageevents.testing;

import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.Envelope;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.storage.StageEventRecorder;
import io.ivsstageevents.storage.TableDesign;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What earlier versions of the function left in the table, for the versions after them to take up. */
public final class OlderVersion {
    private OlderVersion() {
    }

    /** The sample kept whole as unrecognized, as that version's recorder kept it. */
    @SuppressWarnings("unchecked")
    public static void kept(DynamoDbClient dynamoDb, String table, String sample) {
        Map<String, Object> event = JsonTree.readObject(SampleEvents.bytes(sample));
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        new StageEventRecorder(dynamoDb, table, 0).keep(UnrecognizedEvent.builder()
                .envelope(new Envelope((String) event.get("id"), (String) event.get("account"),
                        (String) event.get("region"), Instant.parse((String) event.get("time")),
                        (String) ((List<Object>) event.get("resources")).get(0), (String) detail.get("session_id")))
                .name((String) detail.get("event_name"))
                .eventTime(Instant.parse((String) detail.get("event_time")))
                .reason(UnrecognizedEvent.Reason.UNRECOGNIZED_NAME)
                .detail(detail)
                .build());
    }

    /**
     * The ledger as the version before the form digest left it: the same items, without {@code formDigest}, which
     * it neither wrote nor read.
     */
    public static void ledgerWithoutFormDigests(DynamoDbClient dynamoDb, String table) {
        LocalDynamoDb.allItemsOf(dynamoDb, table).stream()
                .filter(item -> TableDesign.EVENT.equals(item.get(TableDesign.ITEM_TYPE).s()))
                .forEach(item -> dynamoDb.updateItem(request -> request.tableName(table)
                        .key(Map.of(TableDesign.PK, item.get(TableDesign.PK), TableDesign.SK, item.get(TableDesign.SK)))
                        .updateExpression("REMOVE " + TableDesign.FORM_DIGEST)));
    }
}
