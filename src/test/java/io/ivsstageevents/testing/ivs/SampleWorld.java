package io.ivsstageevents.testing.ivs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The sample world the stand-in serves (src/test/resources/ivs/sample-world.json): two stages, two ended sessions,
 * three participants, one token exchange and one replication among their events.
 */
public final class SampleWorld {
    public static final Path FILE = Path.of("src/test/resources/ivs/sample-world.json");
    public static final String SOURCE_STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij";
    public static final String DESTINATION_STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst";
    public static final String SESSION = "st-ZyXwvu1T2s3r4";
    public static final String PARTICIPANT = "aBc9d8e7f6g";
    /** A day after its sessions ended: both are within the default lookback of 24 hours. */
    public static final Instant NEXT_DAY = Instant.parse("2026-03-15T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleWorld() {
    }

    public static IvsWorld world() {
        try {
            return IvsWorld.read(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * EventBridge's form of the world's token exchange, as a poorer form of it: the whole second, no previous
     * token, but an envelope id (the sample event's).
     */
    public static ObjectNode eventBridgeFormOfTheTokenExchange() {
        ObjectNode event = SampleEvents.json("token-exchanged.json");
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("session_id", SESSION).put("event_time", "2026-03-14T18:20:00Z").remove("previous_token");
        detail.remove("user_id");
        detail.set("new_token", JSON.createObjectNode()
                .<ObjectNode>set("capabilities", JSON.createArrayNode().add("PUBLISH").add("SUBSCRIBE"))
                .<ObjectNode>set("attributes", JSON.createObjectNode().put("role", "host"))
                .put("user_id", "sample-user-1").put("expiration_time", "2026-03-14T22:00:00Z"));
        return event;
    }
}
