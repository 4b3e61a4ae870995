package io.ivsstageevents.testing.ivs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.SampleEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ended stage session of the size IVS sells a stage for, put into an {@link IvsWorld}: a few publishers
 * scattered through an audience. Each publisher joins, exchanges its token for one that may publish, publishes and
 * leaves; the first {@value #REPLICATING} of them also replicate into {@link SampleWorld#DESTINATION_STAGE} (a start
 * and a stop each). The audience joins, subscribes to a publisher and leaves; {@value #AUDIENCE_EXCHANGES} of them
 * exchange a token without ever publishing: what a read of publishers alone cannot find. Summaries say
 * {@code published}, and {@code replicationType}/{@code replicationState} for the replicating publishers. The same
 * seed puts the same session.
 */
public final class LargeSession {
    public static final int REPLICATING = 2;
    public static final int AUDIENCE_EXCHANGES = 3;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Instant START = Instant.parse("2026-03-14T12:00:00Z");
    private static final Instant END = Instant.parse("2026-03-14T14:00:00Z");

    private final String stageArn;
    private final String sessionId;
    private final int participants;
    private final List<String> publishers;
    private final List<String> audienceExchanging;

    private LargeSession(String stageArn, String sessionId, int participants, List<String> publishers,
                         List<String> audienceExchanging) {
        this.stageArn = stageArn;
        this.sessionId = sessionId;
        this.participants = participants;
        this.publishers = publishers;
        this.audienceExchanging = audienceExchanging;
    }

    /** Puts the stage (if new), the session ended at 14:00 on the sample world's day, and its participants. */
    public static LargeSession put(IvsWorld world, String stageArn, String sessionId, int participants,
                                   int publisherCount, long seed) {
        Random random = new Random(seed);
        Set<Integer> publisherPlaces = new TreeSet<>();
        while (publisherPlaces.size() < publisherCount) {
            publisherPlaces.add(random.nextInt(participants));
        }
        Set<Integer> exchangingPlaces = new TreeSet<>();
        while (exchangingPlaces.size() < AUDIENCE_EXCHANGES) {
            int place = random.nextInt(participants);
            if (!publisherPlaces.contains(place)) {
                exchangingPlaces.add(place);
            }
        }
        world.putStage(NODES.objectNode().put("arn", stageArn));
        world.putSession(stageArn, NODES.objectNode().put("sessionId", sessionId).put("startTime", START.toString())
                .put("endTime", END.toString()));
        List<String> publishers = new ArrayList<>();
        List<String> exchanging = new ArrayList<>();
        for (int place = 0; place < participants; place++) {
            String participantId = String.format("p%06d", place);
            Instant joined = joinedAt(participantId);
            ObjectNode summary = NODES.objectNode().put("participantId", participantId).put("state", "DISCONNECTED")
                    .put("firstJoinTime", joined.toString());
            List<ObjectNode> events = new ArrayList<>();
            events.add(event("JOINED", participantId, joined));
            if (publisherPlaces.contains(place)) {
                boolean replicating = publishers.size() < REPLICATING;
                publishers.add(participantId);
                summary.put("published", true).put("replicationType", replicating ? "SOURCE" : "NONE");
                events.add(exchange(participantId, joined.plusSeconds(5), true));
                events.add(event("PUBLISH_STARTED", participantId, joined.plusSeconds(6)));
                if (replicating) {
                    summary.put("replicationState", "STOPPED");
                    events.add(replication("REPLICATION_STARTED", participantId, joined.plusSeconds(60)));
                    events.add(replication("REPLICATION_STOPPED", participantId, joined.plusSeconds(1_800)));
                }
                events.add(event("PUBLISH_STOPPED", participantId, joined.plusSeconds(3_000)));
            } else {
                summary.put("published", false).put("replicationType", "NONE");
                String publisher = String.format("p%06d", publisherPlaces.iterator().next());
                events.add(event("SUBSCRIBE_STARTED", participantId, joined.plusSeconds(2))
                        .put("remoteParticipantId", publisher));
                if (exchangingPlaces.contains(place)) {
                    exchanging.add(participantId);
                    events.add(exchange(participantId, joined.plusSeconds(30), false));
                }
                events.add(event("SUBSCRIBE_STOPPED", participantId, joined.plusSeconds(3_100))
                        .put("remoteParticipantId", publisher));
            }
            events.add(event("LEFT", participantId, joined.plusSeconds(3_200)));
            world.putParticipant(stageArn, sessionId, summary);
            events.forEach(event -> world.addEvent(stageArn, sessionId, event));
        }
        return new LargeSession(stageArn, sessionId, participants, List.copyOf(publishers), List.copyOf(exchanging));
    }

    public String stageArn() {
        return stageArn;
    }

    public String sessionId() {
        return sessionId;
    }

    public int participants() {
        return participants;
    }

    public List<String> publishers() {
        return publishers;
    }

    /** Participants of the audience who exchanged a token and never published. */
    public List<String> audienceExchanging() {
        return audienceExchanging;
    }

    /**
     * EventBridge's form of an audience member's token exchange, poorer than the API's (the whole second, no
     * previous token) and with an envelope id of its own: what puts that participant in the session's ledger.
     */
    public ObjectNode eventBridgeFormOfTheExchangeOf(String audienceMember) {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        event.put("id", "0e1d2c3b-4a59-4687-9a0b-" + String.format("%012d", audienceMember.hashCode() & 0xffffff));
        event.putArray("resources").add(stageArn);
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("session_id", sessionId).put("participant_id", audienceMember)
                .put("event_time", joinedAt(audienceMember).plusSeconds(30).toString());
        detail.remove("previous_token");
        detail.remove("user_id");
        ObjectNode newToken = detail.putObject("new_token").put("user_id", "user-" + audienceMember)
                .put("expiration_time", END.plusSeconds(7_200).toString());
        newToken.putArray("capabilities").add("SUBSCRIBE");
        newToken.putObject("attributes").put("role", "moderator");
        return event;
    }

    private static Instant joinedAt(String participantId) {
        return START.plusSeconds(Integer.parseInt(participantId.substring(1)) % 3_600);
    }

    /** One token exchange per publisher, and a start and a stop per replicating publisher. */
    public int recordedEventsOfPublishers() {
        return publishers.size() + 2 * Math.min(REPLICATING, publishers.size());
    }

    private static ObjectNode event(String name, String participantId, Instant time) {
        return NODES.objectNode().put("name", name).put("participantId", participantId)
                .put("eventTime", time.toString());
    }

    /** To a token that may publish, or, for the audience, to one with other attributes that still only subscribes. */
    private static ObjectNode exchange(String participantId, Instant time, boolean toPublish) {
        ObjectNode event = event("TOKEN_EXCHANGED", participantId, time);
        event.putObject("previousToken").put("userId", "user-" + participantId)
                .put("expirationTime", END.plusSeconds(3_600).toString()).putArray("capabilities").add("SUBSCRIBE");
        ObjectNode newToken = event.putObject("newToken").put("userId", "user-" + participantId)
                .put("expirationTime", END.plusSeconds(7_200).toString());
        newToken.putObject("attributes").put("role", toPublish ? "host" : "moderator");
        if (toPublish) {
            newToken.putArray("capabilities").add("PUBLISH").add("SUBSCRIBE");
        } else {
            newToken.putArray("capabilities").add("SUBSCRIBE");
        }
        return event;
    }

    private static ObjectNode replication(String name, String participantId, Instant time) {
        return event(name, participantId, time).put("destinationStageArn", SampleWorld.DESTINATION_STAGE)
                .put("destinationSessionId", "st-DeStInAtIoN1a");
    }
}
