package io.ivsstageevents;

import io.ivsstageevents.json.JsonFields;
import io.ivsstageevents.metrics.ReconciliationMetrics;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.reconciliation.ApiPage;
import io.ivsstageevents.reconciliation.IvsRealTimeApi;
import io.ivsstageevents.storage.ReconciliationProgress;
import io.ivsstageevents.storage.ReconciliationProgress.Checkpoint;
import io.ivsstageevents.storage.ReconciliationProgress.Counts;
import io.ivsstageevents.storage.ReconciliationProgress.Cursor;
import io.ivsstageevents.storage.StageEventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One reconciliation run: reads, from the IVS Real-Time API, every session that ended within the lookback window
 * and has not been read yet, and records each token exchange and replication event it lists through the same
 * recorder as an EventBridge event. What the ledger has already is a duplicate (the other form merged in); what
 * it lacks is backfilled. A session is marked reconciled once all its participants' events are read, so it is
 * read once.
 *
 * <p>The API is the authoritative record, but its quotas are shared with the customer's own applications, so
 * the client keeps to a budget of requests per second. A run that reaches its deadline stops before its next
 * request, with the cursor of the session it is in saved after every page it has read: the next run resumes
 * there, so no page is skipped, and none is read twice unless a run is killed between reading a page and
 * saving its cursor (recording is idempotent, so even then nothing is counted twice).
 */
final class Reconciler {
    private final IvsRealTimeApi api;
    private final StageEventParser parser;
    private final StageEventRecorder recorder;
    private final ReconciliationProgress progress;
    private final List<String> stageArns;
    private final Duration lookback;
    private final Clock clock;
    private final Log log;

    Reconciler(IvsRealTimeApi api, StageEventParser parser, StageEventRecorder recorder,
               ReconciliationProgress progress, Configuration configuration, Clock clock, Log log) {
        this.api = api;
        this.parser = parser;
        this.recorder = recorder;
        this.progress = progress;
        this.stageArns = configuration.reconciliationStageArns();
        this.lookback = configuration.reconciliationLookback();
        this.clock = clock;
        this.log = log;
    }

    /** How a run ended: complete, or stopped at its deadline with sessions still to read (the metrics count the rest). */
    record Outcome(boolean complete, long sessionsPending) {
    }

    /**
     * One pass over the stages, beginning where the last run stopped: inside its session, else at the stage it
     * was about to list, so that with more stages than one run can list, every stage still has its turn.
     */
    Outcome run(Instant stopBy, ReconciliationMetrics metrics) {
        Run run = new Run(stopBy, metrics);
        Checkpoint checkpoint = progress.checkpoint();
        if (checkpoint.session() != null) {
            log.info("resuming a session a run stopped in", "stageArn", checkpoint.session().stageArn(),
                    "sessionId", checkpoint.session().sessionId());
            if (!run.read(checkpoint.session())) {
                return new Outcome(false, 1);
            }
        }
        Instant cutoff = clock.instant().minus(lookback);
        List<String> stages = beginningWith(checkpoint.stageToResume(),
                stageArns.isEmpty() ? listStages() : stageArns);
        for (String stageArn : stages) {
            if (run.outOfTime()) {
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

    /** The state of one run: its deadline, its metrics, what it has done. */
    private final class Run {
        private final Instant stopBy;
        private final ReconciliationMetrics metrics;

        Run(Instant stopBy, ReconciliationMetrics metrics) {
            this.stopBy = stopBy;
            this.metrics = metrics;
        }

        /**
         * Reads the session from the cursor on, a page at a time, saving the cursor after each; false when the
         * deadline came first (the cursor is saved as it stands).
         */
        boolean read(Cursor from) {
            Cursor at = from;
            while (!at.isDone()) {
                if (outOfTime()) {
                    progress.saveCheckpoint(at, clock.instant());
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
                progress.saveCheckpoint(at, clock.instant());
            }
            progress.markReconciled(at, clock.instant(), lookback);
            progress.clearCheckpoint(clock.instant());
            metrics.sessionReconciled(0);
            Counts counts = at.counts();
            log.info("session reconciled", "stageArn", at.stageArn(), "sessionId", at.sessionId(),
                    "participants", counts.participants(), "eventsRead", counts.eventsRead(),
                    "eventsBackfilled", counts.eventsBackfilled(), "unrecognized", counts.unrecognized(),
                    "invalid", counts.invalid());
            return true;
        }

        /**
         * Each listed event down the recorder, as if EventBridge had delivered it: a token exchange or replication
         * the ledger lacks is backfilled; one it has gets this form merged in. The other kinds are not recorded.
         */
        private Counts record(List<Map<String, Object>> events, String stageArn, String sessionId) {
            long backfilled = 0;
            long unrecognized = 0;
            long invalid = 0;
            for (Map<String, Object> listed : events) {
                try {
                    ParsedEvent parsed = parser.parseListed(listed, stageArn, sessionId);
                    if (parsed instanceof UnrecognizedEvent kept) {
                        // The API keeps it; the session's marker counts it, and the alarm on the metric fires.
                        unrecognized++;
                        metrics.unrecognized(kept.name());
                        log.warn("listed event this version cannot record", "name", kept.name(),
                                "reason", kept.reason(), "missing", kept.missing(), "stageArn", stageArn,
                                "sessionId", sessionId, "keys", String.join(",", kept.detail().keySet()));
                    } else if (parsed instanceof StageEvent event && event.mustBeRecorded()
                            && recorder.record(event) == RecordOutcome.RECORDED) {
                        backfilled++;
                        metrics.backfilled(event.eventSource().nameAsString());
                        log.info("backfilled", "name", event.eventSource().nameAsString(), "stageArn", stageArn,
                                "sessionId", sessionId, "participantId", event.eventSource().participantId());
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

        private boolean outOfTime() {
            return !clock.instant().isBefore(stopBy);
        }
    }
}
