package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.*;

import io.ivsstageevents.json.EventSourceJson;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.StageEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items one recorded event becomes, derived from the event's content, never from its delivery, so a
 * redelivered event yields the same keys and the same values. One thing depends on the order events arrive in:
 * the slot of an event that shares its identity with another.
 *
 * <p>The ledger key names the event by what every form of it carries: stage, session, whole second,
 * participant, name, and for replication the destination ({@link #identityForm}). Two forms of one event (see
 * {@link EventForms}) so find one item, which merges what each carried. Distinct events with one identity (two
 * token exchanges of a participant within a second) take the next slot: {@code #2}, {@code #3}, in the order
 * they were first recorded, so which of them holds which slot follows their first deliveries.
 */
final class StageEventItems {
    /** Distinct events of one identity beyond this fail loudly rather than fill a partition. */
    static final int MAX_SLOTS = 16;

    private final StageEvent event;
    private final EventSource source;
    private final String identityDigest;
    /** The digest of this form's content: in the event's order, should this form create the ledger item. */
    private final String contentDigest;
    /** The digest of the content as this form creates the item: {@link #formDigest}. */
    private final String formDigest;
    private final Long expiresAt;
    private final Map<String, AttributeValue> ledgerItem;

    StageEventItems(StageEvent event, int retentionDays) {
        this.event = event;
        this.source = event.eventSource();
        this.identityDigest = digest(identityForm(event));
        // The canonical text is the longest thing built per event (both tokens); both digests start from it.
        String canonical = canonicalForm(event);
        this.contentDigest = digest(canonical);
        this.formDigest = event.unknownMembers().isEmpty()
                ? contentDigest : digest(withUnknownNames(canonical, event.unknownMembers().keySet()));
        this.expiresAt = expiresAt(source.eventTime(), retentionDays);
        this.ledgerItem = Collections.unmodifiableMap(buildLedgerItem());
    }

    StageEvent event() {
        return event;
    }

    /** The first slot's key; {@link #ledgerKey(int)} for the others. */
    Map<String, AttributeValue> ledgerKey() {
        return ledgerKey(1);
    }

    Map<String, AttributeValue> ledgerKey(int slot) {
        return new Attributes()
                .s(PK, sessionKey(event.stageArn(), event.sessionId()))
                .s(SK, EVENT_PREFIX + sortableTime(wholeSecond(source.eventTime())) + "#" + source.participantId()
                        + "#" + source.nameAsString() + "#" + identityDigest + (slot == 1 ? "" : "#" + slot))
                .build();
    }

    /**
     * One ledger record as this form creates it: the EventSource as its value ({@link EventSourceValue}), plus the
     * envelope's context and where it came from. Built once: its size is checked before it is written.
     */
    Map<String, AttributeValue> ledgerItem() {
        return ledgerItem;
    }

    Map<String, AttributeValue> ledgerItem(int slot) {
        if (slot == 1) {
            return ledgerItem;
        }
        Map<String, AttributeValue> item = new HashMap<>(ledgerItem);
        item.putAll(ledgerKey(slot));
        return item;
    }

    private Map<String, AttributeValue> buildLedgerItem() {
        Map<String, AttributeValue> item = ledgerKey();
        item.putAll(new Attributes()
                .s(GSI1_PK, participantKey(source.participantId()))
                .s(GSI1_SK, created().order().ledgerForm())
                .s(ITEM_TYPE, EVENT)
                .s("stageArn", event.stageArn())
                .s("sessionId", event.sessionId())
                .s("eventId", event.eventId())
                .s("region", event.region())
                .s("account", event.account())
                .s("userId", event.userId())
                .n(EXPIRES_AT, expiresAt)
                .m(UNKNOWN_MEMBERS, event.unknownMembers().isEmpty()
                        ? null : JsonValues.toAttributes(event.unknownMembers()))
                .s(FORM_DIGEST, formDigest)
                .build());
        item.put(SOURCE, AttributeValue.fromSs(List.of(event.origin().label())));
        item.putAll(EventSourceValue.toValue(source));
        return item;
    }

    /**
     * What the ledger holds of the event once this form is in: the merged EventSource, the envelope id of the
     * first EventBridge delivery, and the digest of the content that created the item. The state items are built
     * from it, so state shows everything any form told.
     */
    record Entry(EventSource source, String eventId, String creatorDigest) {
        /** At the merged time: a finer time that a later form brings moves the event forward in the order. */
        EventOrder order() {
            return new EventOrder(source.eventTime(), creatorDigest,
                    EventForms.richness(source) + (eventId == null ? 0 : 1));
        }
    }

    /** The entry of a form that created its ledger item. */
    Entry created() {
        return new Entry(source, event.eventId(), contentDigest);
    }

    /** The participant's token as of this exchange: the new token's members at the top level. */
    Map<String, AttributeValue> tokenStateItem(Entry entry) {
        ExchangedParticipantToken token = entry.source().newToken();
        Attributes item = new Attributes()
                .s(PK, participantKey(source.participantId()))
                .s(SK, TOKEN_SK)
                .s(ITEM_TYPE, TOKEN_STATE)
                .s("participantId", source.participantId())
                .s("stageArn", event.stageArn())
                .s("sessionId", event.sessionId())
                .s("eventId", entry.eventId())
                .s("asOf", entry.source().eventTime())
                .s("stateVersion", entry.order().stored());
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
    ReplicationState.Mark replicationMark(Entry entry) {
        EventSource merged = entry.source();
        return new ReplicationState.Mark(entry.order(), event.stageArn(),
                event.sessionId(), merged.destinationSessionId(), entry.eventId(), merged.replica());
    }

    /**
     * What names an event in the ledger whatever form it came in: stage, session, participant, name, the whole
     * second (EventBridge may give no more), and for replication the destination (one participant may start
     * replicating into two stages in one second). A test pins it: a change to it moves every event's key.
     */
    static String identityForm(StageEvent event) {
        EventSource source = event.eventSource();
        String destination = source.destinationStageArn() == null ? "" : source.destinationStageArn();
        return event.stageArn() + "\n" + event.sessionId() + "\n" + source.participantId() + "\n"
                + source.nameAsString() + "\n" + sortableTime(wholeSecond(source.eventTime())) + "\n" + destination;
    }

    /**
     * The text the digest in the event's order is taken of: stage and session, then the EventSource's API JSON
     * (compact, members in model order, token attributes in key order). A test pins it.
     */
    static String canonicalForm(StageEvent event) {
        return canonicalForm(event.stageArn(), event.sessionId(), event.eventSource());
    }

    private static String canonicalForm(String stageArn, String sessionId, EventSource source) {
        return stageArn + "\n" + sessionId + "\n" + EventSourceJson.toJson(source);
    }

    /**
     * The digest of a ledger item's content as merged, which a merge is conditioned on ({@link LedgerWriter}):
     * that of its {@link #mergedForm}.
     */
    static String formDigest(String stageArn, String sessionId, EventSource merged, Collection<String> unknownNames) {
        return digest(mergedForm(stageArn, sessionId, merged, unknownNames));
    }

    /**
     * What a merge may change in a ledger item but for what it only ever adds to ({@code source}, the envelope's
     * context): the canonical form of the merged EventSource, then the names of its unknown members in string
     * order, one a line. An item no later form added to, and without unknown members, so has the digest in its
     * order as its form digest. A test pins it.
     */
    static String mergedForm(String stageArn, String sessionId, EventSource merged, Collection<String> unknownNames) {
        return withUnknownNames(canonicalForm(stageArn, sessionId, merged), unknownNames);
    }

    private static String withUnknownNames(String canonical, Collection<String> unknownNames) {
        StringBuilder form = new StringBuilder(canonical);
        new TreeSet<>(unknownNames).forEach(name -> form.append('\n').append(name));
        return form.toString();
    }

    private static Instant wholeSecond(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS);
    }
}
