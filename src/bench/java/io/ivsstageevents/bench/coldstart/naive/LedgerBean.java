package io.ivsstageevents.bench.coldstart.naive;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/** The ledger item as a bean: the same attributes as the function's, found by reflection at first use. */
@DynamoDbBean
public class LedgerBean {
    private String pk;
    private String sk;
    private String gsi1pk;
    private String gsi1sk;
    private String itemType;
    private String stageArn;
    private String sessionId;
    private String eventId;
    private String region;
    private String account;
    private String name;
    private String participantId;
    private String eventTime;
    private TokenBean previousToken;
    private TokenBean newToken;

    @DynamoDbPartitionKey
    public String getPk() { return pk; }
    public void setPk(String pk) { this.pk = pk; }
    @DynamoDbSortKey
    public String getSk() { return sk; }
    public void setSk(String sk) { this.sk = sk; }
    public String getGsi1pk() { return gsi1pk; }
    public void setGsi1pk(String gsi1pk) { this.gsi1pk = gsi1pk; }
    public String getGsi1sk() { return gsi1sk; }
    public void setGsi1sk(String gsi1sk) { this.gsi1sk = gsi1sk; }
    public String getItemType() { return itemType; }
    public void setItemType(String itemType) { this.itemType = itemType; }
    public String getStageArn() { return stageArn; }
    public void setStageArn(String stageArn) { this.stageArn = stageArn; }
    public String getSessionId() { return sessionId; }
    public void setSessionId(String sessionId) { this.sessionId = sessionId; }
    public String getEventId() { return eventId; }
    public void setEventId(String eventId) { this.eventId = eventId; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public String getAccount() { return account; }
    public void setAccount(String account) { this.account = account; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getParticipantId() { return participantId; }
    public void setParticipantId(String participantId) { this.participantId = participantId; }
    public String getEventTime() { return eventTime; }
    public void setEventTime(String eventTime) { this.eventTime = eventTime; }
    public TokenBean getPreviousToken() { return previousToken; }
    public void setPreviousToken(TokenBean previousToken) { this.previousToken = previousToken; }
    public TokenBean getNewToken() { return newToken; }
    public void setNewToken(TokenBean newToken) { this.newToken = newToken; }
}
