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
import io.ivsstageevents.storage.TableDesign;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The table a stream of events must leave behind, computed by a model of the documented rules, with plain maps,
 * from what IVS meant ({@link SyntheticEvent}), never from the function's parser or item code. The events come as
 * {@link Arrivals}: EventBridge's deliveries to the function, and the events the reconciler reads from the API, phase
 * after phase, each phase's in any order among themselves:
 * <ul>
 *   <li>an event's content is its stage, session and every EventSource member; events of one content (IVS's
 *       re-emissions) are one event, whichever of their envelope ids its items name
 *       ({@link #eventIdAliases()});</li>
 *   <li>its ledger identity is stage, session, participant, name, event time cut to the whole second, and for
 *       replication the destination stage: the sort key is {@code EVENT#}, that second, participant, name and the
 *       digest of those six lines, then {@code #2}, {@code #3}... for the second and further events of one
 *       identity, in the order their first delivery arrived (the comparison takes any order: see
 *       {@link TableComparison});</li>
 *   <li>two events of one identity are one ledger item when nothing both carry disagrees (times equal, or in one
 *       second where one has no fraction; capabilities as sets; tokens member by member): the item then holds
 *       every member either carried and the finer time, its version is that of the form that created it, its
 *       envelope id that of the first EventBridge delivery in it (none while only the API told of it). This joins
 *       EventBridge's poorer form of an event and the API's; in the stage day every delivery of a content carries
 *       it whole, so there it only joins different contents of one identity, which the day makes very rarely. Where
 *       forms of different contents of one identity arrive in one phase, the item's content may depend on their
 *       order, and the model keeps every outcome an order within each phase gives ({@link #as});</li>
 *   <li>a ledger item holds the merged EventSource's members, {@code source}, the set of where its forms came
 *       from ({@code EventBridge} for a delivery in either wire form, {@code API} for the reconciler's read), and as
 *       version ({@code gsi1sk}) the fixed-width event time, "#", then the digest of the creating content, the
 *       time moved to a finer one when a later form brings it; its {@code unknownMembers} are the keys no version
 *       reads, over every form, each with the value it first came with (a token's keys are named after the form's
 *       token key), in native DynamoDB types, a value DynamoDB cannot hold natively (over 38 digits, an object
 *       with an empty key) as its JSON text; its {@code userId} is EventBridge's documented {@code user_id}, from
 *       the first form that carried one;</li>
 *   <li>no ledger item and no state for what cannot be recorded: a name that is none of the API's twelve in any
 *       spelling (or no name), a token exchange without a new token, a replication without a destination. Each
 *       is kept whole instead: one {@code UNRECOGNIZED#{day}} item per stage, session and detail text as
 *       delivered by EventBridge (so the same event delivered in two forms or spellings is kept twice), placed at
 *       the detail's event time, else the envelope's; the reconciler keeps nothing (the API keeps it);</li>
 *   <li>one token state per participant: the new token of the exchange item with the highest state version,
 *       which is the item's version, "#", then how many members its EventSource carries, plus one for an envelope
 *       id, as two digits (of the seven optional members, and each token's four);</li>
 *   <li>one replication state per participant and destination, from the START and the STOP items with the
 *       highest state version: STOPPED when that STOP is at or after that START, else ACTIVE.</li>
 * </ul>
 * Only TableDesign's key helpers are shared with the function: they are the table's documented layout. The
 * detail text of a kept event is the one the delivery carried ({@link SyntheticEvent#detail()}), compact, keys
 * in the order sent: what docs/TABLE.md calls the whole detail as JSON text.
 */
final class ExpectedTable {
    private static final Set<String> RECORDED = Set.of("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED");
    /** The API's twelve names: the synthetic events carry these for every name the function must recognize. */
    private static final Set<String> KNOWN_NAMES = Set.of("JOINED", "LEFT", "PUBLISH_STARTED", "PUBLISH_STOPPED",
            "SUBSCRIBE_STARTED", "SUBSCRIBE_STOPPED", "PUBLISH_ERROR", "SUBSCRIBE_ERROR", "JOIN_ERROR",
            "REPLICATION_STARTED", "REPLICATION_STOPPED", "TOKEN_EXCHANGED");
    /** The EventSource's optional members, and a token's: what a state version counts. */
    private static final List<String> OPTIONAL_MEMBERS = List.of("remoteParticipantId", "errorCode",
            "destinationStageArn", "destinationSessionId", "replica", "previousToken", "newToken");
    private static final List<String> TOKEN_MEMBERS = List.of("capabilities", "attributes", "userId",
            "expirationTime");
    private static final List<String> TOKENS = List.of("previousToken", "newToken");
    /** Members two events of one identity must not disagree on, besides the time and the tokens. */
    private static final List<String> PLAIN_MEMBERS = List.of("remoteParticipantId", "errorCode",
            "destinationStageArn", "destinationSessionId", "replica");
    /** An identity whose events may join is modelled in every order of its deliveries: 8! orders at most. */
    private static final int MAX_ORDERED_ARRIVALS = 8;
    /** DynamoDB's numbers: 38 significant digits, magnitudes from 1E-130 to under 1E126. */
    private static final int NUMBER_DIGITS = 38;
    private static final BigDecimal SMALLEST_NUMBER = new BigDecimal("1E-130");
    private static final BigDecimal TOO_LARGE_NUMBER = new BigDecimal("1E126");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    /** Where a form of an event came from, as a ledger item's {@code source} names it. */
    enum Origin {
        EVENTBRIDGE("EventBridge"), API("API");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * The forms of events that reach the table, phase after phase: the forms of one phase arrive in any order among
     * themselves (concurrent deliveries; a reconciler run's pages), all after those of the phases before.
     * EventBridge's forms are deliveries with their envelopes; the API's are events as listed, without one.
     */
    static final class Arrivals {
        private final List<Phase> phases = new ArrayList<>();

        Arrivals then(Origin origin, Collection<SyntheticEvent> forms) {
            phases.add(new Phase(origin, List.copyOf(forms)));
            return this;
        }
    }

    private record Phase(Origin origin, List<SyntheticEvent> forms) {
    }

    private final List<Identity> identities;
    /** For each identity, which of its outcomes this table holds. */
    private final int[] chosen;
    private final Map<String, ObjectNode> keptItems;
    private final Map<String, Long> keptByName;
    private final Map<String, String> eventIdAliases;
    private final int retentionDays;
    private final Map<String, ObjectNode> items = new TreeMap<>();
    private final Map<String, Long> recordedByName = new TreeMap<>();
    private final Map<Origin, Map<String, Long>> createdByName = new EnumMap<>(Map.of(
            Origin.EVENTBRIDGE, new TreeMap<>(), Origin.API, new TreeMap<>()));
    private final Map<String, Long> backfilledBySession = new TreeMap<>();
    private int ledgersWithUnknownMembers;

    private ExpectedTable(List<Identity> identities, int[] chosen, Map<String, ObjectNode> keptItems,
                          Map<String, Long> keptByName, Map<String, String> eventIdAliases, int retentionDays) {
        this.identities = identities;
        this.chosen = chosen;
        this.keptItems = keptItems;
        this.keptByName = keptByName;
        this.eventIdAliases = eventIdAliases;
        this.retentionDays = retentionDays;
        build();
    }

    /** Every expected item by {@link #key(String, String)}. */
    Map<String, ObjectNode> items() {
        return items;
    }

    /** How many ledger items there are: the function must count exactly these as recorded. */
    int ledgerItems() {
        return Math.toIntExact(recordedByName.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Ledger items by the API's name of their event, whatever spelling delivered them. */
    Map<String, Long> recordedByName() {
        return recordedByName;
    }

    /**
     * Ledger items whose first form came from there, by the API's name of their event: what the function counts as
     * recorded (EventBridge), and what the reconciler counts as backfilled (API).
     */
    Map<String, Long> createdByName(Origin origin) {
        return createdByName.get(origin);
    }

    /** The ledger items the API's form created, by session ({@link TableDesign#sessionKey}): each marker's count. */
    Map<String, Long> backfilledBySession() {
        return backfilledBySession;
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

    /** Ledger identities that hold more than one item: distinct events in one second, under slots. */
    int identitiesWithSlots() {
        int shared = 0;
        for (int i = 0; i < identities.size(); i++) {
            shared += identities.get(i).outcomes.get(chosen[i]).size() > 1 ? 1 : 0;
        }
        return shared;
    }

    /** Ledger identities whose items depend on the order their events arrive in. */
    int orderDependentIdentities() {
        return (int) identities.stream().filter(identity -> identity.outcomes.size() > 1).count();
    }

    /**
     * The envelope ids of every event after the first of one content, mapped to the first's: the function cannot
     * tell them apart, so its items may name any of them (IVS's re-emissions are among these).
     */
    Map<String, String> eventIdAliases() {
        return eventIdAliases;
    }

    /**
     * This model with, for every identity whose items depend on arrival order, the outcome whose ledger items the
     * table holds (its first when none is held, so that the differences show): what the state items then are
     * follows from those items.
     *
     * @param held whether the table holds exactly these ledger items (by key) of their identity
     */
    ExpectedTable as(Predicate<Map<String, ObjectNode>> held) {
        int[] choice = new int[identities.size()];
        for (int i = 0; i < identities.size(); i++) {
            Identity identity = identities.get(i);
            for (int outcome = 0; outcome < identity.outcomes.size() && identity.outcomes.size() > 1; outcome++) {
                if (held.test(ledgerItems(identity, identity.outcomes.get(outcome)))) {
                    choice[i] = outcome;
                    break;
                }
            }
        }
        return new ExpectedTable(identities, choice, keptItems, keptByName, eventIdAliases, retentionDays);
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
     * A stream EventBridge delivers, in one phase (any order, concurrently).
     *
     * @param events     what IVS sent, in the order it happened: the first envelope of a content is the one its
     *                   ledger item names (the others are aliases)
     * @param deliveries what the function received: every wire form and spelling of each event
     */
    static ExpectedTable of(List<SyntheticEvent> events, List<SyntheticEvent> deliveries, int retentionDays) {
        return of(events, new Arrivals().then(Origin.EVENTBRIDGE, deliveries), retentionDays);
    }

    /**
     * @param sent      what IVS sent to EventBridge, in the order it happened: every EventBridge form that arrives
     *                  is one of these (its content), and the first envelope of a content is the one its ledger
     *                  item names (the others are aliases)
     * @param arrivals  what reached the function and the reconciler, phase after phase
     */
    static ExpectedTable of(List<SyntheticEvent> sent, Arrivals arrivals, int retentionDays) {
        Map<String, Recorded> distinct = new LinkedHashMap<>();
        Map<String, String> aliases = new HashMap<>();
        for (SyntheticEvent event : sent) {
            if (isRecorded(event)) {
                Recorded first = distinct.putIfAbsent(canonical(event), new Recorded(event));
                if (first != null && !first.event.eventId().equals(event.eventId())) {
                    aliases.put(event.eventId(), first.event.eventId());
                }
            }
        }
        // Each different form once: one like it before changes nothing. Its unknown members, checked to agree with
        // every other form's of the same content, since each is kept with the value it first came with.
        Map<String, Arrival> different = new LinkedHashMap<>();
        Map<String, ObjectNode> unknownByContent = new HashMap<>();
        Map<String, ObjectNode> keptItems = new TreeMap<>();
        Map<String, Long> keptByName = new TreeMap<>();
        for (int phase = 0; phase < arrivals.phases.size(); phase++) {
            Origin origin = arrivals.phases.get(phase).origin();
            for (SyntheticEvent form : arrivals.phases.get(phase).forms()) {
                if (origin == Origin.EVENTBRIDGE && isKept(form)) {
                    ObjectNode item = keptItem(form, retentionDays);
                    if (keptItems.putIfAbsent(key(item.get(PK).textValue(), item.get(SK).textValue()), item) == null) {
                        keptByName.merge(item.has("name") ? item.get("name").textValue() : FunctionOutputs.NO_NAME,
                                1L, Long::sum);
                    }
                }
                if (!isRecorded(form)) {
                    continue;
                }
                String content = canonical(form);
                if (origin == Origin.EVENTBRIDGE && !distinct.containsKey(content)) {
                    throw new AssertionError("a delivery of an event IVS never sent: " + form);
                }
                Recorded recorded = distinct.computeIfAbsent(content, k -> new Recorded(form));
                ObjectNode members = NODES.objectNode();
                unknownMembers(form).forEach(members::set);
                ObjectNode union = unknownByContent.computeIfAbsent(content, k -> NODES.objectNode());
                members.fields().forEachRemaining(member -> {
                    JsonNode before = union.get(member.getKey());
                    if (before == null) {
                        union.set(member.getKey(), member.getValue());
                    } else if (!before.equals(member.getValue())) {
                        throw new AssertionError("the day sends one event with two values of " + member.getKey());
                    }
                });
                // An EventBridge form names the envelope its content was first sent in; the API's names none.
                String eventId = origin == Origin.EVENTBRIDGE ? recorded.event.eventId() : null;
                String userId = userId(form);
                different.putIfAbsent(phase + "\n" + origin + "\n" + content + "\n" + members + "\n" + userId,
                        new Arrival(recorded, origin, eventId, members, userId, phase));
            }
        }
        Map<String, List<Arrival>> byIdentity = new LinkedHashMap<>();
        different.values().forEach(arrival ->
                byIdentity.computeIfAbsent(arrival.recorded.identityForm, k -> new ArrayList<>()).add(arrival));
        List<Identity> identities = new ArrayList<>();
        byIdentity.forEach((form, ofIdentity) -> identities.add(new Identity(digest(form), outcomes(ofIdentity))));
        return new ExpectedTable(identities, new int[identities.size()], keptItems, keptByName, Map.copyOf(aliases),
                retentionDays);
    }

    /**
     * What the forms of one identity can leave in the ledger: the ledger's rule applied to them phase after phase.
     * Within a phase, forms of one content commute; where a phase brings forms of more than one content, every
     * order of them is tried, and each different result is an outcome.
     */
    private static List<List<Entry>> outcomes(List<Arrival> arrivals) {
        Map<Integer, List<Arrival>> byPhase = new TreeMap<>();
        arrivals.forEach(arrival -> byPhase.computeIfAbsent(arrival.phase, k -> new ArrayList<>()).add(arrival));
        List<List<Arrival>> orders = List.of(List.of());
        for (List<Arrival> phase : byPhase.values()) {
            List<List<Arrival>> phaseOrders = new ArrayList<>();
            if (phase.stream().map(arrival -> arrival.recorded.canonical).distinct().count() == 1) {
                phaseOrders.add(phase);
            } else if (phase.size() > MAX_ORDERED_ARRIVALS) {
                throw new AssertionError("the day brings " + phase.size() + " different forms of events of one "
                        + "ledger identity at once: too many orders to model: " + phase.get(0).recorded.identityForm);
            } else {
                orders(phase, new ArrayList<>(), new boolean[phase.size()], order -> phaseOrders.add(List.copyOf(order)));
            }
            List<List<Arrival>> longer = new ArrayList<>();
            for (List<Arrival> before : orders) {
                for (List<Arrival> then : phaseOrders) {
                    List<Arrival> order = new ArrayList<>(before);
                    order.addAll(then);
                    longer.add(order);
                }
            }
            orders = longer;
        }
        Map<List<String>, List<Entry>> outcomes = new LinkedHashMap<>();
        for (List<Arrival> order : orders) {
            List<Entry> slots = arrive(order);
            List<String> content = new ArrayList<>();
            slots.forEach(entry -> content.add(entry.describe()));
            content.sort(null);
            outcomes.putIfAbsent(content, slots);
        }
        return List.copyOf(outcomes.values());
    }

    private static void orders(List<Arrival> all, List<Arrival> order, boolean[] taken,
                               Consumer<List<Arrival>> each) {
        if (order.size() == all.size()) {
            each.accept(order);
            return;
        }
        for (int i = 0; i < all.size(); i++) {
            if (!taken[i]) {
                taken[i] = true;
                order.add(all.get(i));
                orders(all, order, taken, each);
                order.remove(order.size() - 1);
                taken[i] = false;
            }
        }
    }

    /**
     * The ledger's rule, one form after the other: into the first item of the identity that is the same event,
     * else a new item in the next slot.
     */
    private static List<Entry> arrive(List<Arrival> order) {
        List<Entry> slots = new ArrayList<>();
        next:
        for (Arrival arrival : order) {
            for (int slot = 0; slot < slots.size(); slot++) {
                if (sameEvent(slots.get(slot).source, arrival.recorded.source)) {
                    slots.set(slot, slots.get(slot).with(arrival));
                    continue next;
                }
            }
            slots.add(Entry.created(arrival));
        }
        return slots;
    }

    /** The items of the outcomes this table holds, and the state that follows from them. */
    private void build() {
        Map<String, Entry> tokens = new HashMap<>();
        Map<String, Entry[]> replications = new HashMap<>();
        for (int i = 0; i < identities.size(); i++) {
            Identity identity = identities.get(i);
            List<Entry> outcome = identity.outcomes.get(chosen[i]);
            ledgerItems(identity, outcome).values().forEach(ledger -> {
                items.put(key(ledger.get(PK).textValue(), ledger.get(SK).textValue()), ledger);
                ledgersWithUnknownMembers += ledger.has(UNKNOWN_MEMBERS) ? 1 : 0;
            });
            for (Entry entry : outcome) {
                SyntheticEvent event = entry.event();
                recordedByName.merge(event.name(), 1L, Long::sum);
                createdByName.get(entry.createdBy).merge(event.name(), 1L, Long::sum);
                if (entry.createdBy == Origin.API) {
                    backfilledBySession.merge(sessionKey(event.stageArn(), event.sessionId()), 1L, Long::sum);
                }
                switch (event.name()) {
                    case "TOKEN_EXCHANGED" -> tokens.merge(event.participantId(), entry, ExpectedTable::newer);
                    case "REPLICATION_STARTED", "REPLICATION_STOPPED" -> {
                        Entry[] marks = replications.computeIfAbsent(
                                event.participantId() + "\n" + event.destinationStageArn(), k -> new Entry[2]);
                        int side = event.name().equals("REPLICATION_STARTED") ? 0 : 1;
                        marks[side] = marks[side] == null ? entry : newer(marks[side], entry);
                    }
                    default -> throw new AssertionError(event.name());
                }
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
        items.putAll(keptItems);
    }

    /** An outcome's ledger items by key, in slot order. */
    private Map<String, ObjectNode> ledgerItems(Identity identity, List<Entry> outcome) {
        Map<String, ObjectNode> ledger = new LinkedHashMap<>();
        for (int slot = 1; slot <= outcome.size(); slot++) {
            ObjectNode item = ledgerItem(identity, outcome.get(slot - 1), slot, retentionDays);
            ledger.put(key(item.get(PK).textValue(), item.get(SK).textValue()), item);
        }
        return ledger;
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
     * and a token's under the API's token name in either form ({@code newToken.grants}).
     */
    static Map<String, JsonNode> unknownMembers(SyntheticEvent delivery) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        delivery.unknownMembers().forEach((name, value) -> members.put(name, dynamoDbValue(value)));
        tokenUnknownMembers(members, delivery.previousToken(), "previousToken");
        tokenUnknownMembers(members, delivery.newToken(), "newToken");
        return members;
    }

    /** EventBridge's top-level {@code user_id}, which the ledger item keeps as {@code userId}; null if none. */
    private static String userId(SyntheticEvent delivery) {
        Token newToken = delivery.newToken();
        return delivery.wireForm() == SyntheticEvent.WireForm.EVENTBRIDGE && newToken != null
                ? newToken.userId() : null;
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

    private static Entry newer(Entry a, Entry b) {
        return a.stateVersion().compareTo(b.stateVersion()) >= 0 ? a : b;
    }

    private static ObjectNode ledgerItem(Identity identity, Entry entry, int slot, int retentionDays) {
        SyntheticEvent event = entry.event();
        ObjectNode item = NODES.objectNode();
        item.put(PK, sessionKey(event.stageArn(), event.sessionId()));
        item.put(SK, EVENT_PREFIX + sortableTime(wholeSecond(event.eventTime())) + "#" + event.participantId() + "#"
                + event.name() + "#" + identity.digest + (slot == 1 ? "" : "#" + slot));
        item.put(GSI1_PK, participantKey(event.participantId()));
        item.put(GSI1_SK, entry.version);
        item.put(ITEM_TYPE, EVENT);
        item.put("stageArn", event.stageArn());
        item.put("sessionId", event.sessionId());
        putIfPresent(item, "eventId", entry.eventId);
        item.put("region", SyntheticEvent.REGION);
        item.put("account", SyntheticEvent.ACCOUNT);
        putIfPresent(item, "userId", entry.userId);
        ArrayNode source = item.putArray("source");
        entry.origins.stream().map(Origin::label).sorted().forEach(source::add);
        item.setAll(entry.source.deepCopy());
        if (!entry.unknownMembers.isEmpty()) {
            item.set(UNKNOWN_MEMBERS, entry.unknownMembers.deepCopy());
        }
        expiry(item, event.eventTime(), retentionDays);
        return item;
    }

    private static ObjectNode tokenStateItem(Entry entry, int retentionDays) {
        SyntheticEvent event = entry.event();
        ObjectNode item = NODES.objectNode();
        item.put(PK, participantKey(event.participantId()));
        item.put(SK, TOKEN_SK);
        item.put(ITEM_TYPE, TOKEN_STATE);
        item.put("participantId", event.participantId());
        item.put("stageArn", event.stageArn());
        item.put("sessionId", event.sessionId());
        putIfPresent(item, "eventId", entry.eventId);
        item.put("asOf", entry.eventTime().toString());
        item.put("stateVersion", entry.stateVersion());
        if (entry.source.has("newToken")) {
            item.setAll(((ObjectNode) entry.source.get("newToken")).deepCopy());
        }
        expiry(item, entry.eventTime(), retentionDays);
        return item;
    }

    private static ObjectNode replicationStateItem(Entry start, Entry stop, int retentionDays) {
        SyntheticEvent any = start != null ? start.event() : stop.event();
        boolean stopped = stop != null && (start == null || !stop.eventTime().isBefore(start.eventTime()));
        Entry deciding = stopped ? stop : start;
        Entry otherSide = stopped ? start : stop;
        Entry other = otherSide != null ? otherSide : deciding;
        ObjectNode item = NODES.objectNode();
        item.put(PK, participantKey(any.participantId()));
        item.put(SK, replicationSortKey(any.destinationStageArn()));
        item.put(GSI2_PK, destinationKey(any.destinationStageArn()));
        item.put(GSI2_SK, participantKey(any.participantId()));
        item.put(ITEM_TYPE, REPLICATION_STATE);
        item.put("participantId", any.participantId());
        item.put("stageArn", deciding.event().stageArn());
        item.put("sessionId", deciding.event().sessionId());
        item.put("destinationStageArn", any.destinationStageArn());
        // A side that did not say which destination session it was is completed from the other side.
        JsonNode destinationSession = deciding.source.has("destinationSessionId")
                ? deciding.source.get("destinationSessionId") : other.source.get("destinationSessionId");
        if (destinationSession != null) {
            item.set("destinationSessionId", destinationSession.deepCopy());
        }
        if (deciding.source.has("replica")) {
            item.set("replica", deciding.source.get("replica").deepCopy());
        }
        item.put("state", stopped ? "STOPPED" : "ACTIVE");
        if (start != null) {
            item.put("startedAt", start.eventTime().toString());
        }
        if (stopped) {
            item.put("stoppedAt", stop.eventTime().toString());
            if (start != null) {
                item.put("durationMillis", number(Duration.between(start.eventTime(), stop.eventTime()).toMillis()));
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

    private static ObjectNode mark(Entry entry) {
        SyntheticEvent event = entry.event();
        ObjectNode mark = NODES.objectNode();
        mark.put("eventTime", entry.eventTime().toString());
        mark.put("version", entry.stateVersion());
        mark.put("stageArn", event.stageArn());
        mark.put("sessionId", event.sessionId());
        if (entry.source.has("destinationSessionId")) {
            mark.set("destinationSessionId", entry.source.get("destinationSessionId").deepCopy());
        }
        putIfPresent(mark, "eventId", entry.eventId);
        if (entry.source.has("replica")) {
            mark.set("replica", entry.source.get("replica").deepCopy());
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

    /**
     * What names an event in the ledger whatever form it comes in, one line each: stage, session, participant,
     * name, the fixed-width event time cut to the whole second, and the destination stage (empty when none).
     */
    static String identityForm(SyntheticEvent event) {
        return event.stageArn() + "\n" + event.sessionId() + "\n" + event.participantId() + "\n" + event.name()
                + "\n" + sortableTime(wholeSecond(event.eventTime())) + "\n"
                + (event.destinationStageArn() == null ? "" : event.destinationStageArn());
    }

    /**
     * Whether two EventSources (as {@link #putEventSource} writes them) of one identity are one event: every member
     * both carry agrees, times to the second agreeing with finer ones in it, capabilities as sets.
     */
    static boolean sameEvent(ObjectNode a, ObjectNode b) {
        for (String member : PLAIN_MEMBERS) {
            if (a.has(member) && b.has(member) && !a.get(member).equals(b.get(member))) {
                return false;
            }
        }
        if (!timesAgree(a.get("eventTime"), b.get("eventTime"))) {
            return false;
        }
        for (String token : TOKENS) {
            if (a.has(token) && b.has(token) && !tokensAgree(a.get(token), b.get(token))) {
                return false;
            }
        }
        return true;
    }

    private static boolean tokensAgree(JsonNode a, JsonNode b) {
        boolean shareAMember = false;
        for (String member : TOKEN_MEMBERS) {
            shareAMember |= a.has(member) && b.has(member);
        }
        if (a.size() > 0 && b.size() > 0 && !shareAMember) {
            return false;
        }
        if (a.has("capabilities") && b.has("capabilities") && !elements(a.get("capabilities"))
                .equals(elements(b.get("capabilities")))) {
            return false;
        }
        for (String member : List.of("attributes", "userId")) {
            if (a.has(member) && b.has(member) && !a.get(member).equals(b.get(member))) {
                return false;
            }
        }
        return timesAgree(a.get("expirationTime"), b.get("expirationTime"));
    }

    private static Set<String> elements(JsonNode array) {
        Set<String> elements = new HashSet<>();
        array.forEach(element -> elements.add(element.textValue()));
        return elements;
    }

    /** Equal, or in one second where one of them has no fraction. */
    private static boolean timesAgree(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return true;
        }
        Instant x = Instant.parse(a.textValue());
        Instant y = Instant.parse(b.textValue());
        return x.equals(y) || (x.getEpochSecond() == y.getEpochSecond() && (x.getNano() == 0 || y.getNano() == 0));
    }

    /** Two EventSources of one event as one: each member from the first that carries it, the finer time. */
    private static ObjectNode merged(ObjectNode recorded, ObjectNode arriving) {
        ObjectNode merged = withMembersOf(recorded, arriving);
        finer(merged, recorded, arriving, "eventTime");
        for (String token : TOKENS) {
            if (recorded.has(token) && arriving.has(token)) {
                ObjectNode first = (ObjectNode) recorded.get(token);
                ObjectNode second = (ObjectNode) arriving.get(token);
                ObjectNode mergedToken = withMembersOf(first, second);
                finer(mergedToken, first, second, "expirationTime");
                merged.set(token, mergedToken);
            }
        }
        return merged;
    }

    private static ObjectNode withMembersOf(ObjectNode first, ObjectNode second) {
        ObjectNode merged = first.deepCopy();
        second.fields().forEachRemaining(member -> {
            if (!merged.has(member.getKey())) {
                merged.set(member.getKey(), member.getValue().deepCopy());
            }
        });
        return merged;
    }

    /** Of two agreeing times, the one with a fraction. */
    private static void finer(ObjectNode merged, ObjectNode first, ObjectNode second, String member) {
        if (first.has(member) && second.has(member) && Instant.parse(first.get(member).textValue()).getNano() == 0) {
            merged.set(member, second.get(member).deepCopy());
        }
    }

    /** How many of the optional members an EventSource (or a ledger item) carries, each token's included. */
    static int richness(JsonNode source) {
        int members = 0;
        for (String member : OPTIONAL_MEMBERS) {
            members += source.has(member) ? 1 : 0;
        }
        for (String token : TOKENS) {
            for (String member : TOKEN_MEMBERS) {
                members += source.path(token).has(member) ? 1 : 0;
            }
        }
        return members;
    }

    private static Instant wholeSecond(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS);
    }

    /** One distinct recorded content: the first event IVS sent of it, and what the ledger reads of it. */
    private static final class Recorded {
        final SyntheticEvent event;
        final ObjectNode source;
        final String canonical;
        final String identityForm;
        final String version;

        Recorded(SyntheticEvent event) {
            this.event = event;
            this.source = NODES.objectNode();
            putEventSource(source, event);
            this.canonical = canonical(event);
            this.identityForm = identityForm(event);
            this.version = sortableTime(event.eventTime()) + "#" + digest(canonical);
        }
    }

    /**
     * One different form of a content reaching the ledger: where from, the envelope id it names (an EventBridge
     * form's, the first of its content), what it adds as unknown members, and in which phase.
     */
    private record Arrival(Recorded recorded, Origin origin, String eventId, ObjectNode unknownMembers, String userId,
                           int phase) {
    }

    /** One ledger identity: the digest in its key, and every outcome its events can leave (most have one). */
    private record Identity(String digest, List<List<Entry>> outcomes) {
    }

    /**
     * One ledger item as the model knows it: the content that created it (the digest in its version) and where
     * that form came from, the EventSource it holds once every form that joined it is in, its version, unknown
     * members, where its forms came from, the envelope id of the first EventBridge form in it (null if none), and the
     * user id of the first form that carried one.
     */
    private record Entry(Recorded creator, Origin createdBy, ObjectNode source, String version,
                         ObjectNode unknownMembers, Set<Origin> origins, String eventId, String userId) {
        static Entry created(Arrival arrival) {
            Recorded recorded = arrival.recorded;
            return new Entry(recorded, arrival.origin, recorded.source, recorded.version, arrival.unknownMembers,
                    Set.of(arrival.origin), arrival.eventId, arrival.userId);
        }

        /** With another form of the same identity that is the same event: its members and time, unknown keys. */
        Entry with(Arrival arrival) {
            ObjectNode joined = merged(source, arrival.recorded.source);
            String refined = joined.get("eventTime").equals(source.get("eventTime")) ? version
                    : sortableTime(Instant.parse(joined.get("eventTime").textValue()))
                            + version.substring(version.indexOf('#'));
            ObjectNode members = withMembersOf(unknownMembers, arrival.unknownMembers);
            Set<Origin> from = EnumSet.of(arrival.origin);
            from.addAll(origins);
            return new Entry(creator, createdBy, joined, refined, members, Set.copyOf(from),
                    eventId != null ? eventId : arrival.eventId, userId != null ? userId : arrival.userId);
        }

        SyntheticEvent event() {
            return creator.event;
        }

        Instant eventTime() {
            return Instant.parse(source.get("eventTime").textValue());
        }

        /**
         * The version, "#", then in two digits how many optional members the item's EventSource carries, plus one
         * for its envelope id.
         */
        String stateVersion() {
            return version + "#" + String.format("%02d", richness(source) + (eventId == null ? 0 : 1));
        }

        String describe() {
            return eventId + " " + version + " " + source + " " + unknownMembers + " " + userId + " "
                    + new TreeSet<>(origins) + " created by " + createdBy;
        }
    }
}
