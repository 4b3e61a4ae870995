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
import static io.ivsstageevents.storage.TableDesign.UNKNOWN_MEMBERS;
import static io.ivsstageevents.storage.TableDesign.UNRECOGNIZED;
import static io.ivsstageevents.storage.TableDesign.destinationKey;
import static io.ivsstageevents.storage.TableDesign.participantKey;
import static io.ivsstageevents.storage.TableDesign.replicationSortKey;
import static io.ivsstageevents.storage.TableDesign.sessionKey;
import static io.ivsstageevents.storage.TableDesign.sortableTime;
import static io.ivsstageevents.storage.TableDesign.unrecognizedKey;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table a stream of events must leave behind, computed by a model of the documented rules, with plain maps,
 * from what IVS meant ({@link SyntheticEvent}), never from the function's parser or item code:
 * <ul>
 *   <li>one ledger item per distinct event content (stage, session and every EventSource member), whoever
 *       delivered it and however often, in whatever form and spelling; its {@code unknownMembers} are the union
 *       of the detail keys no version reads over every delivery of that content (EventBridge's form adds
 *       {@code user_id}, and a token's keys are named after the form's token key), in native DynamoDB types, a
 *       value DynamoDB cannot hold natively (over 38 digits, an object with an empty key) as its JSON text;</li>
 *   <li>no ledger item and no state for what cannot be recorded: a name that is none of the API's twelve in any
 *       spelling (or no name), a token exchange without a new token, a replication without a destination. Each
 *       is kept whole instead: one {@code UNRECOGNIZED#{day}} item per stage, session and detail text as
 *       delivered (so the same event delivered in two forms or spellings is kept twice), placed at the detail's
 *       event time, else the envelope's;</li>
 *   <li>one token state per participant: the exchange with the highest version, where version is the
 *       fixed-width event time, "#", then the content digest (so ties in time resolve by content);</li>
 *   <li>one replication state per participant and destination, from the newest START and the newest STOP by
 *       version: STOPPED when that STOP is at or after that START, else ACTIVE.</li>
 * </ul>
 * Only TableDesign's key helpers are shared with the function: they are the table's documented layout. The
 * detail text of a kept event is the one the delivery carried ({@link SyntheticEvent#detail()}), compact, keys
 * in the order sent: what the README calls the whole detail as JSON text.
 */
final class ExpectedTable {
    private static final Set<String> RECORDED = Set.of("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED");
    /** The API's twelve names: the synthetic events carry these for every name the function must recognize. */
    private static final Set<String> KNOWN_NAMES = Set.of("JOINED", "LEFT", "PUBLISH_STARTED", "PUBLISH_STOPPED",
            "SUBSCRIBE_STARTED", "SUBSCRIBE_STOPPED", "PUBLISH_ERROR", "SUBSCRIBE_ERROR", "JOIN_ERROR",
            "REPLICATION_STARTED", "REPLICATION_STOPPED", "TOKEN_EXCHANGED");
    /** DynamoDB's numbers: 38 significant digits, magnitudes from 1E-130 to under 1E126. */
    private static final int NUMBER_DIGITS = 38;
    private static final BigDecimal SMALLEST_NUMBER = new BigDecimal("1E-130");
    private static final BigDecimal TOO_LARGE_NUMBER = new BigDecimal("1E126");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, ObjectNode> items;
    private final Map<String, Long> recordedByName;
    private final Map<String, Long> keptByName;
    private final int ledgersWithUnknownMembers;

    private ExpectedTable(Map<String, ObjectNode> items, Map<String, Long> recordedByName,
                          Map<String, Long> keptByName, int ledgersWithUnknownMembers) {
        this.items = items;
        this.recordedByName = recordedByName;
        this.keptByName = keptByName;
        this.ledgersWithUnknownMembers = ledgersWithUnknownMembers;
    }

    /** Every expected item by {@link #key(String, String)}. */
    Map<String, ObjectNode> items() {
        return items;
    }

    /** How many distinct recorded events there are: the function must count exactly these as recorded. */
    int ledgerItems() {
        return Math.toIntExact(recordedByName.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Ledger items by the API's name of their event, whatever spelling delivered them. */
    Map<String, Long> recordedByName() {
        return recordedByName;
    }

    /**
     * How many events are kept whole: the function must count exactly these as unrecognized (newly kept), and
     * every other delivery of them as a duplicate.
     */
    int keptItems() {
        return Math.toIntExact(keptByName.values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * Kept items by the name they are counted under: the name as it came, the API's name for an incomplete event
     * of a recorded kind, {@link FunctionOutputs#NO_NAME} for none.
     */
    Map<String, Long> keptByName() {
        return keptByName;
    }

    /** Ledger items that hold unknownMembers. */
    int ledgersWithUnknownMembers() {
        return ledgersWithUnknownMembers;
    }

    static String key(String pk, String sk) {
        return pk + " | " + sk;
    }

    /** A token exchange with a new token, a replication with a destination: the events that are recorded. */
    static boolean isRecorded(SyntheticEvent event) {
        return event.isStageUpdate() && event.name() != null && RECORDED.contains(event.name())
                && missing(event) == null;
    }

    /** A stage update the function cannot record: an unknown name or none, or a recorded kind incomplete. */
    static boolean isKept(SyntheticEvent event) {
        return event.isStageUpdate()
                && (event.name() == null || !KNOWN_NAMES.contains(event.name()) || missing(event) != null);
    }

    /** An error event of a name the function knows: measured under its error code. */
    static boolean isParticipantError(SyntheticEvent event) {
        return event.isStageUpdate() && !isKept(event)
                && (StageDay.ERROR_EVENT_NAMES.contains(event.name()) || event.errorCode() != null);
    }

    /** What makes DynamoDB requests: recording and keeping. */
    static boolean reachesTheTable(SyntheticEvent event) {
        return isRecorded(event) || isKept(event);
    }

    /** For a recorded kind: the member it needs and lacks, by its API name; null when complete or not recorded. */
    static String missing(SyntheticEvent event) {
        if ("TOKEN_EXCHANGED".equals(event.name()) && event.newToken() == null) {
            return "newToken";
        }
        if (("REPLICATION_STARTED".equals(event.name()) || "REPLICATION_STOPPED".equals(event.name()))
                && event.destinationStageArn() == null) {
            return "destinationStageArn";
        }
        return null;
    }

    /**
     * @param events     what IVS sent, in the order it happened: the first envelope of a content is the one its
     *                   ledger item names (re-emissions are aliases)
     * @param deliveries what the function received: every wire form and spelling of each event
     */
    static ExpectedTable of(List<SyntheticEvent> events, List<SyntheticEvent> deliveries, int retentionDays) {
        Map<String, Recorded> distinct = new LinkedHashMap<>();
        for (SyntheticEvent event : events) {
            if (isRecorded(event)) {
                distinct.putIfAbsent(canonical(event), new Recorded(event, canonical(event)));
            }
        }
        Map<String, ObjectNode> unknownByContent = new HashMap<>();
        for (SyntheticEvent delivery : deliveries) {
            if (isRecorded(delivery)) {
                String content = canonical(delivery);
                if (!distinct.containsKey(content)) {
                    throw new AssertionError("a delivery of an event IVS never sent: " + delivery);
                }
                ObjectNode union = unknownByContent.computeIfAbsent(content, k -> NODES.objectNode());
                unknownMembers(delivery).forEach((name, value) -> {
                    JsonNode before = union.get(name);
                    if (before == null) {
                        union.set(name, value);
                    } else if (!before.equals(value)) {
                        // Each member is kept as it first came: the model cannot say which delivery was first.
                        throw new AssertionError("the day sends one event with two values of " + name);
                    }
                });
            }
        }
        Map<String, ObjectNode> items = new TreeMap<>();
        Map<String, Long> recordedByName = new TreeMap<>();
        int withUnknownMembers = 0;
        Map<String, Recorded> tokens = new HashMap<>();
        Map<String, Recorded[]> replications = new HashMap<>();
        for (Recorded recorded : distinct.values()) {
            SyntheticEvent event = recorded.event;
            ObjectNode ledger = ledgerItem(recorded, retentionDays);
            ObjectNode unknown = unknownByContent.get(recorded.canonical);
            if (!unknown.isEmpty()) {
                ledger.set(UNKNOWN_MEMBERS, unknown);
                withUnknownMembers++;
            }
            items.put(key(ledger.get(PK).textValue(), ledger.get(SK).textValue()), ledger);
            recordedByName.merge(event.name(), 1L, Long::sum);
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
        Map<String, Long> keptByName = new TreeMap<>();
        List<SyntheticEvent> everyForm = new ArrayList<>(events);
        everyForm.addAll(deliveries);
        for (SyntheticEvent delivery : everyForm) {
            if (isKept(delivery)) {
                ObjectNode item = keptItem(delivery, retentionDays);
                if (items.putIfAbsent(key(item.get(PK).textValue(), item.get(SK).textValue()), item) == null) {
                    keptByName.merge(item.has("name") ? item.get("name").textValue() : FunctionOutputs.NO_NAME, 1L,
                            Long::sum);
                }
            }
        }
        return new ExpectedTable(items, recordedByName, keptByName, withUnknownMembers);
    }

    /**
     * The kept item of one delivery: its detail's text as sent, and what places the event. Its key is the day and
     * fixed-width time of the detail's event time (else the envelope's), then the first 128 bits of the SHA-256 of
     * stage ARN, session id and that text, each on its own line.
     */
    private static ObjectNode keptItem(SyntheticEvent delivery, int retentionDays) {
        ObjectNode detail = delivery.detail();
        String text = detail.toString();
        Instant placedAt = delivery.eventTime();
        String missing = missing(delivery);
        ObjectNode item = NODES.objectNode();
        item.put(PK, unrecognizedKey(LocalDate.ofInstant(placedAt, ZoneOffset.UTC)));
        item.put(SK, sortableTime(placedAt) + "#"
                + digest(delivery.stageArn() + "\n" + delivery.sessionId() + "\n" + text));
        item.put(ITEM_TYPE, UNRECOGNIZED);
        item.put("reason", missing == null ? "UNRECOGNIZED_NAME" : "INCOMPLETE");
        putIfPresent(item, "missing", missing);
        // The name as it came; for a recorded kind, recognized in whatever spelling, the API's.
        putIfPresent(item, "name", missing == null ? delivery.wireName() : delivery.name());
        item.put("eventId", delivery.eventId());
        item.put("account", SyntheticEvent.ACCOUNT);
        item.put("region", SyntheticEvent.REGION);
        item.put("time", delivery.envelopeTime().toString());
        if (delivery.detailTime() != null) {
            item.put("eventTime", delivery.detailTime().toString());
        }
        item.put("stageArn", delivery.stageArn());
        item.put("sessionId", delivery.sessionId());
        ArrayNode keys = item.putArray("detailKeys");
        detail.fieldNames().forEachRemaining(keys::add);
        item.put("detail", text);
        expiry(item, placedAt, retentionDays);
        return item;
    }

    /**
     * The detail keys of one delivery that no version reads, as its ledger item must hold them: the event's own,
     * EventBridge's top-level {@code user_id}, and a token's under the API's token name in either form
     * ({@code newToken.grants}).
     */
    static Map<String, JsonNode> unknownMembers(SyntheticEvent delivery) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        delivery.unknownMembers().forEach((name, value) -> members.put(name, dynamoDbValue(value)));
        Token newToken = delivery.newToken();
        if (delivery.wireForm() == SyntheticEvent.WireForm.EVENTBRIDGE && newToken != null
                && newToken.userId() != null) {
            members.put("user_id", NODES.textNode(newToken.userId()));
        }
        tokenUnknownMembers(members, delivery.previousToken(), "previousToken");
        tokenUnknownMembers(members, delivery.newToken(), "newToken");
        return members;
    }

    private static void tokenUnknownMembers(Map<String, JsonNode> members, Token token, String tokenKey) {
        if (token != null && token.unknownMembers() != null) {
            token.unknownMembers().forEach((name, value) -> members.put(tokenKey + "." + name, dynamoDbValue(value)));
        }
    }

    /** A JSON value in DynamoDB's native types, as PlainItems reads it back; what DynamoDB cannot hold, as text. */
    private static JsonNode dynamoDbValue(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal decimal = value.decimalValue();
            BigDecimal magnitude = decimal.abs();
            boolean fits = decimal.signum() == 0 || (decimal.stripTrailingZeros().precision() <= NUMBER_DIGITS
                    && magnitude.compareTo(SMALLEST_NUMBER) >= 0 && magnitude.compareTo(TOO_LARGE_NUMBER) < 0);
            return fits ? NODES.numberNode(decimal) : NODES.textNode(value.toString());
        }
        if (value.isArray()) {
            ArrayNode list = NODES.arrayNode();
            value.forEach(element -> list.add(dynamoDbValue(element)));
            return list;
        }
        if (value.isObject()) {
            if (value.has("")) {
                return NODES.textNode(value.toString());
            }
            ObjectNode map = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                map.set(member.getKey(), dynamoDbValue(member.getValue()));
            }
            return map;
        }
        return value.deepCopy();
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
        final String canonical;
        final String digest;
        final String version;

        Recorded(SyntheticEvent event, String canonical) {
            this.event = event;
            this.canonical = canonical;
            this.digest = digest(canonical);
            this.version = sortableTime(event.eventTime()) + "#" + digest;
        }
    }
}
