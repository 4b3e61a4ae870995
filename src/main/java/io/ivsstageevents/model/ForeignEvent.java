package io.ivsstageevents.model;

/** A well-formed EventBridge event from another source or of another detail-type: counted and skipped. */
public record ForeignEvent(String source, String detailType) implements ParsedEvent {
}
