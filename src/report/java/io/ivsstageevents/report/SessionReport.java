package io.ivsstageevents.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.report.SessionFacts.Kept;
import io.ivsstageevents.report.SessionFacts.Origin;
import io.ivsstageevents.report.SessionFacts.Recorded;
import io.ivsstageevents.report.SessionFacts.Replication;
import io.ivsstageevents.report.SessionFacts.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A report of sessions in its three forms: the page (ReportPage), the same facts as JSON for programs, and a
 * short summary for the terminal. Both commands (./invoke-local --report and ./stage-report) end here.
 */
public final class SessionReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SessionFacts> sessions;
    private final String source;
    private final boolean personalData;

    /** source: where the facts were read, as the page names it (a table and, for DynamoDB Local, its endpoint). */
    public SessionReport(List<SessionFacts> sessions, String source, boolean personalData) {
        this.sessions = List.copyOf(sessions);
        this.source = source;
        this.personalData = personalData;
    }

    public List<SessionFacts> sessions() {
        return sessions;
    }

    /** Writes the page; its size in bytes. */
    public long writePage(Path file, Instant now) {
        byte[] page = ReportPage.render(sessions, source, now, personalData).getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file, e);
        }
        return page.length;
    }

    /** A few lines a person reads in the terminal: one per session, and where the page is. */
    public List<String> summary(Path page) {
        List<String> lines = new ArrayList<>();
        lines.add("report: " + sessions.size() + (sessions.size() == 1 ? " session" : " sessions")
                + (page == null ? "" : " -> " + page) + (personalData ? " (with personal data)" : ""));
        for (SessionFacts session : sessions) {
            lines.add("  " + session.stageArn() + " " + session.sessionId() + ": " + session.first() + " to "
                    + session.last() + ", " + session.rows().size() + " participants with recorded events, "
                    + session.events().size() + " events (EventBridge only " + session.count(Origin.EVENTBRIDGE)
                    + ", API only " + session.count(Origin.API) + ", both " + session.count(Origin.BOTH) + "), "
                    + session.tokenExchanges() + " token exchanges, " + session.replications().size()
                    + " replications (" + session.activeReplications() + " active), " + session.kept().size()
                    + " kept, " + (session.reconciliation() == null ? "not reconciled" : "reconciled"));
        }
        return lines;
    }

    /** The facts for programs: {"page":…,"sessions":[…]}; personal data only if the report was made with it. */
    public ObjectNode json(Path page) {
        ObjectNode report = JSON.createObjectNode();
        if (page == null) {
            report.putNull("page");
        } else {
            report.put("page", page.toString());
        }
        report.put("personalData", personalData);
        ArrayNode array = report.putArray("sessions");
        sessions.forEach(session -> session(array.addObject(), session));
        return report;
    }

    private static void session(ObjectNode json, SessionFacts session) {
        json.put("stageArn", session.stageArn()).put("sessionId", session.sessionId())
                .put("firstEvent", session.first().toString()).put("lastEvent", session.last().toString())
                .put("participantsWithRecordedEvents", session.rows().size())
                .put("events", session.events().size())
                .put("fromEventBridgeOnly", session.count(Origin.EVENTBRIDGE))
                .put("fromApiOnly", session.count(Origin.API)).put("fromBoth", session.count(Origin.BOTH))
                .put("tokenExchanges", session.tokenExchanges())
                .put("activeReplications", session.activeReplications());
        SessionFacts.Reconciliation reconciliation = session.reconciliation();
        if (reconciliation == null) {
            json.putNull("reconciliation");
        } else {
            json.putObject("reconciliation").put("sessionEnd", String.valueOf(reconciliation.sessionEnd()))
                    .put("reconciledAt", String.valueOf(reconciliation.reconciledAt()))
                    .put("participantsRead", reconciliation.participantsRead())
                    .put("eventsRead", reconciliation.eventsRead())
                    .put("eventsBackfilled", reconciliation.eventsBackfilled())
                    .put("unrecognized", reconciliation.unrecognized()).put("invalid", reconciliation.invalid());
        }
        ArrayNode participants = json.putArray("participants");
        for (Row row : session.rows()) {
            ObjectNode participant = participants.addObject().put("participantId", row.participantId());
            ArrayNode exchanges = participant.putArray("tokenExchanges");
            row.exchanges().forEach(exchange -> exchange(exchanges.addObject(), exchange));
        }
        ArrayNode replications = json.putArray("replications");
        session.replications().forEach(replication -> replication(replications.addObject(), replication));
        ArrayNode kept = json.putArray("kept");
        for (Kept event : session.kept()) {
            ObjectNode item = kept.addObject().put("time", String.valueOf(event.time())).put("name", event.name())
                    .put("reason", event.reason());
            event.detailKeys().forEach(item.putArray("detailKeys")::add);
            if (event.detail() != null) {
                item.put("detail", event.detail());
            }
        }
    }

    private static void exchange(ObjectNode json, Recorded exchange) {
        json.put("time", exchange.time().toString()).put("source", exchange.origin().label());
        if (exchange.capabilitiesBefore() != null) {
            exchange.capabilitiesBefore().forEach(json.putArray("capabilitiesBefore")::add);
        }
        if (exchange.capabilitiesAfter() != null) {
            exchange.capabilitiesAfter().forEach(json.putArray("capabilitiesAfter")::add);
        }
        exchange.attributeKeys().forEach(json.putArray("attributeKeys")::add);
        if (!exchange.attributeValues().isEmpty()) {
            ObjectNode attributes = json.putObject("attributes");
            exchange.attributeValues().forEach(attributes::put);
        }
        if (exchange.userId() != null) {
            json.put("userId", exchange.userId());
        }
    }

    private static void replication(ObjectNode json, Replication replication) {
        json.put("participantId", replication.participantId())
                .put("destinationStageArn", replication.destinationStageArn())
                .put("destinationSessionId", replication.destinationSessionId()).put("state", replication.state());
        end(json, "started", replication.start());
        end(json, "stopped", replication.stop());
        if (replication.start() != null && replication.stop() != null) {
            json.put("durationMillis", Duration.between(replication.start().time(), replication.stop().time())
                    .toMillis());
        }
    }

    private static void end(ObjectNode json, String name, Recorded end) {
        if (end == null) {
            json.putNull(name + "At");
        } else {
            json.put(name + "At", end.time().toString()).put(name + "Source", end.origin().label());
        }
    }
}
