package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.EVENT;
import static io.ivsstageevents.storage.TableDesign.EVENT_PREFIX;
import static io.ivsstageevents.storage.TableDesign.EXPIRES_AT;
import static io.ivsstageevents.storage.TableDesign.GSI1_PK;
import static io.ivsstageevents.storage.TableDesign.GSI1_SK;
import static io.ivsstageevents.storage.TableDesign.GSI2_PK;
import static io.ivsstageevents.storage.TableDesign.GSI2_SK;
import static io.ivsstageevents.storage.TableDesign.ITEM_TYPE;
import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.REPLICATION_STATE;
import static io.ivsstageevents.storage.TableDesign.SK;
import static io.ivsstageevents.storage.TableDesign.TOKEN_SK;
import static io.ivsstageevents.storage.TableDesign.TOKEN_STATE;
import static io.ivsstageevents.storage.TableDesign.destinationKey;
import static io.ivsstageevents.storage.TableDesign.participantKey;
import static io.ivsstageevents.storage.TableDesign.replicationSortKey;
import static io.ivsstageevents.storage.TableDesign.sessionKey;
import static io.ivsstageevents.storage.TableDesign.sortableTime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.reliability.SyntheticEvent.Token;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table a stream of events must leave behind, computed by a model of the documented rules, with plain maps,
 * from what IVS meant ({@link SyntheticEvent}), never from the function's parser or item code:
 * <ul>
 *   <li>one ledger item per distinct event content (stage, session and every EventSource member), whoever
 *       delivered it and however often;</li>
 *   <li>one token state per participant: the exchange with the highest version, where version is the
 *       fixed-width event time, "#", then the content digest (so ties in time resolve by content);</li>
 *   <li>one replication state per participant and destination, from the newest START and the newest STOP by
 *       version: STOPPED when that STOP is at or after that START, else ACTIVE.</li>
 * </ul>
 * Only TableDesign's key helpers are shared with the function: they are the table's documented layout.
 */
final class ExpectedTable {
    private static final Set<String> RECORDED = Set.of("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, ObjectNode> items;
    private final int ledgerItems;

    private ExpectedTable(Map<String, ObjectNode> items, int ledgerItems) {
        this.items = items;
        this.ledgerItems = ledgerItems;
    }

    /** Every expected item by {@link #key(String, String)}. */
    Map<String, ObjectNode> items() {
        return items;
    }

    /** How many distinct recorded events there are: the function must count exactly these as recorded. */
    int ledgerItems() {
        return ledgerItems;
    }

    static String key(String pk, String sk) {
        return pk + " | " + sk;
    }

    static boolean isRecorded(SyntheticEvent event) {
        return event.isStageUpdate() && RECORDED.contains(event.name());
    }

    static ExpectedTable of(Iterable<SyntheticEvent> events, int retentionDays) {
        Map<String, Recorded> distinct = new LinkedHashMap<>();
        for (SyntheticEvent event : events) {
            if (isRecorded(event)) {
                // The first envelope of a content is the one the expected items name; re-emissions are aliases.
                distinct.putIfAbsent(canonical(event), new Recorded(event, canonical(event)));
            }
        }
        Map<String, ObjectNode> items = new TreeMap<>();
        Map<String, Recorded> tokens = new HashMap<>();
        Map<String, Recorded[]> replications = new HashMap<>();
        for (Recorded recorded : distinct.values()) {
            SyntheticEvent event = recorded.event;
            ObjectNode ledger = ledgerItem(recorded, retentionDays);
            items.put(key(ledger.get(PK).textValue(), ledger.get(SK).textValue()), ledger);
            switch (event.name()) {
                case "TOKEN_EXCHANGED" -> tokens.merge(event.participantId(), recorded, ExpectedTable::newer);
                case "REPLICATION_STARTED", "REPLICATION_STOPPED" -> {
                    Recorded[] marks = replications.computeIfAbsent(
                            event.participantId() + "\n" + event.destinationStageArn(), k -> new Recorded[2]);
                    int side = event.name().equals("REPLICATION_STARTED") ? 0 : 1;
                    marks[side] = marks[side] == null ? recorded : newer(marks[side], recorded);
                }
                default -> throw new AssertionError(event.name());
            }
        }
        tokens.values().forEach(token -> {
            ObjectNode item = tokenStateItem(token, retentionDays);
            items.put(key(item.get(PK).textValue(), TOKEN_SK), item);
        });
        replications.values().forEach(marks -> {
            ObjectNode item = replicationStateItem(marks[0], marks[1], retentionDays);
            items.put(key(item.get(PK).textValue(), item.get(SK).textValue()), item);
        });
        return new ExpectedTable(items, distinct.size());
    }

    private static Recorded newer(Recorded a, Recorded b) {
        return a.version.compareTo(b.version) >= 0 ? a : b;
    }

    private static ObjectNode ledgerItem(Recorded recorded, int retentionDays) {
        SyntheticEvent event = recorded.event;
        ObjectNode item = NODES.objectNode();
        item.put(PK, sessionKey(event.stageArn(), event.sessionId()));
        item.put(SK, EVENT_PREFIX + sortableTime(event.eventTime()) + "#" + event.participantId() + "#"
                + event.name() + "#" + recorded.digest);
        item.put(GSI1_PK, participantKey(event.participantId()));
        item.put(GSI1_SK, recorded.version);
        item.put(ITEM_TYPE, EVENT);
        item.put("stageArn", event.stageArn());
        item.put("sessionId", event.sessionId());
        item.put("eventId", event.eventId());
        item.put("region", SyntheticEvent.REGION);
        item.put("account", SyntheticEvent.ACCOUNT);
        putEventSource(item, event);
        expiry(item, event.eventTime(), retentionDays);
        return item;
    }

    private static ObjectNode tokenStateItem(Recorded recorded, int retentionDays) {
        SyntheticEvent event = recorded.event;
        ObjectNode item = NODES.objectNode();
        item.put(PK, participantKey(event.participantId()));
        item.put(SK, TOKEN_SK);
        item.put(ITEM_TYPE, TOKEN_STATE);
        item.put("participantId", event.participantId());
        item.put("stageArn", event.stageArn());
        item.put("sessionId", event.sessionId());
        item.put("eventId", event.eventId());
        item.put("asOf", event.eventTime().toString());
        item.put("stateVersion", recorded.version);
        if (event.newToken() != null) {
            item.setAll(token(event.newToken()));
        }
        expiry(item, event.eventTime(), retentionDays);
        return item;
    }

    private static ObjectNode replicationStateItem(Recorded start, Recorded stop, int retentionDays) {
        SyntheticEvent any = start != null ? start.event : stop.event;
        boolean stopped = stop != null && (start == null || !stop.event.eventTime().isBefore(start.event.eventTime()));
        SyntheticEvent deciding = stopped ? stop.event : start.event;
        Recorded otherSide = stopped ? start : stop;
        SyntheticEvent other = otherSide != null ? otherSide.event : deciding;
        ObjectNode item = NODES.objectNode();
        item.put(PK, participantKey(any.participantId()));
        item.put(SK, replicationSortKey(any.destinationStageArn()));
        item.put(GSI2_PK, destinationKey(any.destinationStageArn()));
        item.put(GSI2_SK, participantKey(any.participantId()));
        item.put(ITEM_TYPE, REPLICATION_STATE);
        item.put("participantId", any.participantId());
        item.put("stageArn", deciding.stageArn());
        item.put("sessionId", deciding.sessionId());
        item.put("destinationStageArn", any.destinationStageArn());
        // A side that did not say which destination session it was is completed from the other side.
        String destinationSession = deciding.destinationSessionId() != null
                ? deciding.destinationSessionId() : other.destinationSessionId();
        putIfPresent(item, "destinationSessionId", destinationSession);
        if (deciding.replica() != null) {
            item.put("replica", deciding.replica());
        }
        item.put("state", stopped ? "STOPPED" : "ACTIVE");
        if (start != null) {
            item.put("startedAt", start.event.eventTime().toString());
        }
        if (stopped) {
            item.put("stoppedAt", stop.event.eventTime().toString());
            if (start != null) {
                item.put("durationMillis", number(
                        Duration.between(start.event.eventTime(), stop.event.eventTime()).toMillis()));
            }
        }
        if (start != null) {
            item.set("lastStart", mark(start));
        }
        if (stop != null) {
            item.set("lastStop", mark(stop));
        }
        expiry(item, deciding.eventTime(), retentionDays);
        return item;
    }

    private static ObjectNode mark(Recorded recorded) {
        SyntheticEvent event = recorded.event;
        ObjectNode mark = NODES.objectNode();
        mark.put("eventTime", event.eventTime().toString());
        mark.put("version", recorded.version);
        mark.put("stageArn", event.stageArn());
        mark.put("sessionId", event.sessionId());
        putIfPresent(mark, "destinationSessionId", event.destinationSessionId());
        mark.put("eventId", event.eventId());
        if (event.replica() != null) {
            mark.put("replica", event.replica());
        }
        return mark;
    }

    /** The EventSource members the event carries, by their API names. */
    private static void putEventSource(ObjectNode json, SyntheticEvent event) {
        json.put("name", event.name());
        json.put("participantId", event.participantId());
        json.put("eventTime", event.eventTime().toString());
        putIfPresent(json, "remoteParticipantId", event.remoteParticipantId());
        putIfPresent(json, "errorCode", event.errorCode());
        putIfPresent(json, "destinationStageArn", event.destinationStageArn());
        putIfPresent(json, "destinationSessionId", event.destinationSessionId());
        if (event.replica() != null) {
            json.put("replica", event.replica());
        }
        if (event.previousToken() != null) {
            json.set("previousToken", token(event.previousToken()));
        }
        if (event.newToken() != null) {
            json.set("newToken", token(event.newToken()));
        }
    }

    private static ObjectNode token(Token token) {
        ObjectNode json = NODES.objectNode();
        if (token.capabilities() != null) {
            ArrayNode capabilities = json.putArray("capabilities");
            token.capabilities().forEach(capabilities::add);
        }
        if (token.attributes() != null) {
            ObjectNode attributes = json.putObject("attributes");
            new TreeMap<>(token.attributes()).forEach(attributes::put);
        }
        putIfPresent(json, "userId", token.userId());
        if (token.expirationTime() != null) {
            json.put("expirationTime", token.expirationTime().toString());
        }
        return json;
    }

    private static void expiry(ObjectNode item, Instant eventTime, int retentionDays) {
        if (retentionDays > 0) {
            item.put(EXPIRES_AT, number(eventTime.plus(Duration.ofDays(retentionDays)).getEpochSecond()));
        }
    }

    /** As PlainItems reads a DynamoDB number, so that equal numbers compare equal. */
    private static com.fasterxml.jackson.databind.JsonNode number(long value) {
        return NODES.numberNode(new BigDecimal(Long.toString(value)));
    }

    private static void putIfPresent(ObjectNode json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    /**
     * The content an event's identity is derived from, written the documented way: stage ARN, session id, then
     * the EventSource as compact API-form JSON, members in model order, absent ones left out, attributes in key
     * order. Its SHA-256, cut to 128 bits, is the digest in the event's keys and version.
     */
    static String canonical(SyntheticEvent event) {
        ObjectNode source = NODES.objectNode();
        putEventSource(source, event);
        return event.stageArn() + "\n" + event.sessionId() + "\n" + source;
    }

    static String digest(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One distinct recorded event with its identity. */
    private static final class Recorded {
        final SyntheticEvent event;
        final String digest;
        final String version;

        Recorded(SyntheticEvent event, String canonical) {
            this.event = event;
            this.digest = digest(canonical);
            this.version = sortableTime(event.eventTime()) + "#" + digest;
        }
    }
}
