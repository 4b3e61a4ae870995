package io.ivsstageevents.testing.ivs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the IVS Real-Time stand-in knows: stages, their sessions, each session's participants and each
 * participant's events, every one held as the API's own JSON shape ({@code StageSummary}, {@code StageSession},
 * {@code Participant}, {@code Event}) and served as given, so a test can hand the reader any member or value,
 * including ones the project does not know yet. Thread-safe: a test may change the world while a client reads it
 * (a session ending, events arriving), as the real one changes under the reconciler.
 *
 * <p>The JSON file form ({@link #read(Path)}) nests the same shapes:
 * <pre>{@code
 * {"stages": [{"arn": "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij", "name": "demo",
 *   "sessions": [{"sessionId": "st-ZyXwvu1T2s3r4", "startTime": "2026-03-14T18:00:00Z", "endTime": "...",
 *     "participants": [{"participantId": "aBc9d8e7f6g", "userId": "...", "state": "DISCONNECTED",
 *       "events": [{"name": "TOKEN_EXCHANGED", "participantId": "aBc9d8e7f6g", "eventTime": "...",
 *                   "previousToken": {...}, "newToken": {...}}]}]}]}]}
 * }</pre>
 */
public final class IvsWorld {
    /** Two stages, one replicating into the other, their sessions ended on 2026-03-14. */
    public static final Path SAMPLE = Path.of("src/test/resources/ivs/sample-world.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Stage> stages = new LinkedHashMap<>();
    /** Insertion order: breaks ties between equal times the same way on every page. */
    private long sequence;

    public static IvsWorld read(Path file) throws IOException {
        return fromJson(JSON.readTree(file.toFile()));
    }

    public static IvsWorld fromJson(JsonNode root) {
        IvsWorld world = new IvsWorld();
        for (JsonNode stage : root.path("stages")) {
            ObjectNode summary = ((ObjectNode) stage).deepCopy();
            summary.remove("sessions");
            world.putStage(summary);
            String arn = stage.path("arn").asText();
            for (JsonNode session : stage.path("sessions")) {
                ObjectNode stageSession = ((ObjectNode) session).deepCopy();
                stageSession.remove("participants");
                world.putSession(arn, stageSession);
                String sessionId = session.path("sessionId").asText();
                for (JsonNode participant : session.path("participants")) {
                    ObjectNode details = ((ObjectNode) participant).deepCopy();
                    details.remove("events");
                    world.putParticipant(arn, sessionId, details);
                    for (JsonNode event : participant.path("events")) {
                        world.addEvent(arn, sessionId, event);
                    }
                }
            }
        }
        return world;
    }

    /** Adds or replaces a stage: a {@code StageSummary} with at least {@code arn}. */
    public synchronized void putStage(JsonNode summary) {
        String arn = required(summary, "arn");
        Stage existing = stages.get(arn);
        if (existing != null) {
            existing.summary = summary.deepCopy();
        } else {
            stages.put(arn, new Stage(summary.deepCopy(), sequence++));
        }
    }

    /**
     * Adds or replaces a session of a known stage: a {@code StageSession} with at least {@code sessionId}. Put it
     * again with {@code endTime} to end it.
     */
    public synchronized void putSession(String stageArn, JsonNode stageSession) {
        String sessionId = required(stageSession, "sessionId");
        Stage stage = stage(stageArn);
        Session existing = stage.sessions.get(sessionId);
        if (existing != null) {
            existing.session = stageSession.deepCopy();
        } else {
            stage.sessions.put(sessionId, new Session(stageSession.deepCopy(), sequence++));
        }
    }

    /** Adds or replaces a participant of a known session: a {@code Participant} with at least {@code participantId}. */
    public synchronized void putParticipant(String stageArn, String sessionId, JsonNode participant) {
        String participantId = required(participant, "participantId");
        Session session = session(stageArn, sessionId);
        Participant existing = session.participants.get(participantId);
        if (existing != null) {
            existing.participant = participant.deepCopy();
        } else {
            session.participants.put(participantId, new Participant(participant.deepCopy(), sequence++));
        }
    }

    /**
     * Adds an {@code Event} to the participant its {@code participantId} names, creating a participant with only
     * that id when the session has none by it yet: most tests care about events, not about participants' details.
     */
    public synchronized void addEvent(String stageArn, String sessionId, JsonNode event) {
        String participantId = required(event, "participantId");
        Session session = session(stageArn, sessionId);
        Participant participant = session.participants.computeIfAbsent(participantId,
                id -> new Participant(JSON.createObjectNode().put("participantId", id), sequence++));
        participant.events.add(new Listed(event.deepCopy(), -epochMicros(event.path("eventTime")), -sequence++));
    }

    /** Stages in the order they were put. */
    synchronized List<Listed> stages() {
        List<Listed> listed = new ArrayList<>();
        for (Stage stage : stages.values()) {
            ObjectNode summary = (ObjectNode) stage.summary.deepCopy();
            String active = activeSessionId(stage);
            if (active != null && !summary.has("activeSessionId")) {
                summary.put("activeSessionId", active);
            }
            listed.add(new Listed(summary, 0, stage.sequence));
        }
        return listed;
    }

    /** Newest start first. */
    synchronized List<Listed> sessions(String stageArn) {
        Stage stage = stages.get(stageArn);
        List<Listed> listed = new ArrayList<>();
        if (stage != null) {
            for (Session session : stage.sessions.values()) {
                listed.add(new Listed(session.session.deepCopy(), -epochMicros(session.session.path("startTime")),
                        -session.sequence));
            }
        }
        listed.sort(Listed.ORDER);
        return listed;
    }

    /** Participants in the order they were put (or first seen in an event). */
    synchronized List<Listed> participants(String stageArn, String sessionId) {
        Session session = findSession(stageArn, sessionId);
        List<Listed> listed = new ArrayList<>();
        if (session != null) {
            for (Participant participant : session.participants.values()) {
                listed.add(new Listed(participant.participant.deepCopy(), 0, participant.sequence));
            }
        }
        return listed;
    }

    /** Newest first, as the API returns them; equal times newest-added first. */
    synchronized List<Listed> events(String stageArn, String sessionId, String participantId) {
        Session session = findSession(stageArn, sessionId);
        Participant participant = session == null ? null : session.participants.get(participantId);
        List<Listed> listed = new ArrayList<>();
        if (participant != null) {
            for (Listed event : participant.events) {
                listed.add(new Listed(event.json().deepCopy(), event.primary(), event.tiebreak()));
            }
        }
        listed.sort(Listed.ORDER);
        return listed;
    }

    synchronized JsonNode stageSession(String stageArn, String sessionId) {
        Session session = findSession(stageArn, sessionId);
        return session == null ? null : session.session.deepCopy();
    }

    synchronized JsonNode participant(String stageArn, String sessionId, String participantId) {
        Session session = findSession(stageArn, sessionId);
        Participant participant = session == null ? null : session.participants.get(participantId);
        return participant == null ? null : participant.participant.deepCopy();
    }

    private Stage stage(String stageArn) {
        Stage stage = stages.get(stageArn);
        if (stage == null) {
            throw new IllegalArgumentException("no stage " + stageArn + " in the world: put it first");
        }
        return stage;
    }

    private Session session(String stageArn, String sessionId) {
        Session session = stage(stageArn).sessions.get(sessionId);
        if (session == null) {
            throw new IllegalArgumentException("no session " + sessionId + " on " + stageArn + ": put it first");
        }
        return session;
    }

    private Session findSession(String stageArn, String sessionId) {
        Stage stage = stages.get(stageArn);
        return stage == null ? null : stage.sessions.get(sessionId);
    }

    /** The newest session without an end, as the API reports a stage's live session. */
    private static String activeSessionId(Stage stage) {
        return stage.sessions.values().stream()
                .filter(session -> !session.session.hasNonNull("endTime"))
                .max(Comparator.comparingLong((Session session) -> epochMicros(session.session.path("startTime")))
                        .thenComparingLong(session -> session.sequence))
                .map(session -> session.session.path("sessionId").asText())
                .orElse(null);
    }

    private static String required(JsonNode object, String member) {
        JsonNode value = object.path(member);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("the world needs '" + member + "' as a string in " + object);
        }
        return value.asText();
    }

    /**
     * A time's position for sorting; a missing or unreadable time sorts as the oldest, so that a test may serve
     * the reader a bad time without the stand-in refusing it.
     */
    private static long epochMicros(JsonNode time) {
        if (time.isTextual()) {
            try {
                Instant instant = OffsetDateTime.parse(time.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
                return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                        instant.getNano() / 1_000);
            } catch (DateTimeParseException | ArithmeticException e) {
                return Long.MIN_VALUE + 1;
            }
        }
        return Long.MIN_VALUE + 1;
    }

    /**
     * One item of a list the API pages through, with its place in the list's order: ascending by
     * {@code primary}, then {@code tiebreak}. A page token holds the place of the last item served.
     */
    record Listed(JsonNode json, long primary, long tiebreak) {
        static final Comparator<Listed> ORDER = Comparator.comparingLong(Listed::primary)
                .thenComparingLong(Listed::tiebreak);
    }

    private static final class Stage {
        final Map<String, Session> sessions = new LinkedHashMap<>();
        final long sequence;
        JsonNode summary;

        Stage(JsonNode summary, long sequence) {
            this.summary = summary;
            this.sequence = sequence;
        }
    }

    private static final class Session {
        final Map<String, Participant> participants = new LinkedHashMap<>();
        final long sequence;
        JsonNode session;

        Session(JsonNode session, long sequence) {
            this.session = session;
            this.sequence = sequence;
        }
    }

    private static final class Participant {
        final List<Listed> events = new ArrayList<>();
        final long sequence;
        JsonNode participant;

        Participant(JsonNode participant, long sequence) {
            this.participant = participant;
            this.sequence = sequence;
        }
    }
}
