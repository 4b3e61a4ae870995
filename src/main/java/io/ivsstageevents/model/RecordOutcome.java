package io.ivsstageevents.model;

/** What recording one event did to the ledger. State items are brought up to date either way. */
public enum RecordOutcome {
    /** The event's ledger item was written now. */
    RECORDED,
    /** The ledger already held this event: a redelivery, or a retry after a partial attempt. */
    DUPLICATE
}
