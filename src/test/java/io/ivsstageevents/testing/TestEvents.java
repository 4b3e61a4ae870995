package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * Variations of the samples in events/ for one test's story: another participant, time, session or destination.
 * Each call gets a fresh EventBridge id, as a new event would.
 */
public final class TestEvents {
    public static final String STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij";
    public static final String SESSION = "st-ZyXwvu1T2s";
    public static final String DESTINATION = "arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst";
    public static final String OTHER_DESTINATION = "arn:aws:ivs:us-west-2:123456789012:stage/UvWxyz5A6bcd";

    private final ObjectNode event;

    private TestEvents(String sample) {
        this.event = SampleEvents.json(sample);
        event.put("id", UUID.randomUUID().toString());
    }

    public static TestEvents tokenExchanged() {
        return new TestEvents("token-exchanged.json");
    }

    public static TestEvents replicationStarted() {
        return new TestEvents("replication-started.json");
    }

    public static TestEvents replicationStopped() {
        return new TestEvents("replication-stopped.json");
    }

    public static TestEvents sample(String fileName) {
        return new TestEvents(fileName);
    }

    public TestEvents participant(String participantId) {
        detail().put("participant_id", participantId);
        return this;
    }

    public TestEvents at(String eventTime) {
        detail().put("event_time", eventTime);
        return this;
    }

    public TestEvents session(String sessionId) {
        detail().put("session_id", sessionId);
        return this;
    }

    public TestEvents destination(String destinationStageArn) {
        detail().put("destination_stage_arn", destinationStageArn);
        return this;
    }

    /** Sets the new token's "role" attribute, to tell exchanges apart. */
    public TestEvents role(String role) {
        ((ObjectNode) detail().get("new_token").get("attributes")).put("role", role);
        return this;
    }

    /** The event name as EventBridge puts it in {@code detail.event_name}, in whatever spelling. */
    public TestEvents name(String eventName) {
        detail().put("event_name", eventName);
        return this;
    }

    /** Any detail member, at the top level of detail. */
    public TestEvents with(String key, String value) {
        detail().put(key, value);
        return this;
    }

    public TestEvents with(String key, JsonNode value) {
        detail().set(key, value);
        return this;
    }

    public TestEvents without(String key) {
        detail().remove(key);
        return this;
    }

    public TestEvents eventId(String eventId) {
        event.put("id", eventId);
        return this;
    }

    public byte[] bytes() {
        return SampleEvents.bytes(event);
    }

    private ObjectNode detail() {
        return (ObjectNode) event.get("detail");
    }
}
