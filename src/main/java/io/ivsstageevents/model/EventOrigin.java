package io.ivsstageevents.model;

/**
 * Which way an event reached the function: pushed by EventBridge, or read from the IVS Real-Time API by the
 * reconciler. A ledger item records every way its event came, so an operator can see what EventBridge lost.
 */
public enum EventOrigin {
    EVENTBRIDGE("EventBridge"),
    API("API");

    private final String label;

    EventOrigin(String label) {
        this.label = label;
    }

    /** As the ledger item's {@code source} holds it. */
    public String label() {
        return label;
    }
}
