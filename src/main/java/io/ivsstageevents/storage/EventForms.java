package io.ivsstageevents.storage;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

/**
 * One event reaches the ledger in more than one form: EventBridge's detail and the API's {@code Event}, each
 * perhaps redelivered. The forms may differ: the API's times may carry fractions where EventBridge's give whole
 * seconds, and either may lack members the other carries. Two forms are of the same event when nothing they both
 * carry disagrees; the merged form then holds what either carried, whatever the order they came in, but for the
 * order of a token's capabilities (see {@link #merged}).
 */
final class EventForms {
    private EventForms() {
    }

    /**
     * Whether two forms with the same ledger identity (stage, session, participant, name, second, destination) are
     * of one event: every member both carry agrees, a time to the second agreeing with a finer time in that second,
     * and two tokens that both tell something share at least one member. That last rule keeps apart two exchanges
     * in one second whose tokens have nothing in common to compare; it cannot split the forms of one event as
     * long as one form tells at least what the other tells of a token, as the API's does of EventBridge's.
     */
    static boolean sameEvent(EventSource a, EventSource b) {
        return agree(a.remoteParticipantId(), b.remoteParticipantId())
                && agree(a.errorCodeAsString(), b.errorCodeAsString())
                && agree(a.destinationStageArn(), b.destinationStageArn())
                && agree(a.destinationSessionId(), b.destinationSessionId())
                && agree(a.replica(), b.replica())
                && timesAgree(a.eventTime(), b.eventTime())
                && tokensAgree(a.previousToken(), b.previousToken())
                && tokensAgree(a.newToken(), b.newToken());
    }

    /**
     * The event as both forms tell it, for two forms of one event ({@link #sameEvent}): each member from whichever
     * carries it, and each time at the finer precision. Which form came first matters only for a token's
     * capabilities when both forms list them: they agree as sets, and the first form's order is kept.
     */
    static EventSource merged(EventSource a, EventSource b) {
        return a.toBuilder()
                .name(either(a.nameAsString(), b.nameAsString()))
                .participantId(either(a.participantId(), b.participantId()))
                .eventTime(finer(a.eventTime(), b.eventTime()))
                .remoteParticipantId(either(a.remoteParticipantId(), b.remoteParticipantId()))
                .errorCode(either(a.errorCodeAsString(), b.errorCodeAsString()))
                .destinationStageArn(either(a.destinationStageArn(), b.destinationStageArn()))
                .destinationSessionId(either(a.destinationSessionId(), b.destinationSessionId()))
                .replica(either(a.replica(), b.replica()))
                .previousToken(mergedToken(a.previousToken(), b.previousToken()))
                .newToken(mergedToken(a.newToken(), b.newToken()))
                .build();
    }

    /**
     * How many members a form carries, its tokens' members included. Merging only ever adds, so of the forms of
     * one event the merged one carries the most; state items use this to prefer it over a poorer form of the same
     * event (see {@code StageEventItems#stateVersion}).
     */
    static int richness(EventSource source) {
        int members = count(source.remoteParticipantId(), source.errorCodeAsString(), source.destinationStageArn(),
                source.destinationSessionId(), source.replica(), source.previousToken(), source.newToken());
        return members + tokenRichness(source.previousToken()) + tokenRichness(source.newToken());
    }

    private static int tokenRichness(ExchangedParticipantToken token) {
        return token == null ? 0 : count(token.capabilitiesAsStrings(), token.attributes(), token.userId(),
                token.expirationTime());
    }

    private static int count(Object... members) {
        int present = 0;
        for (Object member : members) {
            if (member != null) {
                present++;
            }
        }
        return present;
    }

    private static boolean tokensAgree(ExchangedParticipantToken a, ExchangedParticipantToken b) {
        if (a == null || b == null) {
            return true;
        }
        boolean nothingToCompare = tokenRichness(a) == 0 || tokenRichness(b) == 0;
        boolean shareAMember = bothHave(a.capabilitiesAsStrings(), b.capabilitiesAsStrings())
                || bothHave(a.attributes(), b.attributes()) || bothHave(a.userId(), b.userId())
                || bothHave(a.expirationTime(), b.expirationTime());
        return (nothingToCompare || shareAMember)
                && capabilitiesAgree(a.capabilitiesAsStrings(), b.capabilitiesAsStrings())
                && agree(a.attributes(), b.attributes())
                && agree(a.userId(), b.userId())
                && timesAgree(a.expirationTime(), b.expirationTime());
    }

    private static boolean bothHave(Object a, Object b) {
        return a != null && b != null;
    }

    /** Capabilities are a set in meaning: one form may list them in another order. */
    private static boolean capabilitiesAgree(List<String> a, List<String> b) {
        return a == null || b == null || new HashSet<>(a).equals(new HashSet<>(b));
    }

    private static ExchangedParticipantToken mergedToken(ExchangedParticipantToken a, ExchangedParticipantToken b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.toBuilder()
                .capabilitiesWithStrings(either(a.capabilitiesAsStrings(), b.capabilitiesAsStrings()))
                .attributes(either(a.attributes(), b.attributes()))
                .userId(either(a.userId(), b.userId()))
                .expirationTime(finer(a.expirationTime(), b.expirationTime()))
                .build();
    }

    private static <T> boolean agree(T a, T b) {
        return a == null || b == null || a.equals(b);
    }

    /** The same instant, or the same second where one of them is told only to the second. */
    private static boolean timesAgree(Instant a, Instant b) {
        if (a == null || b == null || a.equals(b)) {
            return true;
        }
        return a.getEpochSecond() == b.getEpochSecond() && (a.getNano() == 0 || b.getNano() == 0);
    }

    private static <T> T either(T a, T b) {
        return a != null ? a : b;
    }

    /** Of two agreeing times, the one with a fraction: the other is the same second told less precisely. */
    private static Instant finer(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.getNano() != 0 ? a : b;
    }
}
