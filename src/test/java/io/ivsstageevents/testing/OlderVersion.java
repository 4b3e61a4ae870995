package io.ivsstageevents.testing;

import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.Envelope;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.storage.StageEventRecorder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What a version of the function that did not know a sample's event name would have left in the table. */
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
}
