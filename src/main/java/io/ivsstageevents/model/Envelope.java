package io.ivsstageevents.model;

import java.time.Instant;

/**
 * What the EventBridge envelope says of a stage event: its delivery id, account, region and time, the stage
 * ({@code resources[0]}) and the session ({@code detail.session_id}). Any member may be absent.
 *
 * @param eventId the EventBridge id: identifies a delivery, not the occurrence (a retry by IVS may carry another)
 * @param time    the envelope's {@code time}
 */
public record Envelope(String eventId, String account, String region, Instant time, String stageArn,
                       String sessionId) {
}
