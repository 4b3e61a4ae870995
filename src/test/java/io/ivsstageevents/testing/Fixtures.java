package io.ivsstageevents.testing;

import io.ivsstageevents.model.EventName;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import io.ivsstageevents.model.ParticipantTokenCapability;
import java.time.Instant;
import java.util.Map;

/** Values shared by tests: a fully populated EventSource and the personal data it carries. */
public final class Fixtures {
    public static final String USER_ID = "user-7c4d1e";
    public static final String ATTRIBUTE_NAME = "email";
    public static final String ATTRIBUTE_VALUE = "jane.doe@example.com";

    private Fixtures() {
    }

    public static EventSource fullEventSource() {
        ExchangedParticipantToken token = ExchangedParticipantToken.builder()
                .capabilities(ParticipantTokenCapability.PUBLISH, ParticipantTokenCapability.SUBSCRIBE)
                .attributes(Map.of(ATTRIBUTE_NAME, ATTRIBUTE_VALUE))
                .userId(USER_ID)
                .expirationTime(Instant.parse("2026-03-15T06:00:00Z"))
                .build();
        return EventSource.builder()
                .name(EventName.TOKEN_EXCHANGED)
                .participantId("aBc9d8e7f6g")
                .eventTime(Instant.parse("2026-03-14T18:06:12.482Z"))
                .remoteParticipantId("xYz1c2d3e4f")
                .errorCode("QUOTA_EXCEEDED")
                .destinationStageArn("arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst")
                .destinationSessionId("st-Dest9Sess8Ab")
                .replica(true)
                .previousToken(token.toBuilder().capabilities(ParticipantTokenCapability.SUBSCRIBE).build())
                .newToken(token)
                .build();
    }
}
