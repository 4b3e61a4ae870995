package io.ivsstageevents.bench.coldstart.naive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The peer: this function as it is often first written. The runtime deserializes the event into a Map; the SDK
 * client is DynamoDbClient.create(), so region, credentials, endpoint and HTTP client (Apache) are all found at run
 * time; a new ObjectMapper per invocation maps the Map onto POJOs by reflection; the Enhanced Client maps beans.
 * It handles the token exchange only, which is all the cold-start comparison sends it.
 */
public class NaiveHandler implements RequestHandler<Map<String, Object>, Void> {
    private final DynamoDbTable<LedgerBean> ledger;
    private final DynamoDbTable<TokenStateBean> tokens;

    public NaiveHandler() {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder()
                .dynamoDbClient(DynamoDbClient.create())
                .build();
        String table = System.getenv("TABLE_NAME");
        this.ledger = enhanced.table(table, TableSchema.fromBean(LedgerBean.class));
        this.tokens = enhanced.table(table, TableSchema.fromBean(TokenStateBean.class));
    }

    @Override
    public Void handleRequest(Map<String, Object> input, Context context) {
        ObjectMapper mapper = new ObjectMapper();
        IvsEvent event = mapper.convertValue(input, IvsEvent.class);
        IvsEvent.Detail detail = event.detail;
        String digest = digest(mapper, event);
        String version = detail.eventTime + "#" + digest;

        LedgerBean item = new LedgerBean();
        item.setPk("SESSION#" + event.resources.get(0) + "#" + detail.sessionId);
        item.setSk("EVENT#" + detail.eventTime + "#" + detail.participantId + "#TOKEN_EXCHANGED#" + digest);
        item.setGsi1pk("PARTICIPANT#" + detail.participantId);
        item.setGsi1sk(version);
        item.setItemType("EVENT");
        item.setStageArn(event.resources.get(0));
        item.setSessionId(detail.sessionId);
        item.setEventId(event.id);
        item.setRegion(event.region);
        item.setAccount(event.account);
        item.setName("TOKEN_EXCHANGED");
        item.setParticipantId(detail.participantId);
        item.setEventTime(detail.eventTime);
        item.setPreviousToken(TokenBean.of(detail.previousToken));
        item.setNewToken(TokenBean.of(detail.newToken));
        ledger.putItem(PutItemEnhancedRequest.builder(LedgerBean.class)
                .item(item)
                .conditionExpression(Expression.builder().expression("attribute_not_exists(pk)").build())
                .build());

        TokenStateBean state = new TokenStateBean();
        state.setPk("PARTICIPANT#" + detail.participantId);
        state.setSk("TOKEN");
        state.setItemType("TOKEN_STATE");
        state.setParticipantId(detail.participantId);
        state.setStageArn(event.resources.get(0));
        state.setSessionId(detail.sessionId);
        state.setEventId(event.id);
        state.setAsOf(detail.eventTime);
        state.setStateVersion(version);
        state.setCapabilities(detail.newToken.capabilities);
        state.setAttributes(detail.newToken.attributes);
        state.setUserId(detail.newToken.userId);
        state.setExpirationTime(detail.newToken.expirationTime);
        tokens.putItem(PutItemEnhancedRequest.builder(TokenStateBean.class)
                .item(state)
                .conditionExpression(Expression.builder()
                        .expression("attribute_not_exists(pk) OR stateVersion <= :version")
                        .putExpressionValue(":version", AttributeValue.fromS(version))
                        .build())
                .build());

        Map<String, Object> document = Map.of(
                "_aws", Map.of("Timestamp", System.currentTimeMillis(), "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", "IVS/StageEvents",
                        "Dimensions", List.of(List.of("EventName")),
                        "Metrics", List.of(Map.of("Name", "EventsRecorded", "Unit", "Count"))))),
                "EventName", "TOKEN_EXCHANGED",
                "EventsRecorded", 1);
        try {
            System.out.println(mapper.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private static String digest(ObjectMapper mapper, IvsEvent event) {
        try {
            byte[] canonical = mapper.writeValueAsString(event.detail).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
