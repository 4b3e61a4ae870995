package io.ivsstageevents.testing;

import io.ivsstageevents.model.EventErrorCode;
import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;

/** Arbitrary EventSources: any member present or not, enum members known or new. */
public final class EventSourceArbitraries {
    private EventSourceArbitraries() {
    }

    public static Arbitrary<EventSource> eventSources() {
        return Builders.withBuilder(EventSource::builder)
                .use(optional(eventNames())).in((b, v) -> b.name(v))
                .use(optional(ids())).in((b, v) -> b.participantId(v))
                .use(optional(instants())).in((b, v) -> b.eventTime(v))
                .use(optional(ids())).in((b, v) -> b.remoteParticipantId(v))
                .use(optional(errorCodes())).in((b, v) -> b.errorCode(v))
                .use(optional(Arbitraries.strings().ofMaxLength(128))).in((b, v) -> b.destinationStageArn(v))
                .use(optional(ids())).in((b, v) -> b.destinationSessionId(v))
                .use(optional(Arbitraries.of(true, false))).in((b, v) -> b.replica(v))
                .use(optional(tokens())).in((b, v) -> b.previousToken(v))
                .use(optional(tokens())).in((b, v) -> b.newToken(v))
                .build(EventSource.Builder::build);
    }

    public static Arbitrary<ExchangedParticipantToken> tokens() {
        return Builders.withBuilder(ExchangedParticipantToken::builder)
                .use(optional(Arbitraries.oneOf(Arbitraries.of("PUBLISH", "SUBSCRIBE"), Arbitraries.strings().ofMaxLength(12))
                        .list().ofMaxSize(3))).in((b, v) -> b.capabilitiesWithStrings(v))
                .use(optional(Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(16), Arbitraries.strings().ofMaxLength(40))
                        .ofMaxSize(5))).in((b, v) -> b.attributes(v))
                .use(optional(Arbitraries.strings().ofMaxLength(128))).in((b, v) -> b.userId(v))
                .use(optional(instants())).in((b, v) -> b.expirationTime(v))
                .build(ExchangedParticipantToken.Builder::build);
    }

    public static Arbitrary<String> eventNames() {
        return Arbitraries.oneOf(
                Arbitraries.of(EventName.knownValues()).map(EventName::toString),
                Arbitraries.strings().alpha().withChars('_').ofMinLength(1).ofMaxLength(30));
    }

    public static Arbitrary<String> errorCodes() {
        return Arbitraries.oneOf(
                Arbitraries.of(EventErrorCode.knownValues()).map(EventErrorCode::toString),
                Arbitraries.strings().ofMaxLength(40));
    }

    public static Arbitrary<String> ids() {
        return Arbitraries.strings().alpha().numeric().withChars('-').ofMaxLength(70);
    }

    public static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, 4_102_444_800L)
                .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    private static <T> Arbitrary<T> optional(Arbitrary<T> values) {
        return values.injectNull(0.3);
    }
}
