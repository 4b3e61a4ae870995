package io.ivsstageevents.testing;

import io.ivsstageevents.storage.TableDesign;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The table's five access patterns, each one Query, as the README documents them for the AWS CLI. Users run
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
        return query(QueryRequest.builder()
                .keyConditionExpression("pk = :pk AND begins_with(sk, :event)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(TableDesign.sessionKey(stageArn, sessionId)),
                        ":event", AttributeValue.fromS(TableDesign.EVENT_PREFIX))));
    }

    /** 2. Everything recorded for one participant, across sessions, in event-time order. */
    public List<Map<String, AttributeValue>> participantHistory(String participantId) {
        return query(QueryRequest.builder()
                .indexName(TableDesign.BY_PARTICIPANT_INDEX)
                .keyConditionExpression("gsi1pk = :participant")
                .expressionAttributeValues(Map.of(
                        ":participant", AttributeValue.fromS(TableDesign.participantKey(participantId)))));
    }

    /** 3. The participant's current token, as of the latest exchange by event time. */
    public List<Map<String, AttributeValue>> currentToken(String participantId) {
        return query(QueryRequest.builder()
                .keyConditionExpression("pk = :participant AND sk = :token")
                .expressionAttributeValues(Map.of(
                        ":participant", AttributeValue.fromS(TableDesign.participantKey(participantId)),
                        ":token", AttributeValue.fromS(TableDesign.TOKEN_SK))));
    }

    /** 4. The participant's current replication into each destination stage. */
    public List<Map<String, AttributeValue>> currentReplications(String participantId) {
        return query(QueryRequest.builder()
                .keyConditionExpression("pk = :participant AND begins_with(sk, :replication)")
                .expressionAttributeValues(Map.of(
                        ":participant", AttributeValue.fromS(TableDesign.participantKey(participantId)),
                        ":replication", AttributeValue.fromS(TableDesign.REPLICATION_PREFIX))));
    }

    /** 5. Who was replicated into one destination stage. */
    public List<Map<String, AttributeValue>> replicatedInto(String destinationStageArn) {
        return query(QueryRequest.builder()
                .indexName(TableDesign.BY_DESTINATION_INDEX)
                .keyConditionExpression("gsi2pk = :destination")
                .expressionAttributeValues(Map.of(
                        ":destination", AttributeValue.fromS(TableDesign.destinationKey(destinationStageArn)))));
    }

    private List<Map<String, AttributeValue>> query(QueryRequest.Builder request) {
        return dynamoDb.queryPaginator(request.tableName(table).build()).items().stream().toList();
    }
}
