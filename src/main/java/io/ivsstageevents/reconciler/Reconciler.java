package io.ivsstageevents.reconciler;

import io.ivsstageevents.ivsapi.ApiPage;
import io.ivsstageevents.ivsapi.IvsRealTimeApi;
import io.ivsstageevents.json.JsonFields;
import io.ivsstageevents.metrics.ReconciliationMetrics;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.path.EventPath;
import io.ivsstageevents.path.Invocation;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.storage.ReconciliationProgress;
import io.ivsstageevents.storage.ReconciliationProgress.Checkpoint;
import io.ivsstageevents.storage.ReconciliationProgress.Counts;
import io.ivsstageevents.time.TimeBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One reconciliation run: reads, from the IVS Real-Time API, every session that ended within the lookback window
 * and has not been read yet, and sends each event it lists down the same {@link EventPath} as an EventBridge event:
 * it means what a delivered one means. What the ledger has already is a duplicate (the other form merged in);
 * what it lacks is backfilled. What is the reconciler's own is the listing, the cursor, the budget and the
 * markers. A session is marked reconciled once all its participants' events are read, so it is
 * read once.
 *
 * <p>The API is the authoritative record, but its quotas are shared with the customer's own applications, so
 * the client keeps to a budget of requests per second. A run that reaches its deadline stops before its next
 * request, with the cursor of the session it is in saved after every page it has read: the next run resumes
 * there, so no page is skipped, and none is read twice unless a run is killed between reading a page and
 * saving its cursor (recording is idempotent, so even then nothing is counted twice).
 */
public final class Reconciler {
    private final IvsRealTimeApi api;
    private final EventPath eventPath;
    private final ReconciliationProgress progress;
    private final List<String> stageArns;
    private final Duration lookback;
    private final Clock clock;
    private final Log log;

    /** {@code stageArns} empty: every stage the API lists. */
    public Reconciler(IvsRealTimeApi api, EventPath eventPath, ReconciliationProgress progress,
                      List<String> stageArns, Duration lookback, Clock clock, Log log) {
        this.api = api;
        this.eventPath = eventPath;
        this.progress = progress;
        this.stageArns = List.copyOf(stageArns);
        this.lookback = lookback;
        this.clock = clock;
        this.log = log;
    }

    /** How a run ended: complete, or stopped at its deadline with sessions still to read (the metrics count the rest). */
    public record Outcome(boolean complete, long sessionsPending) {
    }

    /**
     * One pass over the stages, beginning where the last run stopped: inside its session, else at the stage it
     * was about to list, so that with more stages than one run can list, every stage still has its turn.
     */
    public Outcome run(TimeBudget budget, ReconciliationMetrics metrics) {
        Run run = new Run(budget, metrics);
        Checkpoint checkpoint = progress.checkpoint();
        String stageToResume = checkpoint.resumeStageArn();
        if (checkpoint.session() != null) {
            Cursor resumed = Cursor.resumed(checkpoint.session());
            stageToResume = resumed.stageArn();
            log.info("resuming a session a run stopped in", "stageArn", resumed.stageArn(),
                    "sessionId", resumed.sessionId());
            if (!run.read(resumed)) {
                return new Outcome(false, 1);
            }
        }
        Instant cutoff = clock.instant().minus(lookback);
        List<String> stages = beginningWith(stageToResume,
                stageArns.isEmpty() ? listStages() : stageArns);
        for (String stageArn : stages) {
            if (run.invocation.time().isSpent()) {
                progress.saveResumeStage(stageArn, clock.instant());
                // At least one: how many this stage and the ones after it hold is not known until listed.
                return new Outcome(false, 1);
            }
            List<Cursor> toRead = sessionsToRead(stageArn, cutoff);
            for (int j = 0; j < toRead.size(); j++) {
                if (!run.read(toRead.get(j))) {
                    // A lower bound: the stages after this one are not listed yet.
                    return new Outcome(false, toRead.size() - j);
                }
            }
        }
        if (checkpoint.resumeStageArn() != null) {
            progress.clearCheckpoint(clock.instant());
        }
        return new Outcome(true, 0);
    }

    /** The stages in their order, rotated to begin with the given one (if it is still among them). */
    private static List<String> beginningWith(String first, List<String> stages) {
        int at = first == null ? -1 : stages.indexOf(first);
        if (at <= 0) {
            return stages;
        }
        List<String> rotated = new ArrayList<>(stages.subList(at, stages.size()));
        rotated.addAll(stages.subList(0, at));
        return rotated;
    }

    private List<String> listStages() {
        List<String> arns = new ArrayList<>();
        for (Map<String, Object> stage : ApiPage.collectAll(api::listStages)) {
            arns.add((String) stage.get("arn"));
        }
        return arns;
    }

    /**
     * The stage's sessions that ended at or after the cutoff and are not marked reconciled. A stage has one
     * session at a time, so sessions listed newest first end newest first too: the listing stops at the first
     * that ended before the cutoff, unless the order seen so far says the service lists them otherwise.
     */
    private List<Cursor> sessionsToRead(String stageArn, Instant cutoff) {
        List<Cursor> toRead = new ArrayList<>();
        Instant previousStart = null;
        boolean newestFirst = true;
        String nextToken = null;
        do {
            ApiPage page = api.listStageSessions(stageArn, nextToken);
            for (Map<String, Object> session : page.items()) {
                Instant start = time(session.get("startTime"), "startTime");
                newestFirst &= previousStart == null || start == null || !start.isAfter(previousStart);
                previousStart = start == null ? previousStart : start;
                Instant end = time(session.get("endTime"), "endTime");
                if (end == null) {
                    continue;
                }
                if (end.isBefore(cutoff)) {
                    if (newestFirst) {
                        return unreconciled(toRead);
                    }
                    continue;
                }
                toRead.add(Cursor.start(stageArn, (String) session.get("sessionId"), end));
            }
            nextToken = page.nextToken();
        } while (nextToken != null);
        return unreconciled(toRead);
    }

    private List<Cursor> unreconciled(List<Cursor> sessions) {
        List<Cursor> toRead = new ArrayList<>();
        for (Cursor session : sessions) {
            if (!progress.isReconciled(session.stageArn(), session.sessionId())) {
                toRead.add(session);
            }
        }
        return toRead;
    }

    private static Instant time(Object value, String member) {
        return JsonFields.timestamp(value, "stageSession." + member);
    }

    /** The state of one run: its metrics, and the invocation (its budget among them) its listed events go in. */
    private final class Run {
        private final ReconciliationMetrics metrics;
        private final Invocation invocation;

        Run(TimeBudget budget, ReconciliationMetrics metrics) {
            this.metrics = metrics;
            this.invocation = Invocation.of(null, budget, metrics, log);
        }

        /**
         * Reads the session from the cursor on, a page at a time, saving the cursor after each; false when the
         * deadline came first (the cursor is saved as it stands).
         */
        boolean read(Cursor from) {
            Cursor at = from;
            while (!at.isDone()) {
                if (invocation.time().isSpent()) {
                    progress.saveCheckpoint(at.saved(), clock.instant());
                    return false;
                }
                if (at.participants().isEmpty()) {
                    ApiPage page = api.listParticipants(at.stageArn(), at.sessionId(), at.participantsNextToken());
                    List<String> participants = new ArrayList<>();
                    page.items().forEach(participant -> participants.add((String) participant.get("participantId")));
                    at = at.afterParticipantsPage(participants, page.nextToken());
                } else {
                    ApiPage page = api.listParticipantEvents(at.stageArn(), at.sessionId(), at.participants().get(0),
                            at.eventsNextToken());
                    at = at.afterEventsPage(record(page.items(), at.stageArn(), at.sessionId()), page.nextToken());
                }
                progress.saveCheckpoint(at.saved(), clock.instant());
            }
            progress.markReconciled(at.saved(), clock.instant(), lookback);
            progress.clearCheckpoint(clock.instant());
            metrics.sessionReconciled();
            Counts counts = at.counts();
            log.info("session reconciled", "stageArn", at.stageArn(), "sessionId", at.sessionId(),
                    "participants", counts.participants(), "eventsRead", counts.eventsRead(),
                    "eventsBackfilled", counts.eventsBackfilled(), "unrecognized", counts.unrecognized(),
                    "invalid", counts.invalid());
            return true;
        }

        /**
         * Each listed event down the path, as if EventBridge had delivered it: a token exchange or replication the
         * ledger lacks is backfilled; one it has gets this form merged in. An invalid one is counted and logged, and
         * the reading goes on.
         */
        private Counts record(List<Map<String, Object>> events, String stageArn, String sessionId) {
            long backfilled = 0;
            long unrecognized = 0;
            long invalid = 0;
            for (Map<String, Object> listed : events) {
                try {
                    EventPath.Decided decided = eventPath.runListed(listed, stageArn, sessionId, invocation);
                    if (decided.event() instanceof UnrecognizedEvent) {
                        unrecognized++;
                    } else if (decided.recorded() == RecordOutcome.RECORDED) {
                        backfilled++;
                    }
                } catch (InvalidEventException e) {
                    invalid++;
                    metrics.invalid();
                    log.error("listed event invalid, not recorded: " + e.getMessage(), "stageArn", stageArn,
                            "sessionId", sessionId);
                }
            }
            return new Counts(0, events.size(), backfilled, unrecognized, invalid);
        }
    }
}
