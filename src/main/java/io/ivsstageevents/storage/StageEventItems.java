package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import io.ivsstageevents.json.EventSourceJson;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.StageEvent;
import java.util.Collections;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items one recorded event becomes. Everything here is derived from the event's content, never from its
 * delivery, so a redelivered event yields the same keys and the same values.
 */
final class StageEventItems {
    private final StageEvent event;
    private final EventSource source;
    private final String sortableTime;
    private final String digest;
    private final String version;
    private final Long expiresAt;
    private final Map<String, AttributeValue> ledgerItem;

    StageEventItems(StageEvent event, int retentionDays) {
        this.event = event;
        this.source = event.eventSource();
        this.sortableTime = sortableTime(source.eventTime());
        this.digest = digest(canonicalForm(event));
        this.version = sortableTime + "#" + digest;
        this.expiresAt = expiresAt(source.eventTime(), retentionDays);
        this.ledgerItem = Collections.unmodifiableMap(buildLedgerItem());
    }

    /**
     * The order in which two events of one participant apply: event time, then digest, so that two events with
     * the same time still resolve the same way whatever order they arrive in.
     */
    String version() {
        return version;
    }

    Map<String, AttributeValue> ledgerKey() {
        return new Attributes()
                .s(PK, sessionKey(event.stageArn(), event.sessionId()))
                .s(SK, EVENT_PREFIX + sortableTime + "#" + source.participantId() + "#"
                        + source.nameAsString() + "#" + digest)
                .build();
    }

    /**
     * One ledger record: the EventSource as its value ({@link EventSourceValue}), plus the envelope's context.
     * Built once: its size is checked before it is written.
     */
    Map<String, AttributeValue> ledgerItem() {
        return ledgerItem;
    }

    private Map<String, AttributeValue> buildLedgerItem() {
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
                .n(EXPIRES_AT, expiresAt)
                .m(UNKNOWN_MEMBERS, event.unknownMembers().isEmpty()
                        ? null : JsonValues.toAttributes(event.unknownMembers()))
                .build());
        item.putAll(EventSourceValue.toValue(source));
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
            EventSourceValue.tokenMembers(item, token);
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

    /**
     * The text the ledger key's digest is taken of, owned here because the keys depend on it byte for byte: stage
     * and session, then the EventSource's API JSON (compact, members in model order, token attributes in key
     * order). A change to it makes every event redelivered after an upgrade a new ledger item; a test pins it.
     */
    static String canonicalForm(StageEvent event) {
        return event.stageArn() + "\n" + event.sessionId() + "\n" + EventSourceJson.toJson(event.eventSource());
    }
}
