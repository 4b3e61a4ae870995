package io.ivsstageevents.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.reliability.SyntheticEvent.TimeStyle;
import io.ivsstageevents.reliability.SyntheticEvent.Token;
import io.ivsstageevents.reliability.SyntheticEvent.WireForm;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A synthetic day of IVS Real-Time stages, reproducible from a seed: sessions on several stages, participants who
 * join, publish, subscribe, exchange tokens, replicate into other stages and fail with every error code, plus
 * events of other services and of kinds the function does not know yet.
 *
 * <p>At a few per cent, the day also says things the function cannot fully read: names it does not recognize (or
 * none), token exchanges without a new token and replications without a destination (all of which it must keep
 * whole), detail keys it does not read, of every JSON type, on events of every kind (which it must keep in the
 * ledger), and names in every other spelling it accepts (which must never change what an event is).
 *
 * <p>It is what IVS produced ({@link #events()}, in the order things happened) and what the function receives
 * ({@link #deliveries()}): IVS's best effort (some START or STOP never sent, some events sent again under a new
 * envelope id) and then at-least-once delivery (a share of the events delivered twice, the second time possibly
 * in the other wire form) and no order at all (the whole stream shuffled).
 *
 * <p>Personal data is spelled so it can be found: user ids start with {@value #USER_ID_MARK}, attribute names
 * with {@value #ATTRIBUTE_NAME_MARK}, attribute values with {@value #ATTRIBUTE_VALUE_MARK}, and the string values
 * of detail keys the function does not read with {@value #UNKNOWN_VALUE_MARK} (it cannot know they are not
 * personal). No id, key or name of any other kind contains those marks.
 */
final class StageDay {
    static final String USER_ID_MARK = "uid-";
    static final String ATTRIBUTE_NAME_MARK = "attrk-";
    static final String ATTRIBUTE_VALUE_MARK = "attrv-";
    static final String UNKNOWN_VALUE_MARK = "xval-";

    static final List<String> KNOWN_ERROR_CODES = List.of(
            "INSUFFICIENT_CAPABILITIES", "QUOTA_EXCEEDED", "PUBLISHER_NOT_FOUND", "BITRATE_EXCEEDED",
            "RESOLUTION_EXCEEDED", "STREAM_DURATION_EXCEEDED", "INVALID_AUDIO_CODEC", "INVALID_VIDEO_CODEC",
            "INVALID_PROTOCOL", "INVALID_STREAM_KEY", "REUSE_OF_STREAM_KEY", "B_FRAME_PRESENT", "INVALID_INPUT",
            "INTERNAL_SERVER_EXCEPTION");
    /** A code AWS may add later: it must be counted like the others, not rejected. */
    static final String FUTURE_ERROR_CODE = "CODEC_FROM_THE_FUTURE";
    /** An event name AWS may add later: kept whole, not skipped, not rejected. */
    static final String FUTURE_EVENT_NAME = "PARTICIPANT_MUTED";
    /** Another, as a phrase in EventBridge's manner. */
    static final String FUTURE_EVENT_PHRASE = "Participant Hand Raised";
    /** Only the prefix every phrase may carry: no name at all once that is taken off. */
    static final String PREFIX_ONLY_NAME = "Participant";
    /** Every name the day sends that the function must not recognize; null is an event without a name. */
    static final List<String> UNRECOGNIZED_NAMES = java.util.Arrays.asList(
            FUTURE_EVENT_NAME, FUTURE_EVENT_PHRASE, PREFIX_ONLY_NAME, null);
    /**
     * Spellings other than the forms' usual ones (SyntheticEvent's phrases and the API's names) that mean the same
     * event: AWS's most probable phrases, the API's name in EventBridge's form, other cases and separators.
     */
    static final Map<String, List<String>> OTHER_SPELLINGS = Map.ofEntries(
            Map.entry("TOKEN_EXCHANGED", List.of("Token Exchanged", "TOKEN_EXCHANGED", "token-exchanged",
                    "Participant Token Exchange")),
            Map.entry("REPLICATION_STARTED", List.of("Participant Replication Start", "REPLICATION_STARTED",
                    "participant_replication_started", "Replication Start")),
            Map.entry("REPLICATION_STOPPED", List.of("Participant Replication End", "participant_replication_end",
                    "REPLICATION_STOPPED", "Replication Ended", "PARTICIPANT-REPLICATION-STOP")),
            Map.entry("PUBLISH_STARTED", List.of("Publish Started", "participant_published")),
            Map.entry("PUBLISH_STOPPED", List.of("Participant Publish Ended", "UNPUBLISHED")),
            Map.entry("JOINED", List.of("Participant Join", "joined")),
            Map.entry("LEFT", List.of("Participant Leave")),
            Map.entry("SUBSCRIBE_STARTED", List.of("Subscribe Start")),
            Map.entry("SUBSCRIBE_STOPPED", List.of("participant unsubscribed")),
            Map.entry("PUBLISH_ERROR", List.of("participant-publish-error", "PUBLISH_ERROR")),
            Map.entry("SUBSCRIBE_ERROR", List.of("Subscribe Error")),
            Map.entry("JOIN_ERROR", List.of("JOIN ERROR")));
    static final List<String> ERROR_EVENT_NAMES = List.of("PUBLISH_ERROR", "SUBSCRIBE_ERROR", "JOIN_ERROR");

    static final int PUBLISHERS_OF_A_LARGE_SESSION = 12;
    static final int AUDIENCE_PER_EXCHANGE = 100;
    private static final double DELIVERED_TWICE = 0.10;
    private static final double REEMITTED_BY_IVS = 0.01;
    private static final double START_NEVER_SENT = 0.10;
    private static final double STOP_NEVER_SENT = 0.15;
    private static final double SAME_INSTANT = 0.15;
    private static final double FOREIGN = 0.01;
    private static final double OTHER_SPELLING = 0.04;
    /** Of the second deliveries, the share whose name is spelled anew (perhaps the usual way). */
    private static final double RESPELLED = 0.35;
    private static final double UNKNOWN_KEYS = 0.03;
    private static final double UNKNOWN_TOKEN_KEYS = 0.03;
    private static final double REPLICATION_WITHOUT_DESTINATION = 0.02;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Instant DAY = Instant.parse("2026-03-14T00:00:00Z");
    private static final int API_SESSION_ID_LENGTH = 16;
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final long seed;
    private final List<SyntheticEvent> events;
    private final List<SyntheticEvent> deliveries;
    private final Map<String, String> reemittedIds;

    private StageDay(long seed, List<SyntheticEvent> events, List<SyntheticEvent> deliveries,
                     Map<String, String> reemittedIds) {
        this.seed = seed;
        this.events = events;
        this.deliveries = deliveries;
        this.reemittedIds = reemittedIds;
    }

    long seed() {
        return seed;
    }

    /** Everything IVS sent, re-emissions included, in the order it happened; no delivery duplicates. */
    List<SyntheticEvent> events() {
        return events;
    }

    /** What the function receives: every event at least once, 10% twice, shuffled. */
    List<SyntheticEvent> deliveries() {
        return deliveries;
    }

    /** The envelope id of each re-emission, mapped to the id of the event it repeats. */
    Map<String, String> reemittedIds() {
        return reemittedIds;
    }

    static StageDay generate(long seed, int eventCount) {
        return generate(seed, eventCount, 0, 0);
    }

    /**
     * The day, and besides it {@code largeSessions} sessions of {@code participants} each, the size IVS sells a
     * stage for: {@value #PUBLISHERS_OF_A_LARGE_SESSION} publishers scattered through the list (each joins,
     * publishes, exchanges tokens, and sometimes replicates), and an audience that joins and leaves, of whom about
     * one in {@value #AUDIENCE_PER_EXCHANGE} exchanges its token without ever publishing.
     */
    static StageDay generate(long seed, int eventCount, int largeSessions, int participants) {
        return new Generator(new Random(seed), eventCount).run(seed, largeSessions, participants);
    }

    /**
     * The same day with every session id (a stage's and a replication's destination's) as long as the IVS
     * Real-Time API's, which are exactly 16 characters: the generator's have 15, so each gets a "0" appended (the
     * same to all, so no two become one). The events keep their envelope ids, so {@link #reemittedIds()} holds.
     */
    StageDay withApiSessionIds() {
        UnaryOperator<String> lengthened = id -> {
            if (id.length() != API_SESSION_ID_LENGTH - 1) {
                throw new IllegalStateException("a session id of another length than the generator's: " + id);
            }
            return id + "0";
        };
        return new StageDay(seed, events.stream().map(event -> event.withSessionIds(lengthened)).toList(),
                deliveries.stream().map(event -> event.withSessionIds(lengthened)).toList(), reemittedIds);
    }

    /**
     * A participant token made the way the day makes them (every member optional, personal data marked), from the
     * given source of randomness: for what the day lacks, drawn without disturbing the day itself.
     */
    static Token someToken(Random random) {
        return new Generator(random).token();
    }

    private static final class Generator {
        private final Random random;
        private final int eventCount;
        private final List<String> stages = new ArrayList<>();
        private final List<String> destinations = new ArrayList<>();
        private final Set<String> usedIds = new HashSet<>();
        private final List<SyntheticEvent> events = new ArrayList<>();
        private final Map<String, String> reemittedIds = new LinkedHashMap<>();
        private int errorCounter;

        /** Only for {@link #token()}: no stages, no events. */
        Generator(Random random) {
            this.random = random;
            this.eventCount = 0;
        }

        Generator(Random random, int eventCount) {
            this.random = random;
            this.eventCount = eventCount;
            for (int i = 0; i < 6; i++) {
                stages.add(stageArn());
            }
            for (int i = 0; i < 4; i++) {
                destinations.add(stageArn());
            }
        }

        StageDay run(long seed, int largeSessions, int participants) {
            while (events.size() < eventCount) {
                session();
            }
            // The tail of the last session is simply never sent: IVS's best effort.
            List<SyntheticEvent> sent = new ArrayList<>(events.subList(0, eventCount));
            events.clear();
            for (int i = 0; i < largeSessions; i++) {
                largeSession(participants);
            }
            sent.addAll(events);
            Map<String, String> reemitted = new HashMap<>();
            sent.forEach(event -> {
                String original = reemittedIds.get(event.eventId());
                if (original != null) {
                    reemitted.put(event.eventId(), original);
                }
            });
            List<SyntheticEvent> deliveries = new ArrayList<>(sent);
            for (SyntheticEvent event : sent) {
                if (random.nextDouble() < DELIVERED_TWICE) {
                    // Sometimes in the other wire form: an event's identity must not depend on its spelling.
                    WireForm form = random.nextBoolean() ? event.wireForm() : other(event.wireForm());
                    SyntheticEvent again = event.withWireForm(form);
                    // And its name sometimes spelled anew: a spelling must not change what the event is either.
                    if (random.nextDouble() < RESPELLED && hasOtherSpellings(event.name())) {
                        again = again.withSpelledName(random.nextBoolean() ? null : pick(OTHER_SPELLINGS.get(event.name())));
                    }
                    deliveries.add(again);
                }
            }
            Collections.shuffle(deliveries, random);
            return new StageDay(seed, List.copyOf(sent), List.copyOf(deliveries), Map.copyOf(reemitted));
        }

        private void session() {
            String stageArn = pick(stages);
            String sessionId = "st-" + uniqueId(12);
            Instant start = DAY.plusMillis(random.nextInt((int) Duration.ofHours(20).toMillis()));
            int participants = 3 + random.nextInt(20);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < participants; i++) {
                ids.add(uniqueId(12));
            }
            for (String participantId : ids) {
                participant(stageArn, sessionId, participantId, ids, start.plusMillis(random.nextInt(600_000)));
            }
        }

        private void largeSession(int participants) {
            String stageArn = pick(stages);
            String sessionId = "st-" + uniqueId(12);
            Instant start = DAY.plusMillis(random.nextInt((int) Duration.ofHours(20).toMillis()));
            Set<Integer> publishers = new HashSet<>();
            while (publishers.size() < Math.min(PUBLISHERS_OF_A_LARGE_SESSION, participants)) {
                publishers.add(random.nextInt(participants));
            }
            List<String> publisherIds = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < participants; i++) {
                ids.add(uniqueId(12));
                if (publishers.contains(i)) {
                    publisherIds.add(ids.get(i));
                }
            }
            for (int i = 0; i < participants; i++) {
                Clock clock = new Clock(start.plusMillis(random.nextInt(600_000)));
                Context at = new Context(stageArn, sessionId, ids.get(i));
                emit(at, "JOINED", clock.next(), b -> { });
                if (publishers.contains(i)) {
                    exchanges(at, clock);
                    emit(at, "PUBLISH_STARTED", clock.next(), b -> { });
                    if (random.nextBoolean()) {
                        replications(at, clock);
                    }
                    exchanges(at, clock);
                    emit(at, "PUBLISH_STOPPED", clock.next(), b -> { });
                } else {
                    String publisher = pick(publisherIds);
                    emit(at, "SUBSCRIBE_STARTED", clock.next(), b -> b.remoteParticipantId = publisher);
                    if (random.nextInt(AUDIENCE_PER_EXCHANGE) == 0) {
                        // A key-pair token exchanged to change attributes, not to publish.
                        Token before = token();
                        Token after = token();
                        emit(at, "TOKEN_EXCHANGED", clock.next(), b -> {
                            b.previousToken = before;
                            b.newToken = after;
                        });
                    }
                }
                emit(at, "LEFT", clock.next(), b -> { });
            }
        }

        private void participant(String stageArn, String sessionId, String participantId, List<String> others,
                                 Instant joined) {
            Clock clock = new Clock(joined);
            Context at = new Context(stageArn, sessionId, participantId);
            if (random.nextInt(10) == 0) {
                emit(at, "JOIN_ERROR", clock.next(), b -> b.errorCode = nextErrorCode());
                return;
            }
            emit(at, "JOINED", clock.next(), b -> { });
            exchanges(at, clock);
            if (random.nextBoolean()) {
                emit(at, "PUBLISH_STARTED", clock.next(), b -> { });
                if (random.nextInt(6) == 0) {
                    emit(at, "PUBLISH_ERROR", clock.next(), b -> b.errorCode = nextErrorCode());
                }
            }
            String remote = pick(others);
            emit(at, "SUBSCRIBE_STARTED", clock.next(), b -> b.remoteParticipantId = remote);
            if (random.nextInt(6) == 0) {
                emit(at, "SUBSCRIBE_ERROR", clock.next(), b -> {
                    b.remoteParticipantId = remote;
                    b.errorCode = nextErrorCode();
                });
            }
            // Names this version does not know, and an event without a name: kept whole, about 2% of the day.
            if (random.nextInt(8) == 0) {
                emit(at, FUTURE_EVENT_NAME, clock.next(), b -> { });
            }
            if (random.nextInt(14) == 0) {
                emit(at, FUTURE_EVENT_PHRASE, clock.next(), b -> { });
            }
            if (random.nextInt(40) == 0) {
                emit(at, PREFIX_ONLY_NAME, clock.next(), b -> { });
            }
            if (random.nextInt(40) == 0) {
                emit(at, null, clock.next(), b -> { });
            }
            if (random.nextInt(10) < 4) {
                replications(at, clock);
            }
            exchanges(at, clock);
            emit(at, "SUBSCRIBE_STOPPED", clock.next(), b -> b.remoteParticipantId = remote);
            emit(at, "PUBLISH_STOPPED", clock.next(), b -> { });
            emit(at, "LEFT", clock.next(), b -> { });
        }

        private void exchanges(Context at, Clock clock) {
            int count = random.nextInt(4);
            Token previous = random.nextInt(5) == 0 ? null : token();
            for (int i = 0; i < count; i++) {
                Token next = random.nextInt(12) == 0 ? null : token();
                Token before = previous;
                // Two exchanges at one instant: only the content can order them, the same way on every delivery.
                Instant time = random.nextDouble() < SAME_INSTANT ? clock.now() : clock.next();
                emit(at, "TOKEN_EXCHANGED", time, b -> {
                    b.previousToken = before;
                    b.newToken = next;
                });
                previous = next;
            }
        }

        private void replications(Context at, Clock clock) {
            int destinationCount = 1 + random.nextInt(2);
            List<String> chosen = new ArrayList<>(destinations);
            Collections.shuffle(chosen, random);
            for (String destination : chosen.subList(0, destinationCount)) {
                String destinationSession = "st-" + uniqueId(12);
                Boolean replica = random.nextInt(4) == 0 ? null : random.nextInt(5) == 0;
                int intervals = 1 + random.nextInt(3);
                for (int i = 0; i < intervals; i++) {
                    Instant started = clock.next();
                    // A STOP at the very instant of its START still ends the replication.
                    Instant stopped = random.nextDouble() < SAME_INSTANT ? started : clock.next();
                    if (random.nextDouble() >= START_NEVER_SENT) {
                        String session = random.nextInt(8) == 0 ? null : destinationSession;
                        String sent = sentDestination(destination);
                        emit(at, "REPLICATION_STARTED", started, b -> replication(b, sent, session, replica));
                    }
                    if (random.nextDouble() >= STOP_NEVER_SENT) {
                        String session = random.nextInt(8) == 0 ? null : destinationSession;
                        String sent = sentDestination(destination);
                        emit(at, "REPLICATION_STOPPED", stopped, b -> replication(b, sent, session, replica));
                    }
                }
            }
        }

        /** Now and then without it: a replication into no stage, which must be kept whole, not applied. */
        private String sentDestination(String destination) {
            return random.nextDouble() < REPLICATION_WITHOUT_DESTINATION ? null : destination;
        }

        private static void replication(Fields b, String destination, String session, Boolean replica) {
            b.destinationStageArn = destination;
            b.destinationSessionId = session;
            b.replica = replica;
        }

        private Token token() {
            List<String> capabilities = switch (random.nextInt(6)) {
                case 0 -> null;
                case 1 -> List.of();
                case 2 -> List.of("SUBSCRIBE");
                case 3 -> List.of("PUBLISH");
                default -> List.of("PUBLISH", "SUBSCRIBE");
            };
            Map<String, String> attributes = null;
            if (random.nextInt(6) != 0) {
                attributes = new LinkedHashMap<>();
                int count = random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    attributes.put(ATTRIBUTE_NAME_MARK + randomText(1 + random.nextInt(10)),
                            ATTRIBUTE_VALUE_MARK + randomText(random.nextInt(40)));
                }
            }
            String userId = switch (random.nextInt(6)) {
                case 0 -> null;
                case 1 -> "";
                default -> USER_ID_MARK + randomText(8);
            };
            Instant expiration = random.nextInt(5) == 0 ? null : DAY.plus(Duration.ofHours(24 + random.nextInt(24)));
            Map<String, JsonNode> unknown = random.nextDouble() < UNKNOWN_TOKEN_KEYS ? unknownTokenMembers() : Map.of();
            return new Token(capabilities, attributes, userId, expiration, unknown);
        }

        private String nextErrorCode() {
            int slot = errorCounter++ % (KNOWN_ERROR_CODES.size() + 2);
            if (slot < KNOWN_ERROR_CODES.size()) {
                return KNOWN_ERROR_CODES.get(slot);
            }
            return slot == KNOWN_ERROR_CODES.size() ? FUTURE_ERROR_CODE : null;
        }

        private void emit(Context at, String name, Instant time, Consumer<Fields> fill) {
            Fields fields = new Fields();
            fill.accept(fields);
            String spelling = random.nextDouble() < OTHER_SPELLING && hasOtherSpellings(name)
                    ? pick(OTHER_SPELLINGS.get(name)) : null;
            Map<String, JsonNode> unknown = random.nextDouble() < UNKNOWN_KEYS ? unknownMembers() : Map.of();
            // EventBridge's envelope time is to the second and a little after the event.
            Instant envelope = time.plusMillis(random.nextInt(3000)).truncatedTo(ChronoUnit.SECONDS);
            boolean withoutDetailTime = random.nextInt(20) == 0;
            SyntheticEvent event = new SyntheticEvent(UUID.nameUUIDFromBytes(bytes()).toString(),
                    SyntheticEvent.IVS_SOURCE, SyntheticEvent.STAGE_UPDATE, envelope, at.stageArn, at.sessionId, name,
                    at.participantId, withoutDetailTime ? null : time, fields.remoteParticipantId, fields.errorCode,
                    fields.destinationStageArn, fields.destinationSessionId, fields.replica, fields.previousToken,
                    fields.newToken, random.nextBoolean() ? WireForm.EVENTBRIDGE : WireForm.API,
                    TimeStyle.values()[random.nextInt(TimeStyle.values().length)], spelling, unknown);
            events.add(event);
            if (random.nextDouble() < REEMITTED_BY_IVS) {
                SyntheticEvent again = event.withEventId(UUID.nameUUIDFromBytes(bytes()).toString());
                reemittedIds.put(again.eventId(), event.eventId());
                events.add(again);
            }
            if (random.nextDouble() < FOREIGN) {
                events.add(foreign(time));
            }
        }

        private SyntheticEvent foreign(Instant time) {
            boolean ivsLowLatency = random.nextBoolean();
            return new SyntheticEvent(UUID.nameUUIDFromBytes(bytes()).toString(),
                    ivsLowLatency ? "aws.ivs" : "aws.ec2",
                    ivsLowLatency ? "IVS Stream State Change" : "EC2 Instance State-change Notification",
                    time.truncatedTo(ChronoUnit.SECONDS), pick(stages), null, null, null, null,
                    null, null, null, null, null, null, null, WireForm.EVENTBRIDGE, TimeStyle.ZULU, null, Map.of());
        }

        /**
         * One to three detail keys no version reads, each with a value of its own JSON type: strings (one with
         * quotes, a line break and characters beyond ASCII), integers, a long past a double's precision, a number
         * past DynamoDB's 38 digits, decimals and an exponent, booleans, null, arrays, objects (nested, empty, and
         * one with an empty key, which DynamoDB cannot hold as a map).
         */
        private Map<String, JsonNode> unknownMembers() {
            List<String> keys = new ArrayList<>(List.of("muted_by", "attempt", "sequence", "counter_big", "ratio",
                    "is_test", "reserved", "media_types", "layout", "labels", "note"));
            Collections.shuffle(keys, random);
            Map<String, JsonNode> members = new LinkedHashMap<>();
            for (String key : keys.subList(0, 1 + random.nextInt(3))) {
                members.put(key, switch (key) {
                    case "muted_by" -> NODES.textNode(UNKNOWN_VALUE_MARK + randomText(6));
                    case "attempt" -> NODES.numberNode(random.nextInt(100) - 10);
                    case "sequence" -> NODES.numberNode(9_007_199_254_740_993L + random.nextInt(1000));
                    case "counter_big" -> NODES.numberNode(new BigInteger("1234567890123456789012345678901234567890")
                            .add(BigInteger.valueOf(random.nextInt(1000))));
                    case "ratio" -> NODES.numberNode(List.of(0.25, -3.5, 1.5E-7, 12.0).get(random.nextInt(4)));
                    case "is_test" -> NODES.booleanNode(random.nextBoolean());
                    case "reserved" -> NODES.nullNode();
                    case "media_types" -> NODES.arrayNode().add(UNKNOWN_VALUE_MARK + "audio").add(2).add(true)
                            .addNull().add(NODES.arrayNode());
                    case "layout" -> {
                        ObjectNode layout = NODES.objectNode().put("rows", 1 + random.nextInt(4))
                                .put("name", UNKNOWN_VALUE_MARK + randomText(4));
                        layout.putObject("inner").put("ok", random.nextBoolean()).putNull("none");
                        layout.putObject("empty");
                        yield layout;
                    }
                    case "labels" -> NODES.objectNode().put("", UNKNOWN_VALUE_MARK + "blank").put("k", 1);
                    default -> NODES.textNode(UNKNOWN_VALUE_MARK + "\u00fc \"q\"\n\u2713");
                });
            }
            return Collections.unmodifiableMap(members);
        }

        /** Keys inside a token that no version reads. */
        private Map<String, JsonNode> unknownTokenMembers() {
            Map<String, JsonNode> members = new LinkedHashMap<>();
            members.put("grants", NODES.arrayNode().add(UNKNOWN_VALUE_MARK + randomText(3)).add(random.nextInt(9)));
            if (random.nextBoolean()) {
                members.put("issuer_hint", NODES.textNode(UNKNOWN_VALUE_MARK + randomText(5)));
            }
            return Collections.unmodifiableMap(members);
        }

        private byte[] bytes() {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return bytes;
        }

        private String stageArn() {
            return "arn:aws:ivs:us-west-2:" + SyntheticEvent.ACCOUNT + ":stage/" + uniqueId(12);
        }

        private String uniqueId(int length) {
            String id;
            do {
                id = randomText(length);
            } while (!usedIds.add(id));
            return id;
        }

        private String randomText(int length) {
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
            }
            return text.toString();
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private static boolean hasOtherSpellings(String name) {
            return name != null && OTHER_SPELLINGS.containsKey(name);
        }

        private static WireForm other(WireForm form) {
            return form == WireForm.API ? WireForm.EVENTBRIDGE : WireForm.API;
        }

        /** A participant's own time line: strictly increasing, in milliseconds, with the odd long pause. */
        private final class Clock {
            private Instant now;

            Clock(Instant start) {
                this.now = start;
            }

            Instant now() {
                return now;
            }

            Instant next() {
                int pause = random.nextInt(10) == 0 ? random.nextInt(3_600_000) : random.nextInt(60_000);
                now = now.plusMillis(1 + pause);
                return now;
            }
        }
    }

    private record Context(String stageArn, String sessionId, String participantId) {
    }

    /** The members that differ between kinds of event. */
    private static final class Fields {
        String remoteParticipantId;
        String errorCode;
        String destinationStageArn;
        String destinationSessionId;
        Boolean replica;
        Token previousToken;
        Token newToken;
    }
}
