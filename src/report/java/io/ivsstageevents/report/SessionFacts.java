package io.ivsstageevents.report;

import io.ivsstageevents.storage.TableDesign;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What one stage session's items say, in the shape a reader looks for: who had which capabilities when, who was
 * replicated where and for how long, and which events only the IVS API told of. Built once from the items; the
 * page, the JSON and the summary only lay it out. Personal data (token attribute values, user ids, a kept event's
 * detail) is taken from the items only when asked for, so no layout can show what the facts do not hold.
 */
public record SessionFacts(String stageArn, String sessionId, Instant first, Instant last, List<Recorded> events,
                           List<Row> rows, List<Replication> replications, Reconciliation reconciliation,
                           List<Kept> kept, boolean personalData) {

    /** The ways an event came, from the ledger item's {@code source} set. */
    public enum Origin {
        EVENTBRIDGE("EventBridge"), API("API only"), BOTH("both");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * Items written before {@code source} existed came from EventBridge: the reconciler, the only other way,
         * writes it.
         */
        static Origin of(Map<String, AttributeValue> item) {
            AttributeValue source = item.get(TableDesign.SOURCE);
            boolean api = source != null && source.hasSs() && source.ss().contains("API");
            boolean eventBridge = source == null || !source.hasSs() || source.ss().contains("EventBridge");
            return api && eventBridge ? BOTH : api ? API : EVENTBRIDGE;
        }
    }

    /**
     * One ledger item. capabilitiesBefore/After and attributeKeys are a token exchange's; attributeValues and
     * userId are empty and null unless personal data was asked for.
     */
    public record Recorded(Instant time, String participantId, String name, Origin origin,
                           List<String> capabilitiesBefore, List<String> capabilitiesAfter, List<String> attributeKeys,
                           Map<String, String> attributeValues, String userId, String destinationStageArn,
                           String destinationSessionId, List<String> unknownMemberKeys) {
        public boolean isExchange() {
            return "TOKEN_EXCHANGED".equals(name);
        }
    }

    /** What a participant could do from one moment on; before the first exchange, what its previous token said. */
    public record Segment(Instant from, Instant to, List<String> capabilities, boolean beforeFirstExchange) {
    }

    /**
     * One replication into a destination stage: a START and the STOP after it. start is null for a STOP whose
     * START the ledger does not hold; stop is null while the replication is active.
     */
    public record Replication(String participantId, String destinationStageArn, String destinationSessionId,
                              Recorded start, Recorded stop) {
        public String state() {
            return stop == null ? "ACTIVE" : "STOPPED";
        }

        /** The part of the stage ARN after "stage/": short enough to label a bar. */
        public String destinationLabel() {
            return destinationStageArn.substring(destinationStageArn.lastIndexOf('/') + 1);
        }

        /** True when either end is known only from the API. */
        public boolean toldOnlyByTheApi() {
            return (start != null && start.origin() == Origin.API) || (stop != null && stop.origin() == Origin.API);
        }
    }

    /** One participant with recorded events: a row of the timeline. */
    public record Row(String participantId, List<Segment> capabilities, List<Recorded> exchanges,
                      List<Replication> replications) {
    }

    /** The reconciler's marker of the session: what reading it from the API found. */
    public record Reconciliation(Instant sessionEnd, Instant reconciledAt, long participantsRead, long eventsRead,
                                 long eventsBackfilled, long unrecognized, long invalid) {
    }

    /** An event of this session kept whole as unrecognized; detail only with personal data. */
    public record Kept(Instant time, String name, String reason, List<String> detailKeys, String detail) {
    }

    /** The end of the shared time axis: the last event, or the session's end when the reconciler knows it. */
    public Instant axisEnd() {
        return axisEnd(last, reconciliation);
    }

    private static Instant axisEnd(Instant last, Reconciliation reconciliation) {
        return reconciliation != null && reconciliation.sessionEnd() != null
                && reconciliation.sessionEnd().isAfter(last) ? reconciliation.sessionEnd() : last;
    }

    public long count(Origin origin) {
        return events.stream().filter(event -> event.origin() == origin).count();
    }

    public long tokenExchanges() {
        return events.stream().filter(Recorded::isExchange).count();
    }

    public long activeReplications() {
        return replications.stream().filter(replication -> replication.stop() == null).count();
    }

    /**
     * ledger: the session's EVENT items in key order; marker: its RECONCILED_SESSION item or null; kept: its
     * UNRECOGNIZED items. The ledger must not be empty: a session without recorded events has no timeline.
     */
    public static SessionFacts of(String stageArn, String sessionId, List<Map<String, AttributeValue>> ledger,
                                  Map<String, AttributeValue> marker, List<Map<String, AttributeValue>> kept,
                                  boolean personalData) {
        List<Recorded> events = new ArrayList<>();
        for (Map<String, AttributeValue> item : ledger) {
            events.add(recorded(item, personalData));
        }
        // Key order is time order to the second; within a second, the event time decides.
        events.sort(Comparator.comparing(Recorded::time).thenComparing(Recorded::participantId)
                .thenComparing(Recorded::name));
        Map<String, List<Recorded>> byParticipant = new LinkedHashMap<>();
        for (Recorded event : events) {
            byParticipant.computeIfAbsent(event.participantId(), id -> new ArrayList<>()).add(event);
        }
        Instant first = events.get(0).time();
        Instant last = events.get(events.size() - 1).time();
        Reconciliation reconciliation = marker == null ? null : reconciliation(marker);
        Instant axisEnd = axisEnd(last, reconciliation);
        List<Row> rows = new ArrayList<>();
        List<Replication> replications = new ArrayList<>();
        byParticipant.forEach((participant, own) -> {
            List<Replication> spans = replications(participant, own);
            replications.addAll(spans);
            rows.add(new Row(participant, segments(own, first, axisEnd),
                    own.stream().filter(Recorded::isExchange).toList(), spans));
        });
        replications.sort(Comparator.comparing(SessionFacts::beginning));
        List<Kept> keptEvents = kept.stream().map(item -> kept(item, personalData))
                .sorted(Comparator.comparing(Kept::time, Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
        return new SessionFacts(stageArn, sessionId, first, last, List.copyOf(events), List.copyOf(rows),
                List.copyOf(replications), reconciliation, keptEvents, personalData);
    }

    private static Recorded recorded(Map<String, AttributeValue> item, boolean personalData) {
        Map<String, AttributeValue> previous = map(item.get("previousToken"));
        Map<String, AttributeValue> next = map(item.get("newToken"));
        Map<String, AttributeValue> attributes = map(next.get("attributes"));
        Map<String, String> values = new TreeMap<>();
        String userId = null;
        if (personalData) {
            attributes.forEach((key, value) -> values.put(key, text(value)));
            userId = firstString(item.get("userId"), next.get("userId"), map(item.get(TableDesign.UNKNOWN_MEMBERS))
                    .get("user_id"));
        }
        return new Recorded(time(string(item, "eventTime")), string(item, "participantId"), string(item, "name"),
                Origin.of(item), capabilities(previous, item.containsKey("previousToken")),
                capabilities(next, item.containsKey("newToken")), List.copyOf(new TreeMap<>(attributes).keySet()),
                values, userId, string(item, "destinationStageArn"), string(item, "destinationSessionId"),
                List.copyOf(new TreeMap<>(map(item.get(TableDesign.UNKNOWN_MEMBERS))).keySet()));
    }

    /** A token's capabilities; null when the event carried no such token. */
    private static List<String> capabilities(Map<String, AttributeValue> token, boolean present) {
        if (!present) {
            return null;
        }
        AttributeValue capabilities = token.get("capabilities");
        if (capabilities == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (capabilities.hasL()) {
            capabilities.l().forEach(value -> names.add(text(value)));
        } else if (capabilities.hasSs()) {
            names.addAll(capabilities.ss());
        }
        return names.stream().sorted().toList();
    }

    /**
     * From each exchange to the next (or the axis end), what the new token allows; before the first, what the
     * previous token allowed, from the axis start.
     */
    private static List<Segment> segments(List<Recorded> events, Instant axisStart, Instant axisEnd) {
        List<Recorded> exchanges = events.stream().filter(Recorded::isExchange).toList();
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < exchanges.size(); i++) {
            Recorded exchange = exchanges.get(i);
            if (i == 0 && exchange.capabilitiesBefore() != null && exchange.time().isAfter(axisStart)) {
                segments.add(new Segment(axisStart, exchange.time(), exchange.capabilitiesBefore(), true));
            }
            Instant to = i + 1 < exchanges.size() ? exchanges.get(i + 1).time() : axisEnd;
            List<String> after = exchange.capabilitiesAfter() == null ? List.of() : exchange.capabilitiesAfter();
            segments.add(new Segment(exchange.time(), to, after, false));
        }
        return List.copyOf(segments);
    }

    /** STARTs and STOPs paired per destination stage, in time order. */
    private static List<Replication> replications(String participant, List<Recorded> events) {
        Map<String, Recorded> open = new LinkedHashMap<>();
        List<Replication> spans = new ArrayList<>();
        for (Recorded event : events) {
            if (event.destinationStageArn() == null) {
                continue;
            }
            String destination = event.destinationStageArn();
            if ("REPLICATION_STARTED".equals(event.name())) {
                // A second START while one is open is another form of the same replication: the first one stands.
                open.putIfAbsent(destination, event);
            } else if ("REPLICATION_STOPPED".equals(event.name())) {
                Recorded start = open.remove(destination);
                String session = start != null && start.destinationSessionId() != null
                        ? start.destinationSessionId() : event.destinationSessionId();
                spans.add(new Replication(participant, destination, session, start, event));
            }
        }
        open.forEach((destination, start) ->
                spans.add(new Replication(participant, destination, start.destinationSessionId(), start, null)));
        spans.sort(Comparator.comparing(SessionFacts::beginning));
        return List.copyOf(spans);
    }

    private static Instant beginning(Replication span) {
        return span.start() != null ? span.start().time() : span.stop().time();
    }

    private static Reconciliation reconciliation(Map<String, AttributeValue> marker) {
        return new Reconciliation(time(string(marker, "sessionEnd")), time(string(marker, "reconciledAt")),
                number(marker, "participantsRead"), number(marker, "eventsRead"), number(marker, "eventsBackfilled"),
                number(marker, "unrecognized"), number(marker, "invalid"));
    }

    private static Kept kept(Map<String, AttributeValue> item, boolean personalData) {
        String time = string(item, "eventTime") != null ? string(item, "eventTime") : string(item, "time");
        AttributeValue keys = item.get("detailKeys");
        List<String> detailKeys = keys == null ? List.of()
                : keys.hasL() ? keys.l().stream().map(SessionFacts::text).toList()
                : keys.hasSs() ? keys.ss() : List.of();
        return new Kept(time(time), string(item, "name"), string(item, "reason"), detailKeys,
                personalData ? string(item, "detail") : null);
    }

    /** Times as the items hold them: ISO 8601, in UTC or with an offset (the API's form). */
    static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static Map<String, AttributeValue> map(AttributeValue value) {
        return value != null && value.hasM() ? value.m() : Map.of();
    }

    private static String firstString(AttributeValue... values) {
        for (AttributeValue value : values) {
            if (value != null && value.s() != null) {
                return value.s();
            }
        }
        return null;
    }

    /** A value as a reader would write it: strings as they are, anything else in DynamoDB's own rendering. */
    private static String text(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            return value.n();
        }
        if (value.bool() != null) {
            return value.bool().toString();
        }
        return value.toString();
    }
}
