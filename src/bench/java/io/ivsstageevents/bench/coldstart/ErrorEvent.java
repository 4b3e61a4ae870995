package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.model.Envelope;
import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.StageEvent;
import java.time.Instant;

/**
 * events/publish-error.json as a model object, built without the parser, so that the three metrics subjects
 * differ only in how they write the one ParticipantErrors document.
 */
final class ErrorEvent {
    private ErrorEvent() {
    }

    static StageEvent publishError() {
        return StageEvent.builder()
                .envelope(new Envelope("3d6a9a4c-2f1e-4b8a-9d51-0c7e21f4a103", "123456789012", "us-west-2",
                        Instant.parse("2026-03-14T18:03:45Z"), "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij",
                        "st-ZyXwvu1T2s"))
                .eventSource(EventSource.builder()
                        .name("PUBLISH_ERROR")
                        .participantId("xYz1c2d3e4f")
                        .eventTime(Instant.parse("2026-03-14T18:03:44Z"))
                        .errorCode("BITRATE_EXCEEDED")
                        .replica(false)
                        .build())
                .build();
    }
}
