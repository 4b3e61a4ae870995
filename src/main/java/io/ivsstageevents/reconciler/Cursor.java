package io.ivsstageevents.reconciler;

import io.ivsstageevents.storage.ReconciliationProgress.Counts;
import io.ivsstageevents.storage.ReconciliationProgress.SavedSession;
import java.time.Instant;
import java.util.List;

/**
 * Where a session's reading stands, and how it moves a page at a time: the participants of the current page still
 * to read (the first one in progress, at eventsNextToken), and whether there are more pages of participants, after
 * participantsNextToken. A session not started yet has no participants and more pages. Storage saves it after
 * every page ({@link SavedSession}) and gives it back to the next run.
 */
record Cursor(String stageArn, String sessionId, Instant sessionEnd, List<String> participants,
              String participantsNextToken, String eventsNextToken, boolean moreParticipants, Counts counts) {
    Cursor {
        participants = List.copyOf(participants);
    }

    /** A session not started yet. */
    static Cursor start(String stageArn, String sessionId, Instant sessionEnd) {
        return new Cursor(stageArn, sessionId, sessionEnd, List.of(), null, null, true, Counts.NONE);
    }

    static Cursor resumed(SavedSession saved) {
        return new Cursor(saved.stageArn(), saved.sessionId(), saved.sessionEnd(), saved.participants(),
                saved.participantsNextToken(), saved.eventsNextToken(), saved.moreParticipants(), saved.counts());
    }

    SavedSession saved() {
        return new SavedSession(stageArn, sessionId, sessionEnd, participants, participantsNextToken,
                eventsNextToken, moreParticipants, counts);
    }

    /** The reading is at its end: no participant left, and no page of them after. */
    boolean isDone() {
        return participants.isEmpty() && !moreParticipants;
    }

    /** After a page of participants: they are the ones to read, then the page after it, if any. */
    Cursor afterParticipantsPage(List<String> pageParticipants, String nextToken) {
        return new Cursor(stageArn, sessionId, sessionEnd, pageParticipants, nextToken, null, nextToken != null,
                counts);
    }

    /**
     * After a page of the first participant's events, which found {@code found}: the next page of the same
     * participant, or, after its last, the next participant.
     */
    Cursor afterEventsPage(Counts found, String nextToken) {
        boolean participantDone = nextToken == null;
        return new Cursor(stageArn, sessionId, sessionEnd,
                participantDone ? participants.subList(1, participants.size()) : participants,
                participantsNextToken, nextToken, moreParticipants, plus(counts, found, participantDone ? 1 : 0));
    }

    private static Counts plus(Counts so, Counts found, long participantsDone) {
        return new Counts(so.participants() + found.participants() + participantsDone,
                so.eventsRead() + found.eventsRead(), so.eventsBackfilled() + found.eventsBackfilled(),
                so.unrecognized() + found.unrecognized(), so.invalid() + found.invalid());
    }
}
