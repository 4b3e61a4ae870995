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
import io.ivsstageevents.storage.ReconciliationProgress.Counts;
import io.ivsstageevents.storage.ReconciliationProgress.SessionProgress;
import io.ivsstageevents.storage.StageEventRecorder;
import io.ivsstageevents.time.TimeBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reconciliation run: reads, from the IVS Real-Time API, every session that ended within the lookback window
 * and has not been read yet, and sends each event it lists down the same {@link EventPath} as an EventBridge event:
 * it means what a delivered one means. What the ledger has already is a duplicate (the other form merged in);
 * what it lacks is backfilled. What is the reconciler's own is the listing, the cursor, the budget, whose events it
 * reads, and the markers. A session is marked once its reading is done, so it is read once.
 *
 * <p>Whose events ({@link Coverage}): with ALL, every participant's. With ADAPTIVE (the default), a session whose
 * participants fit one ListParticipants page is read whole; of a larger one only the participants who can carry a
 * recorded kind: those listed as published (a replication's source publishes; a token exchange that lets one
 * publish is followed by publishing), those whose summary shows replication, and those the ledger already holds
 * for the session (EventBridge told of them; the API may hold what it lost). The audience is counted page by page,
 * and the marker says how many were skipped. What that can miss: token exchanges of participants who never
 * published and of whom EventBridge delivered nothing.
 *
 * <p>The API is the authoritative record, but its quotas are shared with the customer's own applications, so
 * the client keeps to a budget of requests per second. No session holds a run hostage: each gets at most half of
 * what is left of the run when it begins, and a session not done by then is set aside until the pass over the
 * stages is over; the sessions set aside then share what is left. A run that reaches its deadline stops before its
 * next request. Each session's cursor is saved after every page it has read, at the session's own key, and the
 * next run that lists the session resumes there, so no page is skipped, and none is read twice unless a run is
 * killed between reading a page and saving its cursor (recording is idempotent, so even then nothing is counted
 * twice). A session listed unread whose end has fallen out of the lookback is never dropped silently: it is counted
 * (SessionsExpiredUnread), logged, and marked so.
 */
public final class Reconciler {
    private final IvsRealTimeApi api;
    private final EventPath eventPath;
    private final StageEventRecorder recorder;
    private final ReconciliationProgress progress;
    private final List<String> stageArns;
    private final Duration lookback;
    private final Coverage coverage;
    private final Clock clock;
    private final Log log;

    /** {@code stageArns} empty: every stage the API lists. */
    public Reconciler(IvsRealTimeApi api, EventPath eventPath, StageEventRecorder recorder,
                      ReconciliationProgress progress, List<String> stageArns, Duration lookback, Coverage coverage,
                      Clock clock, Log log) {
        this.api = api;
        this.eventPath = eventPath;
        this.recorder = recorder;
        this.progress = progress;
        this.stageArns = List.copyOf(stageArns);
        this.lookback = lookback;
        this.coverage = coverage;
        this.clock = clock;
        this.log = log;
    }

    /**
     * How a run ended: complete, or stopped at its deadline with sessions it listed still to read (exact) and
     * stages it had not listed yet.
     */
    public record Outcome(boolean complete, long sessionsPending, long stagesPending) {
    }

    /**
     * One pass over the stages, beginning with the stage the last run stopped in, so that with more stages than
     * one run can list, every stage still has its turn; then the sessions set aside at the end of their share.
     */
    public Outcome run(TimeBudget budget, ReconciliationMetrics metrics) {
        Run run = new Run(budget, metrics);
        String resumeStageArn = progress.resumeStageArn();
        Instant cutoff = clock.instant().minus(lookback);
        List<String> stages = beginningWith(resumeStageArn, stageArns.isEmpty() ? listStages() : stageArns);
        List<Cursor> setAside = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            String stageArn = stages.get(i);
            if (budget.isSpent()) {
                return run.stopped(stageArn, setAside.size(), stages.size() - i);
            }
            List<Cursor> toRead = sessionsToRead(stageArn, cutoff, run);
            for (int j = 0; j < toRead.size(); j++) {
                Reading reading = run.read(toRead.get(j), budget.half());
                if (reading.setAside()) {
                    setAside.add(reading.at());
                } else if (!reading.done()) {
                    return run.stopped(stageArn, setAside.size() + toRead.size() - j, stages.size() - i - 1);
                }
            }
        }
        for (int k = 0; k < setAside.size(); k++) {
            if (!run.read(setAside.get(k), budget).done()) {
                return run.stopped(setAside.get(k).stageArn(), setAside.size() - k, 0);
            }
        }
        if (resumeStageArn != null) {
            progress.clearCheckpoint(clock.instant());
        }
        return new Outcome(true, 0, 0);
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
     * The stage's sessions that ended at or after the cutoff and are not marked, each from its saved reading if a
     * run began it. A stage has one session at a time, so sessions listed newest first end newest first too: the
     * listing stops at the first that ended before the cutoff by more than a marker outlives the lookback, unless
     * the order seen so far says the service lists them otherwise. A session between the two that has no marker
     * was never read to its end (a marker would still be there): it is counted, logged and marked expired unread.
     */
    private List<Cursor> sessionsToRead(String stageArn, Instant cutoff, Run run) {
        Instant forgotten = cutoff.minus(ReconciliationProgress.MARKER_MARGIN);
        List<Cursor> listed = new ArrayList<>();
        Instant previousStart = null;
        boolean newestFirst = true;
        String nextToken = null;
        listing:
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
                if (end.isBefore(forgotten)) {
                    if (newestFirst) {
                        break listing;
                    }
                    continue;
                }
                listed.add(Cursor.start(stageArn, (String) session.get("sessionId"), end));
            }
            nextToken = page.nextToken();
        } while (nextToken != null);
        List<Cursor> toRead = new ArrayList<>();
        for (Cursor session : listed) {
            SessionProgress saved = progress.session(session.stageArn(), session.sessionId());
            if (saved.marked()) {
                continue;
            }
            Cursor from = saved.saved() != null ? Cursor.resumed(saved.saved()) : session;
            if (from.sessionEnd().isBefore(cutoff)) {
                run.expired(from);
            } else {
                toRead.add(from);
            }
        }
        return toRead;
    }

    /**
     * A summary whose participant can carry a recorded kind: listed as published (a replication's source
     * publishes; a token exchange that lets one publish is followed by publishing), or shown replicating.
     */
    private static boolean canCarryRecordedKinds(Map<String, Object> participant) {
        Object replicationType = participant.get("replicationType");
        return Boolean.TRUE.equals(participant.get("published"))
                || (replicationType != null && !"NONE".equals(replicationType))
                || participant.get("replicationState") != null;
    }

    private static Instant time(Object value, String member) {
        return JsonFields.timestamp(value, "stageSession." + member);
    }

    /** Where a session's reading stopped: done, set aside at the end of its share, or at the run's deadline. */
    private record Reading(Cursor at, boolean done, boolean setAside) {
    }

    /** The state of one run: its metrics, and the invocation (its budget among them) its listed events go in. */
    private final class Run {
        private final ReconciliationMetrics metrics;
        private final Invocation invocation;
        private final Map<String, Set<String>> inLedger = new HashMap<>();

        Run(TimeBudget budget, ReconciliationMetrics metrics) {
            this.metrics = metrics;
            this.invocation = Invocation.of(null, budget, recorder, metrics, log);
        }

        /**
         * Reads the session from the cursor on, a page at a time, saving the cursor after each, until it is done,
         * or its share is spent (set aside), or the run's time is (the cursor is saved as it stands).
         */
        Reading read(Cursor from, TimeBudget share) {
            Cursor at = from;
            boolean readAPage = false;
            while (!at.isDone()) {
                boolean runSpent = invocation.time().isSpent();
                // At least a page a turn, whatever the share: every turn moves the session on.
                if (runSpent || (readAPage && share.isSpent())) {
                    progress.saveSession(at.saved(), clock.instant(), lookback);
                    log.info(runSpent ? "session stopped at the run's deadline; a later run resumes it"
                                    : "session set aside at the end of its share of the run",
                            "stageArn", at.stageArn(), "sessionId", at.sessionId(),
                            "participantsRead", at.counts().participants(),
                            "participantsSkipped", at.counts().participantsSkipped());
                    return new Reading(at, false, !runSpent);
                }
                if (at.participants().isEmpty()) {
                    at = afterParticipantsPage(at);
                } else {
                    ApiPage page = api.listParticipantEvents(at.stageArn(), at.sessionId(), at.participants().get(0),
                            at.eventsNextToken());
                    at = at.afterEventsPage(record(page.items(), at.stageArn(), at.sessionId()), page.nextToken());
                    if (page.nextToken() == null) {
                        metrics.participantRead();
                    }
                }
                progress.saveSession(at.saved(), clock.instant(), lookback);
                readAPage = true;
            }
            progress.markReconciled(at.saved(), at.coverageReached(), clock.instant(), lookback);
            Counts counts = at.counts();
            metrics.sessionReconciled(counts.participantsSkipped());
            log.info("session reconciled", "stageArn", at.stageArn(), "sessionId", at.sessionId(),
                    "coverage", at.coverageReached(), "participants", counts.participants(),
                    "participantsSkipped", counts.participantsSkipped(), "eventsRead", counts.eventsRead(),
                    "eventsBackfilled", counts.eventsBackfilled(), "unrecognized", counts.unrecognized(),
                    "invalid", counts.invalid());
            return new Reading(at, true, false);
        }

        /**
         * The next page of participants, and whose events of it to read. The coverage is decided on the first
         * page: a session it holds whole (no next page) is read whole, as is every session with coverage ALL.
         */
        private Cursor afterParticipantsPage(Cursor at) {
            ApiPage page = api.listParticipants(at.stageArn(), at.sessionId(), at.participantsNextToken());
            String pageCoverage = at.coverage() != null ? at.coverage()
                    : coverage == Coverage.ALL || page.nextToken() == null
                    ? Coverage.EVERY_PARTICIPANT : Coverage.PUBLISHERS_REPLICATING_AND_LEDGER;
            List<String> chosen = new ArrayList<>();
            long skipped = 0;
            for (Map<String, Object> participant : page.items()) {
                String participantId = (String) participant.get("participantId");
                if (pageCoverage.equals(Coverage.EVERY_PARTICIPANT) || canCarryRecordedKinds(participant)
                        || ledgerOf(at).contains(participantId)) {
                    chosen.add(participantId);
                } else {
                    skipped++;
                }
            }
            return at.afterParticipantsPage(pageCoverage, chosen, skipped, page.nextToken());
        }

        /** The participants of the session the ledger holds, queried once a run, when first needed. */
        private Set<String> ledgerOf(Cursor session) {
            return inLedger.computeIfAbsent(session.stageArn() + "\n" + session.sessionId(),
                    key -> progress.participantsInLedger(session.stageArn(), session.sessionId()));
        }

        /** A session listed unread whose end fell out of the lookback: counted, logged and marked, never read. */
        void expired(Cursor unread) {
            metrics.sessionExpiredUnread();
            log.warn("session ended before the lookback and was never read to its end: not read",
                    "stageArn", unread.stageArn(), "sessionId", unread.sessionId(),
                    "sessionEnd", unread.sessionEnd().toString(), "participantsRead", unread.counts().participants());
            progress.markReconciled(unread.saved(), Coverage.EXPIRED_UNREAD, clock.instant(), lookback);
        }

        /** The run stops at its deadline; the next begins its pass with this stage. */
        Outcome stopped(String stageArn, long sessionsPending, long stagesPending) {
            progress.saveResumeStage(stageArn, clock.instant());
            return new Outcome(false, sessionsPending, stagesPending);
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
            return new Counts(0, events.size(), backfilled, unrecognized, invalid, 0);
        }
    }
}
