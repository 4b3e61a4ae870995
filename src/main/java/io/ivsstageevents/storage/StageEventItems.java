package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.parsing.EventSourceJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items one recorded event becomes. Everything here is derived from the event's content, never from its
 * delivery, so a redelivered event yields the same keys and the same values.
 */
final class StageEventItems {
    private static final HexFormat HEX = HexFormat.of();

    private final StageEvent event;
    private final EventSource source;
    private final String sortableTime;
    private final String digest;
    private final String version;
    private final Long expiresAt;

    StageEventItems(StageEvent event, int retentionDays) {
        this.event = event;
        this.source = event.eventSource();
        this.sortableTime = sortableTime(source.eventTime());
        this.digest = digest(event);
        this.version = sortableTime + "#" + digest;
        this.expiresAt = retentionDays == 0
                ? null : source.eventTime().plus(Duration.ofDays(retentionDays)).getEpochSecond();
    }

    /**
     * The order in which two events of one participant apply: event time, then digest, so that two events with
     * the same time still resolve the same way whatever order they arrive in.
     */
    String version() {
        return version;
    }

    Long expiresAt() {
        return expiresAt;
    }

    Map<String, AttributeValue> ledgerKey() {
        return new Attributes()
                .s(PK, sessionKey(event.stageArn(), event.sessionId()))
                .s(SK, EVENT_PREFIX + sortableTime + "#" + source.participantId() + "#"
                        + source.nameAsString() + "#" + digest)
                .build();
    }

    /** One ledger record: every EventSource member present, in native types, plus the envelope's context. */
    Map<String, AttributeValue> ledgerItem() {
        Map<String, AttributeValue> item = ledgerKey();
        item.putAll(new Attributes()
                .s(GSI1_PK, participantKey(source.participantId()))
                .s(GSI1_SK, version)
                .s(ITEM_TYPE, EVENT)
                .s("stageArn", event.stageArn())
                .s("sessionId", event.sessionId())
                .s("eventId", event.eventId())
                .s("region", event.region())
                .s("account", event.account())
                .s("name", source.nameAsString())
                .s("participantId", source.participantId())
                .s("eventTime", source.eventTime())
                .s("remoteParticipantId", source.remoteParticipantId())
                .s("errorCode", source.errorCodeAsString())
                .s("destinationStageArn", source.destinationStageArn())
                .s("destinationSessionId", source.destinationSessionId())
                .bool("replica", source.replica())
                .m("previousToken", token(source.previousToken()))
                .m("newToken", token(source.newToken()))
                .n(EXPIRES_AT, expiresAt)
                .build());
        return item;
    }

    /** The participant's token as of this exchange: the new token's members at the top level. */
    Map<String, AttributeValue> tokenStateItem() {
        ExchangedParticipantToken token = source.newToken();
        Attributes item = new Attributes()
                .s(PK, participantKey(source.participantId()))
                .s(SK, TOKEN_SK)
                .s(ITEM_TYPE, TOKEN_STATE)
                .s("participantId", source.participantId())
                .s("stageArn", event.stageArn())
                .s("sessionId", event.sessionId())
                .s("eventId", event.eventId())
                .s("asOf", source.eventTime())
                .s("stateVersion", version);
        if (token != null) {
            item.strings("capabilities", token.capabilitiesAsStrings())
                    .stringMap("attributes", token.attributes())
                    .s("userId", token.userId())
                    .s("expirationTime", token.expirationTime());
        }
        return item.n(EXPIRES_AT, expiresAt).build();
    }

    Map<String, AttributeValue> replicationKey() {
        return new Attributes()
                .s(PK, participantKey(source.participantId()))
                .s(SK, replicationSortKey(source.destinationStageArn()))
                .build();
    }

    /** This event as one side (START or STOP) of a replication state item. */
    ReplicationState.Mark replicationMark() {
        return new ReplicationState.Mark(source.eventTime(), version, event.stageArn(), event.sessionId(),
                source.destinationSessionId(), event.eventId(), source.replica());
    }

    private static Map<String, AttributeValue> token(ExchangedParticipantToken token) {
        if (token == null) {
            return null;
        }
        return new Attributes()
                .strings("capabilities", token.capabilitiesAsStrings())
                .stringMap("attributes", token.attributes())
                .s("userId", token.userId())
                .s("expirationTime", token.expirationTime())
                .build();
    }

    private static String digest(StageEvent event) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((event.stageArn() + "\n" + event.sessionId() + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha256.digest(EventSourceJson.write(event.eventSource()).getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
