package io.ivsstageevents.testing;

import io.ivsstageevents.storage.TableDesign;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The table's five access patterns, each one Query, as docs/TABLE.md documents them for the AWS CLI. Users run
 * these; the function itself only writes.
 */
public final class AccessPatterns {
    private final DynamoDbClient dynamoDb;
    private final String table;

    public AccessPatterns(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** 1. Every recorded event of one stage session, in event-time order. */
    public List<Map<String, AttributeValue>> sessionLedger(String stageArn, String sessionId) {
        return query(null, "pk = :key AND begins_with(sk, :sort)",
                TableDesign.sessionKey(stageArn, sessionId), TableDesign.EVENT_PREFIX);
    }

    /** 2. Everything recorded for one participant, across sessions, in event-time order. */
    public List<Map<String, AttributeValue>> participantHistory(String participantId) {
        return query(TableDesign.BY_PARTICIPANT_INDEX, "gsi1pk = :key", TableDesign.participantKey(participantId), null);
    }

    /** 3. The participant's current token, as of the latest exchange by event time. */
    public List<Map<String, AttributeValue>> currentToken(String participantId) {
        return query(null, "pk = :key AND sk = :sort", TableDesign.participantKey(participantId), TableDesign.TOKEN_SK);
    }

    /** 4. The participant's current replication into each destination stage. */
    public List<Map<String, AttributeValue>> currentReplications(String participantId) {
        return query(null, "pk = :key AND begins_with(sk, :sort)",
                TableDesign.participantKey(participantId), TableDesign.REPLICATION_PREFIX);
    }

    /** 5. Who was replicated into one destination stage. */
    public List<Map<String, AttributeValue>> replicatedInto(String destinationStageArn) {
        return query(TableDesign.BY_DESTINATION_INDEX, "gsi2pk = :key",
                TableDesign.destinationKey(destinationStageArn), null);
    }

    private List<Map<String, AttributeValue>> query(String index, String condition, String key, String sort) {
        Map<String, AttributeValue> values = sort == null
                ? Map.of(":key", AttributeValue.fromS(key))
                : Map.of(":key", AttributeValue.fromS(key), ":sort", AttributeValue.fromS(sort));
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(index)
                .keyConditionExpression(condition).expressionAttributeValues(values).build();
        return dynamoDb.queryPaginator(request).items().stream().toList();
    }
}
