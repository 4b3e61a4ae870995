package io.ivsstageevents.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One event of a synthetic stream, as plain values: what IVS meant to say. The test's model reads these values;
 * the function under test only ever sees {@link #bytes(WireForm)}. Nothing here uses the function's own parser,
 * writer or item code, so that the model and the function can disagree.
 *
 * @param detailTime null when the detail carries no event time: the envelope's time is the event time then
 * @param name the API's name ("TOKEN_EXCHANGED") for a name the function knows; any other name as it is sent;
 *        null for an event without a name
 * @param spelledName another spelling of the name, sent instead of the form's usual one ("Token Exchanged",
 *        "participant_replication_end"); null for the usual one
 * @param unknownMembers detail keys no version of the function reads, with their values: sent in both forms
 *        under the same key, after the members it reads
 */
record SyntheticEvent(
        String eventId, String source, String detailType, Instant envelopeTime, String stageArn, String sessionId,
        String name, String participantId, Instant detailTime, String remoteParticipantId, String errorCode,
        String destinationStageArn, String destinationSessionId, Boolean replica, Token previousToken,
        Token newToken, WireForm wireForm, TimeStyle timeStyle, String spelledName,
        Map<String, JsonNode> unknownMembers) {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-west-2";
    static final String IVS_SOURCE = "aws.ivs";
    static final String STAGE_UPDATE = "IVS Stage Update";

    /** The two shapes of {@code detail} that IVS events come in (see the reference notes on events). */
    enum WireForm {
        /** snake_case members, event names as phrases ("Participant Token Exchanged"). */
        EVENTBRIDGE,
        /** the API's camelCase members, event names as enum names ("TOKEN_EXCHANGED"). */
        API;

        /** The key a token is sent under in this form. */
        String tokenKey(boolean newToken) {
            return this == API ? (newToken ? "newToken" : "previousToken") : (newToken ? "new_token" : "previous_token");
        }
    }

    /** How timestamps are written: the same instant in the spellings IVS and EventBridge use. */
    enum TimeStyle { ZULU, ZERO_OFFSET, EAST_OFFSET, WEST_OFFSET }

    /**
     * A participant token as it appears in an exchange: every member optional.
     *
     * @param unknownMembers keys inside the token that no version of the function reads, with their values
     */
    record Token(List<String> capabilities, Map<String, String> attributes, String userId, Instant expirationTime,
                 Map<String, JsonNode> unknownMembers) {
    }

    /** The EventBridge phrase of each API event name, from the reference notes, written out here on purpose. */
    private static final Map<String, String> PHRASES = Map.ofEntries(
            Map.entry("JOINED", "Participant Joined"),
            Map.entry("LEFT", "Participant Left"),
            Map.entry("PUBLISH_STARTED", "Participant Published"),
            Map.entry("PUBLISH_STOPPED", "Participant Unpublished"),
            Map.entry("SUBSCRIBE_STARTED", "Participant Subscribed"),
            Map.entry("SUBSCRIBE_STOPPED", "Participant Unsubscribed"),
            Map.entry("PUBLISH_ERROR", "Participant Publish Error"),
            Map.entry("SUBSCRIBE_ERROR", "Participant Subscribe Error"),
            Map.entry("JOIN_ERROR", "Participant Join Error"),
            Map.entry("REPLICATION_STARTED", "Participant Replication Started"),
            Map.entry("REPLICATION_STOPPED", "Participant Replication Stopped"),
            Map.entry("TOKEN_EXCHANGED", "Participant Token Exchanged"));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    boolean isStageUpdate() {
        return IVS_SOURCE.equals(source) && STAGE_UPDATE.equals(detailType);
    }

    /** The time the event happened: the detail's, else the envelope's. */
    Instant eventTime() {
        return detailTime != null ? detailTime : envelopeTime;
    }

    /** The same event, delivered anew by IVS under another envelope id. */
    SyntheticEvent withEventId(String otherId) {
        return new SyntheticEvent(otherId, source, detailType, envelopeTime, stageArn, sessionId, name,
                participantId, detailTime, remoteParticipantId, errorCode, destinationStageArn, destinationSessionId,
                replica, previousToken, newToken, wireForm, timeStyle, spelledName, unknownMembers);
    }

    /** The same envelope, its detail written in the given form. */
    SyntheticEvent withWireForm(WireForm form) {
        return new SyntheticEvent(eventId, source, detailType, envelopeTime, stageArn, sessionId, name,
                participantId, detailTime, remoteParticipantId, errorCode, destinationStageArn, destinationSessionId,
                replica, previousToken, newToken, form, timeStyle, spelledName, unknownMembers);
    }

    /** The same event with its session ids (the stage's, and a replication's destination's) mapped. */
    SyntheticEvent withSessionIds(UnaryOperator<String> map) {
        return new SyntheticEvent(eventId, source, detailType, envelopeTime, stageArn,
                sessionId == null ? null : map.apply(sessionId), name, participantId, detailTime,
                remoteParticipantId, errorCode, destinationStageArn,
                destinationSessionId == null ? null : map.apply(destinationSessionId), replica, previousToken,
                newToken, wireForm, timeStyle, spelledName, unknownMembers);
    }

    /**
     * The same event as a poorer form tells it, EventBridge's as docs/FAILURES.md describes it: its time cut to the
     * whole second, no {@code replica}, and perhaps no previous token. Same envelope.
     */
    SyntheticEvent poorerForm(boolean withoutPreviousToken) {
        return new SyntheticEvent(eventId, source, detailType, envelopeTime, stageArn, sessionId, name,
                participantId, detailTime == null ? null : detailTime.truncatedTo(ChronoUnit.SECONDS),
                remoteParticipantId, errorCode, destinationStageArn, destinationSessionId, null,
                withoutPreviousToken ? null : previousToken, newToken, wireForm, timeStyle, spelledName,
                unknownMembers);
    }

    /**
     * The same event with what its kind needs where it lacked it (a new token, a destination stage; null keeps
     * what it has), the API's names, and the envelope's time as its own where it had none.
     */
    SyntheticEvent completed(Token newTokenIfNone, String destinationIfNone) {
        return new SyntheticEvent(eventId, source, detailType, envelopeTime, stageArn, sessionId, name,
                participantId, eventTime(), remoteParticipantId, errorCode,
                destinationStageArn != null ? destinationStageArn : destinationIfNone, destinationSessionId, replica,
                previousToken, newToken != null ? newToken : newTokenIfNone, WireForm.API, timeStyle, null,
                unknownMembers);
    }

    /** The same envelope, its name spelled another way (null: the form's usual spelling). */
    SyntheticEvent withSpelledName(String spelling) {
        return new SyntheticEvent(eventId, source, detailType, envelopeTime, stageArn, sessionId, name,
                participantId, detailTime, remoteParticipantId, errorCode, destinationStageArn, destinationSessionId,
                replica, previousToken, newToken, wireForm, timeStyle, spelling, unknownMembers);
    }

    /** The name as this delivery sends it; null for an event without a name. */
    String wireName() {
        if (name == null) {
            return null;
        }
        if (spelledName != null) {
            return spelledName;
        }
        return wireForm == WireForm.API ? name : PHRASES.getOrDefault(name, name);
    }

    /**
     * The detail exactly as this delivery carries it: {@link #bytes()} writes this very node, compactly, so its
     * {@code toString()} is the detail's text on the wire, keys in the order sent.
     */
    ObjectNode detail() {
        return detail(wireForm);
    }

    byte[] bytes() {
        return bytes(wireForm);
    }

    /** The EventBridge event, with its detail in the given form. */
    byte[] bytes(WireForm form) {
        ObjectNode event = NODES.objectNode();
        event.put("version", "0");
        event.put("id", eventId);
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", ACCOUNT);
        event.put("time", envelopeTime.toString());
        event.put("region", REGION);
        event.putArray("resources").add(stageArn);
        event.set("detail", isStageUpdate() ? detail(form) : NODES.objectNode().put("state", "running"));
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The event as ListParticipantEvents lists it: the API's {@code Event}, camelCase, with the API's name (any
     * other name as it is; none when it has none), its time in UTC to the millisecond it has (the envelope's when
     * the detail had none), every member it has and the keys no version reads; no session id, which the request
     * names.
     */
    ObjectNode apiEvent() {
        ObjectNode event = NODES.objectNode();
        put(event, "name", name);
        put(event, "participantId", participantId);
        event.put("eventTime", eventTime().toString());
        members(event, true);
        return event;
    }

    private ObjectNode detail(WireForm form) {
        boolean api = form == WireForm.API;
        ObjectNode detail = NODES.objectNode();
        put(detail, api ? "sessionId" : "session_id", sessionId);
        put(detail, api ? "name" : "event_name", withWireForm(form).wireName());
        put(detail, api ? "eventTime" : "event_time", time(detailTime));
        put(detail, api ? "participantId" : "participant_id", participantId);
        if (!api && newToken != null && newToken.userId() != null) {
            // EventBridge's documented detail carries the user id at the top level as well.
            detail.put("user_id", newToken.userId());
        }
        members(detail, api);
        return detail;
    }

    /** The members after who and when, in either form: what the detail and the API's Event both carry. */
    private void members(ObjectNode detail, boolean api) {
        put(detail, api ? "remoteParticipantId" : "remote_participant_id", remoteParticipantId);
        put(detail, api ? "errorCode" : "error_code", errorCode);
        put(detail, api ? "destinationStageArn" : "destination_stage_arn", destinationStageArn);
        put(detail, api ? "destinationSessionId" : "destination_session_id", destinationSessionId);
        if (replica != null) {
            detail.put("replica", replica);
        }
        if (previousToken != null) {
            detail.set(api ? "previousToken" : "previous_token", token(previousToken, api));
        }
        if (newToken != null) {
            detail.set(api ? "newToken" : "new_token", token(newToken, api));
        }
        putUnknown(detail, unknownMembers);
    }

    private ObjectNode token(Token token, boolean api) {
        ObjectNode json = NODES.objectNode();
        if (token.capabilities() != null) {
            ArrayNode capabilities = json.putArray("capabilities");
            token.capabilities().forEach(capabilities::add);
        }
        if (token.attributes() != null) {
            ObjectNode attributes = json.putObject("attributes");
            token.attributes().forEach(attributes::put);
        }
        put(json, api ? "userId" : "user_id", token.userId());
        put(json, api ? "expirationTime" : "expiration_time", time(token.expirationTime()));
        putUnknown(json, token.unknownMembers());
        return json;
    }

    private String time(Instant instant) {
        if (instant == null) {
            return null;
        }
        ZoneOffset offset = switch (timeStyle) {
            case ZULU -> null;
            case ZERO_OFFSET -> ZoneOffset.UTC;
            case EAST_OFFSET -> ZoneOffset.ofHours(2);
            case WEST_OFFSET -> ZoneOffset.ofHoursMinutes(-5, -30);
        };
        if (offset == null) {
            return instant.toString();
        }
        // "+00:00", not "Z": the form the IVS docs show.
        return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx").format(instant.atOffset(offset));
    }

    private static void putUnknown(ObjectNode json, Map<String, JsonNode> members) {
        if (members != null) {
            members.forEach((key, value) -> json.set(key, value.deepCopy()));
        }
    }

    private static void put(ObjectNode json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}
