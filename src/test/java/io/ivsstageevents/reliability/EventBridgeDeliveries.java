package io.ivsstageevents.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What EventBridge delivers of a {@link StageDay} when it loses events, for a reconciler to find: of the kinds
 * the function records (token exchanges and replications, complete or not), per envelope IVS sent,
 * {@value #LOST} never delivered, {@value #TWICE} delivered twice (the second time perhaps in the other wire form),
 * the rest once; every other kind as the day delivers it (its own duplicates included).
 *
 * <p>EventBridge's form of a recorded kind is poorer than the API's ({@link SyntheticEvent#poorerForm}): its time
 * cut to the whole second, no {@code replica}, and for {@value #WITHOUT_PREVIOUS_TOKEN} of the events no previous
 * token. Every envelope of one event tells it alike, so that which of them arrives first changes nothing.
 *
 * <p>Each delivery arrives at its event's time plus a delay: mostly seconds, sometimes up to two hours, and for
 * {@value #VERY_LATE} up to twenty (EventBridge retries for a day): some arrive after the reconciler has read their
 * session. Deliveries of a time span come in any order.
 */
final class EventBridgeDeliveries {
    static final double LOST = 0.20;
    static final double TWICE = 0.10;
    static final double WITHOUT_PREVIOUS_TOKEN = 0.5;
    static final double LATE = 0.15;
    static final double VERY_LATE = 0.05;
    private static final Set<String> RECORDED_KINDS = Set.of("TOKEN_EXCHANGED", "REPLICATION_STARTED",
            "REPLICATION_STOPPED");

    /** One delivery and when it arrives. */
    record Delivery(SyntheticEvent event, Instant arrival) {
    }

    private final List<SyntheticEvent> sent;
    private final List<Delivery> deliveries;
    private final List<SyntheticEvent> lost;
    private final List<SyntheticEvent> deliveredTwice;
    private final Random random;

    private EventBridgeDeliveries(List<SyntheticEvent> sent, List<Delivery> deliveries, List<SyntheticEvent> lost,
                                  List<SyntheticEvent> deliveredTwice, Random random) {
        this.sent = sent;
        this.deliveries = deliveries;
        this.lost = lost;
        this.deliveredTwice = deliveredTwice;
        this.random = random;
    }

    static boolean isRecordedKind(SyntheticEvent event) {
        return event.isStageUpdate() && event.name() != null && RECORDED_KINDS.contains(event.name());
    }

    static EventBridgeDeliveries of(StageDay day, long seed) {
        Random random = new Random(seed ^ 0xeb_de11L);
        Map<String, Boolean> withoutPreviousToken = new HashMap<>();
        List<SyntheticEvent> sent = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        List<SyntheticEvent> lost = new ArrayList<>();
        List<SyntheticEvent> twice = new ArrayList<>();
        for (SyntheticEvent event : day.events()) {
            if (!isRecordedKind(event)) {
                continue;
            }
            // IVS's re-emission tells the event as the envelope it repeats does.
            String original = day.reemittedIds().getOrDefault(event.eventId(), event.eventId());
            boolean poorer = withoutPreviousToken.computeIfAbsent(original,
                    id -> random.nextDouble() < WITHOUT_PREVIOUS_TOKEN);
            SyntheticEvent form = event.poorerForm(poorer);
            sent.add(form);
            double fate = random.nextDouble();
            if (fate < LOST) {
                lost.add(form);
                continue;
            }
            deliveries.add(new Delivery(form, arrival(form, random)));
            if (fate < LOST + TWICE) {
                twice.add(form);
                SyntheticEvent again = random.nextBoolean() ? form : form.withWireForm(
                        form.wireForm() == SyntheticEvent.WireForm.API
                                ? SyntheticEvent.WireForm.EVENTBRIDGE : SyntheticEvent.WireForm.API);
                deliveries.add(new Delivery(again, arrival(again, random)));
            }
        }
        for (SyntheticEvent delivery : day.deliveries()) {
            if (!isRecordedKind(delivery)) {
                deliveries.add(new Delivery(delivery, arrival(delivery, random)));
            }
        }
        return new EventBridgeDeliveries(List.copyOf(sent), List.copyOf(deliveries), List.copyOf(lost),
                List.copyOf(twice), random);
    }

    private static Instant arrival(SyntheticEvent event, Random random) {
        double kind = random.nextDouble();
        long millis;
        if (kind < VERY_LATE) {
            millis = Duration.ofHours(2).toMillis() + (long) (random.nextDouble() * Duration.ofHours(18).toMillis());
        } else if (kind < VERY_LATE + LATE) {
            millis = 30_000 + (long) (random.nextDouble() * Duration.ofHours(2).toMillis());
        } else {
            millis = random.nextInt(30_000);
        }
        return event.eventTime().plusMillis(millis);
    }

    /** What IVS sent of the recorded kinds, in EventBridge's form, in the order it happened. */
    List<SyntheticEvent> sent() {
        return sent;
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    /** Envelopes of the recorded kinds EventBridge never delivered. */
    List<SyntheticEvent> lost() {
        return lost;
    }

    /** Envelopes of the recorded kinds EventBridge delivered twice. */
    List<SyntheticEvent> deliveredTwice() {
        return deliveredTwice;
    }

    /** What arrives at or before that time, in any order (shuffled from this delivery's seed). */
    List<SyntheticEvent> arrivingBy(Instant time) {
        return shuffled(deliveries.stream().filter(delivery -> !delivery.arrival().isAfter(time)).toList());
    }

    /** What arrives after that time, in any order. */
    List<SyntheticEvent> arrivingAfter(Instant time) {
        return shuffled(deliveries.stream().filter(delivery -> delivery.arrival().isAfter(time)).toList());
    }

    private synchronized List<SyntheticEvent> shuffled(List<Delivery> chosen) {
        List<SyntheticEvent> events = new ArrayList<>(chosen.stream().map(Delivery::event).toList());
        Collections.shuffle(events, random);
        return List.copyOf(events);
    }
}
