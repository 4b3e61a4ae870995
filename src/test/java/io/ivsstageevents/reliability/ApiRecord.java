package io.ivsstageevents.reliability;

import static io.ivsstageevents.storage.TableDesign.EXPIRES_AT;
import static io.ivsstageevents.storage.TableDesign.ITEM_TYPE;
import static io.ivsstageevents.storage.TableDesign.PK;
import static io.ivsstageevents.storage.TableDesign.RECONCILED_SESSION;
import static io.ivsstageevents.storage.TableDesign.SESSION_PREFIX;
import static io.ivsstageevents.storage.TableDesign.SK;
import static io.ivsstageevents.storage.TableDesign.reconciliationKey;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.ivs.IvsWorld;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the IVS Real-Time API lists of a {@link StageDay}: the authoritative record the reconciler reads, as an
 * {@link IvsWorld} the stand-in serves. The API lists what happened, not what EventBridge delivered:
 * <ul>
 *   <li>every stage update IVS sent, once: a re-emission under another envelope id is the event it repeats, and
 *       events of other services are not the stage's;</li>
 *   <li>each in the API's form ({@link SyntheticEvent#apiEvent()}): camelCase, the API's name, its time to the
 *       millisecond, every member it has, and the keys no version reads as they are. An event the day sent
 *       without a detail time happened at its envelope's time, the only time the day knows of it;</li>
 *   <li>complete: a token exchange the day sent without a new token, or a replication without a destination, is
 *       EventBridge's form broken (the function keeps it whole), not the event. The API's form has what was lost:
 *       a token made the way the day makes them, a destination among the day's destination stages, drawn from
 *       this record's own randomness so that the day stays as it is;</li>
 *   <li>names this version does not know (and events without one) as the day has them: the reconciler counts
 *       them as unrecognized and records nothing of them.</li>
 * </ul>
 * A session starts at its first event and ends at its last; its participants are listed in the order they
 * first acted, each with its events.
 */
final class ApiRecord {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The API's twelve names: what the reconciler can read. */
    private static final Set<String> KNOWN_NAMES = Set.of("JOINED", "LEFT", "PUBLISH_STARTED", "PUBLISH_STOPPED",
            "SUBSCRIBE_STARTED", "SUBSCRIBE_STOPPED", "PUBLISH_ERROR", "SUBSCRIBE_ERROR", "JOIN_ERROR",
            "REPLICATION_STARTED", "REPLICATION_STOPPED", "TOKEN_EXCHANGED");
    /** A marker outlives the lookback window by a day (docs/RECONCILIATION.md). */
    private static final Duration MARKER_MARGIN = Duration.ofDays(1);

    /** One stage session as the API records it; participants in the order they first acted. */
    record Session(String stageArn, String sessionId, Instant start, Instant end,
                   Map<String, List<SyntheticEvent>> participants) {
        String key() {
            return stageArn + "\n" + sessionId;
        }

        List<SyntheticEvent> events() {
            List<SyntheticEvent> events = new ArrayList<>();
            participants.values().forEach(events::addAll);
            return events;
        }

        boolean endedBy(Instant now) {
            return !end.isAfter(now);
        }
    }

    private final List<String> stages;
    private final List<Session> sessions;
    private final List<SyntheticEvent> events;
    private final Map<String, SyntheticEvent> byEnvelope;
    private final Set<String> shownEnded = new HashSet<>();
    private final Set<String> shownStages = new HashSet<>();

    private ApiRecord(List<String> stages, List<Session> sessions, List<SyntheticEvent> events,
                      Map<String, SyntheticEvent> byEnvelope) {
        this.stages = stages;
        this.sessions = sessions;
        this.events = events;
        this.byEnvelope = byEnvelope;
    }

    static ApiRecord of(StageDay day, long seed) {
        Random random = new Random(seed ^ 0x5eed_a91L);
        List<String> destinations = new ArrayList<>(new TreeSet<>(day.events().stream()
                .map(SyntheticEvent::destinationStageArn).filter(arn -> arn != null).toList()));
        List<SyntheticEvent> events = new ArrayList<>();
        Map<String, SyntheticEvent> byEnvelope = new LinkedHashMap<>();
        Map<String, Map<String, List<SyntheticEvent>>> bySession = new LinkedHashMap<>();
        Map<String, String[]> sessionIds = new LinkedHashMap<>();
        Set<String> stages = new LinkedHashSet<>();
        for (SyntheticEvent sent : day.events()) {
            if (!sent.isStageUpdate() || day.reemittedIds().containsKey(sent.eventId())) {
                continue;
            }
            boolean recordedKind = "TOKEN_EXCHANGED".equals(sent.name())
                    || "REPLICATION_STARTED".equals(sent.name()) || "REPLICATION_STOPPED".equals(sent.name());
            SyntheticEvent truth = sent.completed(
                    recordedKind && "TOKEN_EXCHANGED".equals(sent.name()) && sent.newToken() == null
                            ? StageDay.someToken(random) : null,
                    recordedKind && !"TOKEN_EXCHANGED".equals(sent.name()) && sent.destinationStageArn() == null
                            ? destinations.get(random.nextInt(destinations.size())) : null);
            events.add(truth);
            byEnvelope.put(sent.eventId(), truth);
            String session = sent.stageArn() + "\n" + sent.sessionId();
            sessionIds.putIfAbsent(session, new String[] {sent.stageArn(), sent.sessionId()});
            stages.add(sent.stageArn());
            bySession.computeIfAbsent(session, k -> new LinkedHashMap<>())
                    .computeIfAbsent(truth.participantId(), k -> new ArrayList<>()).add(truth);
        }
        day.reemittedIds().forEach((again, original) -> {
            if (byEnvelope.containsKey(original)) {
                byEnvelope.put(again, byEnvelope.get(original));
            }
        });
        List<Session> sessions = new ArrayList<>();
        bySession.forEach((key, participants) -> {
            Instant start = Instant.MAX;
            Instant end = Instant.MIN;
            for (List<SyntheticEvent> ofParticipant : participants.values()) {
                for (SyntheticEvent event : ofParticipant) {
                    start = event.eventTime().isBefore(start) ? event.eventTime() : start;
                    end = event.eventTime().isAfter(end) ? event.eventTime() : end;
                }
            }
            String[] ids = sessionIds.get(key);
            sessions.add(new Session(ids[0], ids[1], start, end, participants));
        });
        return new ApiRecord(List.copyOf(stages), List.copyOf(sessions), List.copyOf(events), byEnvelope);
    }

    /** Every event the API lists, in the day's order. */
    List<SyntheticEvent> events() {
        return events;
    }

    List<Session> sessions() {
        return sessions;
    }

    /** The API's record of an event IVS sent to EventBridge (a re-emission's is the event it repeats). */
    SyntheticEvent truthOf(SyntheticEvent sent) {
        return byEnvelope.get(sent.eventId());
    }

    /** The session an event IVS sent belongs to. */
    Session sessionOf(SyntheticEvent sent) {
        return sessions.stream().filter(session -> session.stageArn().equals(sent.stageArn())
                && session.sessionId().equals(sent.sessionId())).findFirst().orElseThrow();
    }

    /** The time by which half the sessions have ended: mid-day, on the day's own timeline. */
    Instant midDay() {
        List<Instant> ends = sessions.stream().map(Session::end).sorted().toList();
        return ends.get((ends.size() - 1) / 2);
    }

    Instant firstEnd() {
        return sessions.stream().map(Session::end).min(Comparator.naturalOrder()).orElseThrow();
    }

    Instant lastEnd() {
        return sessions.stream().map(Session::end).max(Comparator.naturalOrder()).orElseThrow();
    }

    List<Session> endedBy(Instant now) {
        return sessions.stream().filter(session -> session.endedBy(now)).toList();
    }

    /**
     * Shows the world as the API would at that time: every session started by then, with its end once it has
     * ended, and then its participants and their events. Call it again later to move the world on.
     */
    synchronized void showAsOf(IvsWorld world, Instant now) {
        for (String stage : stages) {
            if (shownStages.add(stage)) {
                world.putStage(NODES.objectNode().put("arn", stage).put("name", "day-" + stages.indexOf(stage)));
            }
        }
        for (Session session : sessions) {
            if (session.start().isAfter(now) || shownEnded.contains(session.key())) {
                continue;
            }
            ObjectNode stageSession = NODES.objectNode().put("sessionId", session.sessionId())
                    .put("startTime", session.start().toString());
            if (!session.endedBy(now)) {
                world.putSession(session.stageArn(), stageSession);
                continue;
            }
            world.putSession(session.stageArn(), stageSession.put("endTime", session.end().toString()));
            shownEnded.add(session.key());
            session.participants().forEach((participantId, ofParticipant) -> {
                ObjectNode participant = NODES.objectNode().put("participantId", participantId)
                        .put("state", "DISCONNECTED")
                        .put("firstJoinTime", ofParticipant.get(0).eventTime().toString())
                        .put("published", ofParticipant.stream()
                                .anyMatch(event -> "PUBLISH_STARTED".equals(event.name())));
                world.putParticipant(session.stageArn(), session.sessionId(), participant);
                ofParticipant.forEach(event ->
                        world.addEvent(session.stageArn(), session.sessionId(), event.apiEvent()));
            });
        }
    }

    /**
     * How many pages of participants and of events reading these sessions takes, with pages of at most pageSize:
     * one of participants at least per session, one of events at least per participant.
     */
    static long pages(Collection<Session> sessions, int pageSize) {
        long pages = 0;
        for (Session session : sessions) {
            pages += Math.max(1, ceilDiv(session.participants().size(), pageSize));
            for (List<SyntheticEvent> ofParticipant : session.participants().values()) {
                pages += Math.max(1, ceilDiv(ofParticipant.size(), pageSize));
            }
        }
        return pages;
    }

    /** How many events the API lists that the reconciler cannot read: names it does not know, or none. */
    static long unrecognized(Collection<SyntheticEvent> events) {
        return events.stream().filter(event -> event.name() == null || !KNOWN_NAMES.contains(event.name())).count();
    }

    /**
     * The marker of a session the reconciler has read (docs/TABLE.md): what reading it found, every
     * participant and event it lists, and how many of them the reconciler had to record itself.
     *
     * @param reconciledAt as the item holds it: the reconciler's clock when it marked the session
     */
    static ObjectNode marker(Session session, String reconciledAt, Duration lookback, long backfilled) {
        ObjectNode item = NODES.objectNode();
        item.put(PK, reconciliationKey(session.stageArn()));
        item.put(SK, SESSION_PREFIX + session.sessionId());
        item.put(ITEM_TYPE, RECONCILED_SESSION);
        item.put("stageArn", session.stageArn());
        item.put("sessionId", session.sessionId());
        item.put("sessionEnd", session.end().toString());
        item.put("reconciledAt", reconciledAt);
        item.put(EXPIRES_AT, number(session.end().plus(lookback).plus(MARKER_MARGIN).getEpochSecond()));
        List<SyntheticEvent> listed = session.events();
        item.put("participantsRead", number(session.participants().size()));
        item.put("eventsRead", number(listed.size()));
        item.put("eventsBackfilled", number(backfilled));
        item.put("unrecognized", number(unrecognized(listed)));
        item.put("invalid", number(0));
        return item;
    }

    /** As PlainItems reads a DynamoDB number. */
    private static BigDecimal number(long value) {
        return new BigDecimal(Long.toString(value));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
