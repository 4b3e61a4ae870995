package io.ivsstageevents.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.report.ReportPage;
import io.ivsstageevents.report.SessionFacts;
import io.ivsstageevents.report.SessionReport;
import io.ivsstageevents.report.TableReader;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The session report at scale: one session of a stage with {@value #PARTICIPANTS} participants, of whom
 * {@value #RECORDED_EVENTS} recorded events tell (the others joined, published and left, which the table does not
 * record, so they leave no row). The events go through the real function into DynamoDB Local (in this process);
 * then the report is built {@value #ROUNDS} times the way ./stage-report builds it (TableReader, SessionReport)
 * and timed from the first Query to the written page. Writes target/bench/report.md.
 *
 * <p>The events: {@value #EXCHANGES} token exchanges, one each for as many participants, and
 * {@value #REPLICATIONS} replications (a START and a STOP) of as many others, into one of four destination stages,
 * a tenth of them still active, over one hour: the most rows 2,000 events can give with both kinds of mark.
 */
public final class ReportBench {
    private static final int PARTICIPANTS = 10_000;
    private static final int EXCHANGES = 1_050;
    private static final int REPLICATIONS = 500;
    /** Every tenth replication is still active: it has no STOP. */
    private static final int RECORDED_EVENTS = 2_000;
    private static final int ROUNDS = 5;
    private static final String STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/BenchReport01";
    private static final String SESSION = "st-BenchReport001";
    private static final Instant START = Instant.parse("2026-03-14T18:00:00Z");

    private ReportBench() {
    }

    public static void main(String[] args) throws IOException {
        LocalDynamoDb dynamoDb = LocalDynamoDb.start();
        try {
            String table = dynamoDb.createTable();
            LocalFunction function = new LocalFunction(dynamoDb.client(), table);
            long writeStarted = System.nanoTime();
            int written = write(function);
            double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
            Path page = Path.of("target/bench/session-report-10000.html");
            List<Double> millis = new ArrayList<>();
            List<Double> reading = new ArrayList<>();
            SessionReport report = null;
            long bytes = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long started = System.nanoTime();
                SessionFacts facts = new TableReader(dynamoDb.client(), table).session(STAGE, SESSION, false)
                        .orElseThrow();
                reading.add((System.nanoTime() - started) / 1e6);
                report = new SessionReport(List.of(facts), "table " + table, false);
                bytes = report.writePage(page, Instant.now());
                millis.add((System.nanoTime() - started) / 1e6);
            }
            SessionFacts facts = report.sessions().get(0);
            ObjectNode json = report.json(page);
            StringBuilder md = new StringBuilder("## Session report at scale\n\n");
            md.append(String.format(Locale.ROOT, "- session: %d participants, %d recorded events written through the"
                            + " function in %.1f s (%d rows: participants with recorded events)%n", PARTICIPANTS,
                    written, writeSeconds, facts.rows().size()));
            Stats stats = Stats.of(millis);
            md.append(String.format(Locale.ROOT, "- report built (Query, GetItem, facts, page written), %d rounds:"
                    + " first %.0f ms, median %.0f ms, slowest %.0f ms (budget 5,000 ms); of which reading the"
                    + " table and making the facts: first %.0f ms, median %.0f ms%n", ROUNDS, millis.get(0),
                    stats.median(), stats.max(), reading.get(0), Stats.of(reading).median()));
            md.append(String.format(Locale.ROOT, "- page: %,d bytes (budget 3,000,000); %d token exchanges, %d"
                            + " replications (%d active); timeline in %d blocks of %d rows, event table in %d blocks"
                            + " of %d, the first of each open%n", bytes, facts.tokenExchanges(),
                    facts.replications().size(), facts.activeReplications(),
                    blocks(facts.rows().size(), ReportPage.ROWS_PER_BLOCK), ReportPage.ROWS_PER_BLOCK,
                    blocks(facts.events().size(), ReportPage.TABLE_ROWS_PER_BLOCK), ReportPage.TABLE_ROWS_PER_BLOCK));
            md.append(String.format(Locale.ROOT, "- JSON facts: %,d bytes; page: %s%n",
                    json.toString().length(), page));
            Files.createDirectories(Path.of("target/bench"));
            Files.writeString(Path.of("target/bench/report.md"), md.toString());
            System.out.print(md);
        } finally {
            dynamoDb.stop();
        }
    }

    private static int blocks(int rows, int perBlock) {
        return (rows + perBlock - 1) / perBlock;
    }

    /** The session's events through the function, in time order; how many. */
    private static int write(LocalFunction function) {
        Random random = new Random(21);
        List<Integer> participants = new ArrayList<>();
        for (int i = 0; i < PARTICIPANTS; i++) {
            participants.add(i);
        }
        Collections.shuffle(participants, random);
        int written = 0;
        long span = 3_600_000;
        for (int i = 0; i < EXCHANGES; i++) {
            ObjectNode event = event("token-exchanged.json", participants.get(i), START.plusMillis(
                    random.nextLong(span)));
            function.invoke(SampleEvents.bytes(event));
            written++;
        }
        // 500 STARTs and 450 STOPs: 2,000 events in all.
        for (int i = 0; i < REPLICATIONS; i++) {
            int participant = participants.get(EXCHANGES + i);
            Instant started = START.plusMillis(random.nextLong(span / 2));
            String destination = "arn:aws:ivs:us-west-2:123456789012:stage/BenchDest000" + (i % 4);
            ObjectNode start = event("replication-started.json", participant, started);
            ((ObjectNode) start.get("detail")).put("destination_stage_arn", destination);
            function.invoke(SampleEvents.bytes(start));
            written++;
            if (i % 10 != 0) {
                ObjectNode stop = event("replication-stopped.json", participant,
                        started.plusMillis(60_000 + random.nextLong(span / 2)));
                ((ObjectNode) stop.get("detail")).put("destination_stage_arn", destination);
                function.invoke(SampleEvents.bytes(stop));
                written++;
            }
        }
        if (written != RECORDED_EVENTS) {
            throw new IllegalStateException(written + " events written, not " + RECORDED_EVENTS);
        }
        return written;
    }

    private static ObjectNode event(String sample, int participant, Instant time) {
        ObjectNode event = SampleEvents.json(sample);
        event.put("id", UUID.nameUUIDFromBytes((sample + participant + time).getBytes(StandardCharsets.UTF_8)).toString())
                .put("time", time.toString());
        event.putArray("resources").add(STAGE);
        ((ObjectNode) event.get("detail")).put("session_id", SESSION).put("event_time", time.toString())
                .put("participant_id", String.format(Locale.ROOT, "bench%05d", participant));
        return event;
    }
}
