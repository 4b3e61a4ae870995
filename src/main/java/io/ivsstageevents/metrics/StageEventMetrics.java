package io.ivsstageevents.metrics;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.RecordOutcome;
import io.ivsstageevents.model.StageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The function's metrics, written as Embedded Metric Format documents, one per line, to the sink (stdout in
 * Lambda, where CloudWatch Logs extracts them). Build one per process; call {@link #startInvocation()} for each
 * invocation, so that no count, dimension or property can carry over from one invocation to the next.
 */
public final class StageEventMetrics {
    public static final String PARTICIPANT_ERRORS = "ParticipantErrors";
    public static final String EVENTS_RECORDED = "EventsRecorded";
    public static final String DUPLICATE_EVENTS = "DuplicateEvents";
    public static final String EVENTS_IGNORED = "EventsIgnored";
    public static final String INVALID_EVENTS = "InvalidEvents";
    public static final String UNRECOGNIZED_EVENTS = "UnrecognizedEvents";
    public static final String BATCH_SIZE = "BatchSize";
    public static final String MESSAGES_OUT_OF_TIME = "MessagesOutOfTime";
    public static final String ERROR_CODE = "ErrorCode";
    public static final String EVENT_NAME = "EventName";
    public static final String STAGE_ARN = "StageArn";

    private static final String[] COUNT_NAMES =
            {EVENTS_RECORDED, DUPLICATE_EVENTS, EVENTS_IGNORED, INVALID_EVENTS, UNRECOGNIZED_EVENTS};
    private static final int RECORDED = 0;
    private static final int DUPLICATE = 1;
    private static final int IGNORED = 2;
    private static final int INVALID = 3;
    private static final int UNRECOGNIZED = 4;

    /** CloudWatch drops metric data more than two weeks old or two hours ahead; such events count as of now. */
    private static final Duration MAX_AGE = Duration.ofDays(14).minusHours(1);
    private static final Duration MAX_AHEAD = Duration.ofHours(2).minusMinutes(5);

    private final String namespace;
    private final boolean stageDimension;
    private final Consumer<String> sink;
    private final Clock clock;

    public StageEventMetrics(String namespace, boolean stageDimension, Consumer<String> sink, Clock clock) {
        this.namespace = namespace;
        this.stageDimension = stageDimension;
        this.sink = sink;
        this.clock = clock;
    }

    public Invocation startInvocation() {
        return new Invocation();
    }

    /** The metrics of one invocation. Thread-safe: the messages of a queue batch are recorded side by side. */
    public final class Invocation implements EventMetrics {
        private final Map<String, long[]> countsByEventName = new LinkedHashMap<>();
        private int batchSize = -1;
        private int messagesOutOfTime;

        private Invocation() {
        }

        @Override
        public synchronized void recorded(StageEvent event, RecordOutcome outcome) {
            counts(event.eventSource().nameAsString())[outcome == RecordOutcome.RECORDED ? RECORDED : DUPLICATE]++;
        }

        @Override
        public synchronized void ignored(String eventName) {
            counts(eventName)[IGNORED]++;
        }

        /**
         * By its name made safe as a dimension value. One kept before is a duplicate, so that the alarm sees each
         * event once.
         */
        @Override
        public synchronized void unrecognized(String eventName, boolean seenBefore) {
            counts(eventName)[seenBefore ? DUPLICATE : UNRECOGNIZED]++;
        }

        @Override
        public synchronized void invalid() {
            counts(null)[INVALID]++;
        }

        /** Queue mode: how many messages this invocation received. */
        public synchronized void batchSize(int size) {
            this.batchSize = size;
        }

        /** Queue mode: messages reported failed without an attempt, for want of time before the timeout. */
        public synchronized void messagesOutOfTime(int count) {
            this.messagesOutOfTime = count;
        }

        /** Written at once, one document per error event. */
        @Override
        public synchronized void participantError(StageEvent event) {
            EventSource source = event.eventSource();
            String errorCode = DimensionValues.of(source.errorCodeAsString());
            EmfDocument document = new EmfDocument(namespace, timestampOf(source.eventTime()))
                    .dimensionSet(ERROR_CODE)
                    .dimensionSet(ERROR_CODE, EVENT_NAME)
                    .count(PARTICIPANT_ERRORS, 1)
                    .member(ERROR_CODE, errorCode)
                    .member(EVENT_NAME, DimensionValues.of(source.nameAsString()))
                    .member("stageArn", event.stageArn())
                    .member("sessionId", event.sessionId())
                    .member("participantId", source.participantId())
                    .member("remoteParticipantId", source.remoteParticipantId())
                    .member("eventId", event.eventId())
                    .member("eventTime", source.eventTime() == null ? null : source.eventTime().toString());
            if (DimensionValues.INVALID.equals(errorCode)) {
                document.member("errorCodeOriginal", source.errorCodeAsString());
            }
            if (stageDimension) {
                document.dimensionSet(ERROR_CODE, STAGE_ARN).member(STAGE_ARN, DimensionValues.of(event.stageArn()));
            }
            sink.accept(document.toJson());
        }

        /**
         * The invocation's operational counts: one document per event name seen, and one for events without a
         * name. Only counts above zero are written: CloudWatch bills every metric series that receives data, and
         * a zero for every event name would cost dozens of series whatever the traffic. Dashboards fill the gaps
         * with zero.
         */
        public synchronized void flush() {
            long now = clock.millis();
            for (Map.Entry<String, long[]> entry : countsByEventName.entrySet()) {
                long[] counts = entry.getValue();
                EmfDocument document = new EmfDocument(namespace, now).dimensionSet();
                boolean any = false;
                for (int i = 0; i < COUNT_NAMES.length; i++) {
                    if (counts[i] > 0) {
                        document.count(COUNT_NAMES[i], counts[i]);
                        any = true;
                    }
                }
                if (!any) {
                    continue;
                }
                if (entry.getKey() != null) {
                    document.dimensionSet(EVENT_NAME).member(EVENT_NAME, DimensionValues.of(entry.getKey()));
                }
                sink.accept(document.toJson());
            }
            if (batchSize >= 0) {
                EmfDocument document = new EmfDocument(namespace, now).dimensionSet().count(BATCH_SIZE, batchSize);
                if (messagesOutOfTime > 0) {
                    document.count(MESSAGES_OUT_OF_TIME, messagesOutOfTime);
                }
                sink.accept(document.toJson());
            }
        }

        private long[] counts(String eventName) {
            return countsByEventName.computeIfAbsent(eventName, name -> new long[COUNT_NAMES.length]);
        }

        private long timestampOf(Instant eventTime) {
            Instant now = clock.instant();
            boolean inWindow = eventTime != null
                    && eventTime.isAfter(now.minus(MAX_AGE)) && eventTime.isBefore(now.plus(MAX_AHEAD));
            return (inWindow ? eventTime : now).toEpochMilli();
        }
    }
}
