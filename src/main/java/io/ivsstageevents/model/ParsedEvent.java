package io.ivsstageevents.model;

/**
 * What one EventBridge event turned out to be: a stage event of ours, one this version cannot record yet (kept
 * whole), or an event this function does not handle.
 */
public sealed interface ParsedEvent permits StageEvent, UnrecognizedEvent, ForeignEvent {
}
