package io.ivsstageevents.testing.ivs;

import java.time.Instant;

/**
 * One request the stand-in received, whatever became of it.
 *
 * @param operation the path without its slash ({@code ListParticipantEvents}), or the path as sent if unknown
 * @param receivedAt wall-clock time of arrival, for people
 * @param receivedNanos {@link System#nanoTime()} at arrival, for counting requests within a window
 * @param signed whether it carried a valid signature of the stand-in's credentials
 * @param status the HTTP status answered
 * @param errorType the {@code x-amzn-ErrorType} answered; null on success
 * @param body the request's JSON body as sent: which page of what it asked for
 */
public record RecordedRequest(String operation, Instant receivedAt, long receivedNanos, boolean signed, int status,
                              String errorType, String body) {
    public boolean throttled() {
        return status == 429;
    }
}
