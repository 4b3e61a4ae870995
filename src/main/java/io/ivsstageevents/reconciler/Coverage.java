package io.ivsstageevents.reconciler;

/**
 * Whose events the reconciler reads in a session (RECONCILIATION_COVERAGE). ADAPTIVE reads a session whose
 * participants fit one ListParticipants page whole, and of a larger one only the participants who can carry a
 * recorded kind: those listed as published, those whose summary shows replication, and those the ledger holds for
 * the session. ALL reads every participant's events.
 */
public enum Coverage {
    ADAPTIVE, ALL;

    /** A marker's coverage when every participant's events were read. */
    static final String EVERY_PARTICIPANT = "ALL";
    /** A marker's coverage of a session read for its publishers, those shown replicating and the ledger's. */
    static final String PUBLISHERS_REPLICATING_AND_LEDGER = "PUBLISHERS_REPLICATING_AND_LEDGER";
    /** A marker's coverage of a session whose end fell out of the lookback before it was read to its end. */
    static final String EXPIRED_UNREAD = "EXPIRED_UNREAD";
}
