package io.ivsstageevents.storage;

import static io.ivsstageevents.storage.TableDesign.sortableTime;

import java.time.Instant;

/**
 * Where an event stands among one participant's events, which decides what its token and replication state show:
 * the event time; then the digest of the content that created the event's ledger item, so that two events at one
 * time resolve by content rather than by arrival (as long as each item was created by the same form); then how
 * much the ledger knows of the event (its members and its envelope id), so that of two applications of one event
 * the one that knows more wins, whichever finishes last.
 *
 * <p>Stored as text whose string order is this order, for DynamoDB compares it in conditions: the fixed-width
 * time, {@code #}, the digest, {@code #}, the knowledge in two digits ({@link #stored}), on the token state
 * ({@code stateVersion}) and on each replication mark ({@code version}). The ledger item's {@code gsi1sk} holds the
 * first two parts ({@link #ledgerForm}): the third follows from the item's content.
 */
record EventOrder(Instant time, String digest, int knowledge) implements Comparable<EventOrder> {
    /** The order as {@link #stored} wrote it. */
    static EventOrder parse(String stored) {
        int first = stored.indexOf('#');
        int last = stored.lastIndexOf('#');
        return new EventOrder(Instant.parse(stored.substring(0, first)), stored.substring(first + 1, last),
                Integer.parseInt(stored.substring(last + 1)));
    }

    /** The digest of the creating content, from a ledger item's {@code gsi1sk} ({@link #ledgerForm}). */
    static String digestInLedgerForm(String ledgerForm) {
        return ledgerForm.substring(ledgerForm.indexOf('#') + 1);
    }

    String ledgerForm() {
        return sortableTime(time) + "#" + digest;
    }

    String stored() {
        return ledgerForm() + "#" + String.format("%02d", knowledge);
    }

    /** As DynamoDB orders the stored forms. */
    @Override
    public int compareTo(EventOrder other) {
        return stored().compareTo(other.stored());
    }
}
