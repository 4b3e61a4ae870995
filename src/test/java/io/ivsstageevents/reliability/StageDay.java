package io.ivsstageevents.reliability;

import io.ivsstageevents.reliability.SyntheticEvent.TimeStyle;
import io.ivsstageevents.reliability.SyntheticEvent.Token;
import io.ivsstageevents.reliability.SyntheticEvent.WireForm;
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

/**
 * A synthetic day of IVS Real-Time stages, reproducible from a seed: sessions on several stages, participants who
 * join, publish, subscribe, exchange tokens, replicate into other stages and fail with every error code, plus
 * events of other services and of kinds the function does not know yet.
 *
 * <p>It is what IVS produced ({@link #events()}, in the order things happened) and what the function receives
 * ({@link #deliveries()}): IVS's best effort (some START or STOP never sent, some events sent again under a new
 * envelope id) and then at-least-once delivery (a share of the events delivered twice, the second time possibly
 * in the other wire form) and no order at all (the whole stream shuffled).
 *
 * <p>Personal data is spelled so it can be found: user ids start with {@value #USER_ID_MARK}, attribute names
 * with {@value #ATTRIBUTE_NAME_MARK}, attribute values with {@value #ATTRIBUTE_VALUE_MARK}. No id of any other
 * kind contains those marks.
 */
final class StageDay {
    static final String USER_ID_MARK = "uid-";
    static final String ATTRIBUTE_NAME_MARK = "attrk-";
    static final String ATTRIBUTE_VALUE_MARK = "attrv-";

    static final List<String> KNOWN_ERROR_CODES = List.of(
            "INSUFFICIENT_CAPABILITIES", "QUOTA_EXCEEDED", "PUBLISHER_NOT_FOUND", "BITRATE_EXCEEDED",
            "RESOLUTION_EXCEEDED", "STREAM_DURATION_EXCEEDED", "INVALID_AUDIO_CODEC", "INVALID_VIDEO_CODEC",
            "INVALID_PROTOCOL", "INVALID_STREAM_KEY", "REUSE_OF_STREAM_KEY", "B_FRAME_PRESENT", "INVALID_INPUT",
            "INTERNAL_SERVER_EXCEPTION");
    /** A code AWS may add later: it must be counted like the others, not rejected. */
    static final String FUTURE_ERROR_CODE = "CODEC_FROM_THE_FUTURE";
    /** An event name AWS may add later: kept whole, not skipped, not rejected. */
    static final String FUTURE_EVENT_NAME = "PARTICIPANT_MUTED";
    static final List<String> ERROR_EVENT_NAMES = List.of("PUBLISH_ERROR", "SUBSCRIBE_ERROR", "JOIN_ERROR");

    private static final double DELIVERED_TWICE = 0.10;
    private static final double REEMITTED_BY_IVS = 0.01;
    private static final double START_NEVER_SENT = 0.10;
    private static final double STOP_NEVER_SENT = 0.15;
    private static final double SAME_INSTANT = 0.15;
    private static final double FOREIGN = 0.01;
    private static final Instant DAY = Instant.parse("2026-03-14T00:00:00Z");
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
        return new Generator(new Random(seed), eventCount).run(seed);
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

        StageDay run(long seed) {
            while (events.size() < eventCount) {
                session();
            }
            // The tail of the last session is simply never sent: IVS's best effort.
            List<SyntheticEvent> sent = List.copyOf(events.subList(0, eventCount));
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
                    deliveries.add(event.withWireForm(form));
                }
            }
            Collections.shuffle(deliveries, random);
            return new StageDay(seed, sent, List.copyOf(deliveries), Map.copyOf(reemitted));
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
            if (random.nextInt(25) == 0) {
                emit(at, FUTURE_EVENT_NAME, clock.next(), b -> { });
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
                        emit(at, "REPLICATION_STARTED", started, b -> replication(b, destination, session, replica));
                    }
                    if (random.nextDouble() >= STOP_NEVER_SENT) {
                        String session = random.nextInt(8) == 0 ? null : destinationSession;
                        emit(at, "REPLICATION_STOPPED", stopped, b -> replication(b, destination, session, replica));
                    }
                }
            }
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
            return new Token(capabilities, attributes, userId, expiration, Map.of());
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
            // EventBridge's envelope time is to the second and a little after the event.
            Instant envelope = time.plusMillis(random.nextInt(3000)).truncatedTo(ChronoUnit.SECONDS);
            boolean withoutDetailTime = random.nextInt(20) == 0;
            SyntheticEvent event = new SyntheticEvent(UUID.nameUUIDFromBytes(bytes()).toString(),
                    SyntheticEvent.IVS_SOURCE, SyntheticEvent.STAGE_UPDATE, envelope, at.stageArn, at.sessionId, name,
                    at.participantId, withoutDetailTime ? null : time, fields.remoteParticipantId, fields.errorCode,
                    fields.destinationStageArn, fields.destinationSessionId, fields.replica, fields.previousToken,
                    fields.newToken, random.nextBoolean() ? WireForm.EVENTBRIDGE : WireForm.API,
                    TimeStyle.values()[random.nextInt(TimeStyle.values().length)], null, Map.of());
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
