package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.SK;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The events kept because this version could not record them, read back a day at a time for a replay, and
 * forgotten once a replay has recorded them. The function's role may Query and DeleteItem only in these
 * partitions (template.yaml: dynamodb:LeadingKeys).
 */
public final class KeptEvents {
    /** What a replay needs to put the event back together: the envelope's members and the detail as JSON text. */
    public record Kept(Map<String, AttributeValue> key, String eventId, String account, String region, Instant time,
                       String stageArn, String detail) {
    }

    /** One Query's worth of kept events, and where the next begins (null: the day is done). */
    public record Page(List<Kept> events, Map<String, AttributeValue> next) {
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public KeptEvents(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** {@code day} null reads the events kept without any time. */
    public Page list(LocalDate day, Map<String, AttributeValue> startKey) {
        String partition = TableDesign.unrecognizedKey(day);
        QueryResponse response = dynamoDb.query(request -> request
                .tableName(tableName)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition)))
                .consistentRead(true)
                .exclusiveStartKey(startKey == null || startKey.isEmpty() ? null : startKey));
        List<Kept> events = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            String time = Attributes.string(item, "time");
            events.add(new Kept(Map.of(PK, item.get(PK), SK, item.get(SK)), Attributes.string(item, "eventId"),
                    Attributes.string(item, "account"), Attributes.string(item, "region"),
                    time == null ? null : Instant.parse(time), Attributes.string(item, "stageArn"),
                    Attributes.string(item, "detail")));
        }
        return new Page(events, response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
    }

    /** No longer listed: a replay recorded it. Forgetting one already forgotten does nothing, as a delete does. */
    public void forget(Kept kept) {
        dynamoDb.deleteItem(request -> request.tableName(tableName).key(kept.key()));
    }
}
