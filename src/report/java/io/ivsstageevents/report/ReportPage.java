package io.ivsstageevents.report;

import io.ivsstageevents.report.SessionFacts.Kept;
import io.ivsstageevents.report.SessionFacts.Origin;
import io.ivsstageevents.report.SessionFacts.Recorded;
import io.ivsstageevents.report.SessionFacts.Replication;
import io.ivsstageevents.report.SessionFacts.Row;
import io.ivsstageevents.report.SessionFacts.Segment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched, so it opens offline
 * from a file or a ticket. Per session a header of counts, a timeline (one row per participant with recorded
 * events), and the same facts as tables. Stable hooks for programs and the browser check: {@code data-session},
 * {@code data-row}, {@code data-replication}, {@code data-exchange}, {@code data-event}, {@code data-kept}.
 *
 * <p>Large sessions stay legible by folding: the timeline in blocks of {@value #ROWS_PER_BLOCK} rows and the
 * tables in blocks of {@value #TABLE_ROWS_PER_BLOCK}, each after the first in a closed {@code <details>}.
 */
public final class ReportPage {
    public static final int ROWS_PER_BLOCK = 100;
    public static final int TABLE_ROWS_PER_BLOCK = 250;

    private static final int LABEL_WIDTH = 150;
    private static final int PLOT_WIDTH = 860;
    private static final int PLOT_MARGIN = 10;
    private static final int WIDTH = LABEL_WIDTH + PLOT_WIDTH + 90;
    private static final int AXIS_HEIGHT = 26;
    private static final int LANE_HEIGHT = 18;
    private static final int BAR_HEIGHT = 14;
    private static final int BAND_HEIGHT = 10;
    /** Roughly the width of a character of the 11px labels, to decide whether a label fits in its bar. */
    private static final double CHARACTER_WIDTH = 7.6;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root{--ink:#1a202c;--muted:#5a6678;--rule:#e2e8f0;--api:#b83280;--rep:#dd6b20}
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
            main{max-width:1140px;margin:0 auto;padding:20px 20px 40px}
            h1{font-size:22px;margin:0 0 4px}
            h2{font-size:18px;margin:0 0 10px;word-break:break-all}
            h3{font-size:15px;margin:22px 0 8px}
            .note{color:var(--muted);margin:0 0 12px}
            .session{border-top:3px solid var(--ink);margin-top:26px;padding-top:14px}
            .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px;margin:0 0 14px}
            .facts div{background:#f7fafc;border:1px solid var(--rule);border-radius:6px;padding:6px 10px}
            .facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
            .facts dd{margin:0;font-weight:600}
            .facts .wide dd{overflow-wrap:anywhere}
            .facts .wide{grid-column:1/-1}
            .facts .api{border:1.5px dashed var(--api)}.facts .api dd{color:var(--api)}
            svg{display:block;max-width:100%;height:auto}
            svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
            svg .label{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
            svg .tick{font-size:10.5px;fill:var(--muted)}
            .grid{stroke:var(--rule)}
            .row-bg{fill:#fff}
            .row:nth-child(even) .row-bg{fill:#f7fafc}
            .cap-ps{fill:#38a169}.cap-s{fill:#4299e1}.cap-p{fill:#9f7aea}.cap-none{fill:#a0aec0}
            .cap.before{opacity:.35}
            .replication rect{fill:var(--rep)}
            .replication text{fill:#fff;font-weight:600}
            .replication text.outside{fill:#9c4221}
            .replication.active rect{fill:#ed8936}
            .replication .open{fill:#ed8936}
            .replication text.state{fill:#9c4221;font-weight:700}
            .replication.start-unknown rect{opacity:.55}
            .exchange{fill:var(--ink);stroke:#fff;stroke-width:1}
            .api-only.exchange,.api-only .end{fill:#fff;stroke:var(--api);stroke-width:2}
            .replication.api-only rect{stroke:var(--api);stroke-width:2;stroke-dasharray:5 3}
            .replication .end{fill:none}
            table{border-collapse:collapse;width:100%;font-size:13px}
            th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--rule);vertical-align:top}
            th{background:#edf2f7;position:sticky;top:0}
            td.time,td.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:nowrap}
            .badge{display:inline-block;padding:0 6px;border-radius:9px;font-size:11.5px;border:1px solid var(--rule)}
            .badge.api{color:var(--api);border:1.5px dashed var(--api);font-weight:600}
            .badge.both{color:#2c5282;border-color:#90cdf4}
            details{margin:6px 0}
            summary{cursor:pointer;color:#2b6cb0}
            .legend{border:1px solid var(--rule);border-radius:6px;padding:6px 10px;margin:10px 0 0}
            """;

    private ReportPage() {
    }

    /** source: where the facts were read (the table's name), for the page's first line. */
    public static String render(List<SessionFacts> sessions, String source, Instant generatedAt,
                                boolean personalData) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>Stage sessions: what happened</title><style>").append(STYLE)
                .append("</style></head><body><main>\n<h1>What happened on the stage</h1>\n<p class=\"note\">")
                .append(sessions.size()).append(sessions.size() == 1 ? " session" : " sessions").append(" from ")
                .append(escape(source)).append(", written ").append(DATE_TIME.format(generatedAt)).append(". ")
                .append(personalData ? "<strong>Holds personal data</strong>: token attribute values and user ids."
                        : "No personal data: attribute keys only, no attribute values, no user ids.")
                .append("</p>\n");
        legend(html);
        if (sessions.isEmpty()) {
            html.append("<p>The table holds no recorded event of the sessions asked for.</p>\n");
        }
        for (SessionFacts session : sessions) {
            session(html, session);
        }
        return html.append("</main></body></html>\n").toString();
    }

    private static void legend(StringBuilder html) {
        html.append("<div class=\"legend\"><svg viewBox=\"0 0 1100 40\" width=\"1100\" height=\"40\" role=\"img\"")
                .append(" aria-label=\"Legend\">");
        int x = 4;
        x = legendItem(html, x, "<rect class=\"cap cap-ps\" x=\"0\" y=\"-4\" width=\"26\" height=\"8\"/>",
                "publish and subscribe");
        x = legendItem(html, x, "<rect class=\"cap cap-s\" x=\"0\" y=\"-4\" width=\"26\" height=\"8\"/>",
                "subscribe only");
        x = legendItem(html, x, "<rect class=\"cap cap-none\" x=\"0\" y=\"-4\" width=\"26\" height=\"8\"/>",
                "no capability");
        x = legendItem(html, x, "<rect class=\"cap cap-s before\" x=\"0\" y=\"-4\" width=\"26\" height=\"8\"/>",
                "before the first exchange");
        legendItem(html, x, "<path class=\"exchange\" d=\"M13,-6 l6,6 -6,6 -6,-6z\"/>", "token exchange");
        x = 4;
        html.append("<g transform=\"translate(0,14)\">");
        x = legendItem(html, x, "<g class=\"replication\"><rect x=\"0\" y=\"-6\" width=\"26\" height=\"12\""
                + " rx=\"2\"/></g>", "replication (labelled with the destination stage)");
        x = legendItem(html, x, "<g class=\"replication active\"><rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\""
                + " rx=\"2\"/><path class=\"open\" d=\"M20,-6 l7,6 -7,6z\"/></g>", "still active");
        x = legendItem(html, x, "<path class=\"exchange api-only\" d=\"M13,-6 l6,6 -6,6 -6,-6z\"/>",
                "dashed magenta: only the IVS API told of it");
        html.append("</g></svg></div>\n");
    }

    private static int legendItem(StringBuilder html, int x, String mark, String text) {
        html.append("<g transform=\"translate(").append(x).append(",12)\">").append(mark)
                .append("<text x=\"32\" y=\"4\">").append(escape(text)).append("</text></g>");
        return x + 40 + (int) Math.round(text.length() * CHARACTER_WIDTH) + 14;
    }

    private static void session(StringBuilder html, SessionFacts session) {
        html.append("<section class=\"session\" data-session data-stage=\"").append(escape(session.stageArn()))
                .append("\" data-session-id=\"").append(escape(session.sessionId())).append("\" data-rows=\"")
                .append(session.rows().size()).append("\" data-replications=\"")
                .append(session.replications().size()).append("\">\n<h2>Session ")
                .append(escape(session.sessionId())).append(" on stage ")
                .append(escape(stageLabel(session.stageArn()))).append("</h2>\n<dl class=\"facts\">");
        fact(html, "stage", session.stageArn(), true);
        fact(html, "first event", DATE_TIME.format(session.first()), false);
        fact(html, "last event", DATE_TIME.format(session.last()), false);
        fact(html, "participants with recorded events", String.valueOf(session.rows().size()), false);
        fact(html, "recorded events", String.valueOf(session.events().size()), false);
        fact(html, "from EventBridge only", String.valueOf(session.count(Origin.EVENTBRIDGE)), false);
        html.append(session.count(Origin.API) > 0 ? "<div class=\"api\">" : "<div>").append("<dt>from the API only")
                .append("</dt><dd>").append(session.count(Origin.API)).append("</dd></div>");
        fact(html, "from both", String.valueOf(session.count(Origin.BOTH)), false);
        fact(html, "token exchanges", String.valueOf(session.tokenExchanges()), false);
        fact(html, "replications (active)", session.replications().size() + " (" + session.activeReplications()
                + ")", false);
        fact(html, "kept as unrecognized", String.valueOf(session.kept().size()), false);
        SessionFacts.Reconciliation reconciliation = session.reconciliation();
        fact(html, "reconciled from the IVS API", reconciliation == null
                ? "not yet: the reconciler reads a session once it has ended"
                : "session ended " + DATE_TIME.format(reconciliation.sessionEnd()) + "; read "
                + DATE_TIME.format(reconciliation.reconciledAt()) + ": " + reconciliation.participantsRead()
                + " participants, " + reconciliation.eventsRead() + " events, "
                + reconciliation.eventsBackfilled() + " backfilled, " + reconciliation.unrecognized()
                + " unrecognized, " + reconciliation.invalid() + " invalid", true);
        html.append("</dl>\n");
        timeline(html, session);
        eventTable(html, session);
        replicationTable(html, session);
        keptTable(html, session);
        html.append("</section>\n");
    }

    private static void fact(StringBuilder html, String name, String value, boolean wide) {
        html.append(wide ? "<div class=\"wide\">" : "<div>").append("<dt>").append(escape(name))
                .append("</dt><dd>").append(escape(value)).append("</dd></div>");
    }

    // --- the timeline

    private static void timeline(StringBuilder html, SessionFacts session) {
        html.append("<h3>Timeline</h3>\n");
        Axis axis = new Axis(session.first(), session.axisEnd());
        List<Row> rows = session.rows();
        for (int from = 0; from < rows.size(); from += ROWS_PER_BLOCK) {
            List<Row> block = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_BLOCK));
            if (from > 0) {
                html.append("<details><summary>Participants ").append(from + 1).append(" to ")
                        .append(from + block.size()).append(" of ").append(rows.size()).append("</summary>\n");
            }
            svg(html, axis, block);
            if (from > 0) {
                html.append("</details>\n");
            }
        }
    }

    private static void svg(StringBuilder html, Axis axis, List<Row> rows) {
        int height = AXIS_HEIGHT;
        for (Row row : rows) {
            height += rowHeight(row);
        }
        html.append("<svg class=\"timeline\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"Timeline of ").append(rows.size())
                .append(" participants; the tables below hold the same facts\">");
        for (Instant tick : axis.ticks()) {
            double x = axis.x(tick);
            html.append("<line class=\"grid\" x1=\"").append(fixed(x)).append("\" x2=\"").append(fixed(x))
                    .append("\" y1=\"").append(AXIS_HEIGHT - 6).append("\" y2=\"").append(height).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(fixed(x)).append("\" y=\"14\" text-anchor=\"middle\">")
                    .append(axis.label(tick)).append("</text>");
        }
        html.append("<g>");
        int y = AXIS_HEIGHT;
        for (Row row : rows) {
            row(html, axis, row, y);
            y += rowHeight(row);
        }
        html.append("</g></svg>\n");
    }

    private static int lanes(Row row) {
        return (int) Math.max(1, row.replications().stream().map(Replication::destinationStageArn).distinct().count());
    }

    private static int rowHeight(Row row) {
        return 10 + lanes(row) * LANE_HEIGHT + BAND_HEIGHT + 8;
    }

    private static void row(StringBuilder html, Axis axis, Row row, int y) {
        int height = rowHeight(row);
        html.append("<g class=\"row\" data-row data-participant=\"").append(escape(row.participantId()))
                .append("\" transform=\"translate(0,").append(y).append(")\"><rect class=\"row-bg\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\"/><text class=\"label\" x=\"6\" y=\"")
                .append(height / 2 + 4).append("\">").append(escape(row.participantId())).append("</text>");
        int bandY = height - 8 - BAND_HEIGHT;
        for (Segment segment : row.capabilities()) {
            double x1 = axis.x(segment.from());
            double x2 = Math.max(axis.x(segment.to()), x1 + 1);
            html.append("<rect class=\"cap ").append(capabilityClass(segment.capabilities()))
                    .append(segment.beforeFirstExchange() ? " before" : "").append("\" data-capability=\"")
                    .append(escape(String.join(" ", segment.capabilities()))).append("\" x=\"").append(fixed(x1))
                    .append("\" y=\"").append(bandY).append("\" width=\"").append(fixed(x2 - x1))
                    .append("\" height=\"").append(BAND_HEIGHT).append("\"><title>")
                    .append(segment.beforeFirstExchange() ? "before the first exchange: " : "from ")
                    .append(segment.beforeFirstExchange() ? "" : TIME.format(segment.from()) + ": ")
                    .append(escape(capabilityText(segment.capabilities()))).append("</title></rect>");
        }
        List<String> destinations = row.replications().stream().map(Replication::destinationStageArn).distinct()
                .toList();
        for (Replication replication : row.replications()) {
            int laneY = 8 + destinations.indexOf(replication.destinationStageArn()) * LANE_HEIGHT;
            replicationBar(html, axis, replication, laneY);
        }
        for (Recorded exchange : row.exchanges()) {
            double x = axis.x(exchange.time());
            int cy = bandY + BAND_HEIGHT / 2;
            html.append("<path class=\"exchange").append(exchange.origin() == Origin.API ? " api-only" : "")
                    .append("\" data-exchange data-origin=\"").append(originKey(exchange.origin()))
                    .append("\" d=\"M").append(fixed(x)).append(',').append(cy - 7).append(" l7,7 -7,7 -7,-7z\"><title>")
                    .append(TIME.format(exchange.time())).append(" token exchanged: ")
                    .append(escape(exchangeText(exchange))).append(" (").append(exchange.origin().label())
                    .append(")</title></path>");
        }
        html.append("</g>");
    }

    private static void replicationBar(StringBuilder html, Axis axis, Replication replication, int y) {
        boolean active = replication.stop() == null;
        double x1 = replication.start() == null ? axis.plotStart() : axis.x(replication.start().time());
        double x2 = active ? axis.plotEnd() : axis.x(replication.stop().time());
        double width = Math.max(2, x2 - x1);
        html.append("<g class=\"replication").append(active ? " active" : "")
                .append(replication.start() == null ? " start-unknown" : "")
                .append(replication.toldOnlyByTheApi() ? " api-only" : "").append("\" data-replication data-state=\"")
                .append(replication.state()).append("\" data-destination=\"")
                .append(escape(replication.destinationStageArn())).append("\"><title>")
                .append(escape(replicationText(replication))).append("</title><rect x=\"").append(fixed(x1))
                .append("\" y=\"").append(y).append("\" width=\"").append(fixed(width)).append("\" height=\"")
                .append(BAR_HEIGHT).append("\" rx=\"2\"/>");
        if (active) {
            html.append("<path class=\"open\" d=\"M").append(fixed(x2)).append(',').append(y - 1)
                    .append(" l8,").append(BAR_HEIGHT / 2 + 1).append(" -8,").append(BAR_HEIGHT / 2 + 1)
                    .append("z\"/><text class=\"state\" x=\"").append(fixed(x2 + 11)).append("\" y=\"")
                    .append(y + 11).append("\">ACTIVE</text>");
        }
        String label = replication.destinationLabel();
        boolean fits = width > label.length() * CHARACTER_WIDTH + 8;
        html.append("<text").append(fits ? "" : " class=\"outside\"").append(" x=\"")
                .append(fixed(fits ? x1 + 4 : x2 + (active ? 64 : 4))).append("\" y=\"").append(y + 11).append("\">")
                .append(escape(label)).append("</text></g>");
    }

    // --- the tables

    private static void eventTable(StringBuilder html, SessionFacts session) {
        html.append("<h3>Recorded events</h3>\n");
        folded(html, session.events(), "events",
                "<tr><th>time (UTC)</th><th>participant</th><th>event</th><th>what</th><th>came from</th></tr>",
                (out, event) -> out.append("<tr data-event><td class=\"time\">").append(TIME.format(event.time()))
                        .append("</td><td class=\"id\">").append(escape(event.participantId())).append("</td><td>")
                        .append(escape(event.name())).append("</td><td>").append(escape(eventText(event)))
                        .append("</td><td>").append(badge(event.origin())).append("</td></tr>"));
    }

    private static void replicationTable(StringBuilder html, SessionFacts session) {
        if (session.replications().isEmpty()) {
            return;
        }
        html.append("<h3>Replications</h3>\n");
        folded(html, session.replications(), "replications", "<tr><th>participant</th><th>destination stage</th>"
                        + "<th>started (UTC)</th><th>stopped (UTC)</th><th>lasted</th><th>state</th></tr>",
                (out, replication) -> out.append("<tr data-replication-row><td class=\"id\">")
                        .append(escape(replication.participantId())).append("</td><td class=\"id\" title=\"")
                        .append(escape(replication.destinationStageArn())).append("\">")
                        .append(escape(replication.destinationLabel()))
                        .append(replication.destinationSessionId() == null ? ""
                                : " / " + escape(replication.destinationSessionId()))
                        .append("</td><td class=\"time\">").append(end(replication.start()))
                        .append("</td><td class=\"time\">").append(end(replication.stop())).append("</td><td>")
                        .append(escape(lasted(replication))).append("</td><td>").append(replication.state())
                        .append("</td></tr>"));
    }

    private static void keptTable(StringBuilder html, SessionFacts session) {
        if (session.kept().isEmpty()) {
            return;
        }
        html.append("<h3>Kept as unrecognized</h3>\n<p class=\"note\">Events of this session this version could")
                .append(" not record, kept whole in the table (see &ldquo;Unrecognized events&rdquo; in the")
                .append(" project's docs/EVENTS.md).</p>\n");
        boolean detail = session.personalData();
        folded(html, session.kept(), "kept events", "<tr><th>time (UTC)</th><th>name</th><th>reason</th><th>"
                        + (detail ? "detail" : "detail keys") + "</th></tr>",
                (out, kept) -> out.append("<tr data-kept><td class=\"time\">")
                        .append(kept.time() == null ? "" : TIME.format(kept.time())).append("</td><td>")
                        .append(escape(kept.name())).append("</td><td>").append(escape(kept.reason()))
                        .append("</td><td>").append(escape(detail ? kept.detail() : String.join(", ",
                                kept.detailKeys()))).append("</td></tr>"));
    }

    private interface RowWriter<T> {
        void write(StringBuilder html, T value);
    }

    private static <T> void folded(StringBuilder html, List<T> values, String what, String header,
                                   RowWriter<T> writer) {
        for (int from = 0; from < values.size(); from += TABLE_ROWS_PER_BLOCK) {
            int to = Math.min(values.size(), from + TABLE_ROWS_PER_BLOCK);
            if (from > 0) {
                html.append("<details><summary>").append(escape(what)).append(' ').append(from + 1).append(" to ")
                        .append(to).append(" of ").append(values.size()).append("</summary>\n");
            }
            html.append("<table><thead>").append(header).append("</thead><tbody>\n");
            for (T value : values.subList(from, to)) {
                writer.write(html, value);
                html.append('\n');
            }
            html.append("</tbody></table>\n");
            if (from > 0) {
                html.append("</details>\n");
            }
        }
    }

    // --- words

    static String capabilityText(List<String> capabilities) {
        return switch (capabilityClass(capabilities)) {
            case "cap-ps" -> "publish and subscribe";
            case "cap-s" -> "subscribe only";
            case "cap-p" -> "publish only";
            case "cap-none" -> "no capability";
            default -> String.join(", ", capabilities);
        };
    }

    private static String capabilityClass(List<String> capabilities) {
        boolean publish = capabilities.contains("PUBLISH");
        boolean subscribe = capabilities.contains("SUBSCRIBE");
        if (capabilities.isEmpty()) {
            return "cap-none";
        }
        return publish && subscribe ? "cap-ps" : subscribe ? "cap-s" : publish ? "cap-p" : "cap-other";
    }

    static String exchangeText(Recorded exchange) {
        StringBuilder text = new StringBuilder();
        if (exchange.capabilitiesBefore() != null) {
            text.append(capabilityText(exchange.capabilitiesBefore())).append(" → ");
        }
        text.append(capabilityText(exchange.capabilitiesAfter() == null ? List.of() : exchange.capabilitiesAfter()));
        if (!exchange.attributeKeys().isEmpty()) {
            text.append("; attributes: ").append(exchange.attributeValues().isEmpty()
                    ? String.join(", ", exchange.attributeKeys())
                    : exchange.attributeValues().entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(", ")));
        }
        if (exchange.userId() != null) {
            text.append("; user id ").append(exchange.userId());
        }
        return text.toString();
    }

    private static String eventText(Recorded event) {
        String text;
        if (event.isExchange()) {
            text = exchangeText(event);
        } else if (event.destinationStageArn() != null) {
            text = "to stage " + event.destinationStageArn()
                    + (event.destinationSessionId() == null ? "" : ", session " + event.destinationSessionId())
                    + (event.userId() == null ? "" : "; user id " + event.userId());
        } else {
            text = event.userId() == null ? "" : "user id " + event.userId();
        }
        if (!event.unknownMemberKeys().isEmpty()) {
            text += (text.isEmpty() ? "" : "; ") + "members this version does not read: "
                    + String.join(", ", event.unknownMemberKeys());
        }
        return text;
    }

    private static String replicationText(Replication replication) {
        return "replicated into " + replication.destinationStageArn()
                + (replication.destinationSessionId() == null ? "" : " (session "
                + replication.destinationSessionId() + ")") + ": "
                + (replication.start() == null ? "start not recorded" : TIME.format(replication.start().time()))
                + " to " + (replication.stop() == null ? "now, ACTIVE" : TIME.format(replication.stop().time()))
                + ", " + lasted(replication)
                + (replication.toldOnlyByTheApi() ? "; only the IVS API told of " + endsOnlyTheApiToldOf(replication)
                : "");
    }

    private static String endsOnlyTheApiToldOf(Replication replication) {
        boolean start = replication.start() != null && replication.start().origin() == Origin.API;
        boolean stop = replication.stop() != null && replication.stop().origin() == Origin.API;
        return start && stop ? "both ends" : start ? "its start" : "its stop";
    }

    static String lasted(Replication replication) {
        if (replication.start() == null || replication.stop() == null) {
            return replication.stop() == null ? "still active" : "unknown: start not recorded";
        }
        Duration duration = Duration.between(replication.start().time(), replication.stop().time());
        return duration.toHours() > 0
                ? String.format(Locale.ROOT, "%d h %02d min", duration.toHours(), duration.toMinutesPart())
                : String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
    }

    private static String end(Recorded end) {
        return end == null ? "" : TIME.format(end.time()) + (end.origin() == Origin.API ? " " + badge(Origin.API) : "");
    }

    private static String badge(Origin origin) {
        return "<span class=\"badge" + (origin == Origin.API ? " api" : origin == Origin.BOTH ? " both" : "")
                + "\">" + origin.label() + "</span>";
    }

    private static String originKey(Origin origin) {
        return origin.name().toLowerCase(Locale.ROOT);
    }

    private static String stageLabel(String stageArn) {
        return stageArn.substring(stageArn.lastIndexOf('/') + 1);
    }

    /** One decimal, without String.format: a large session's page has tens of thousands of coordinates. */
    private static String fixed(double value) {
        long tenths = Math.round(value * 10);
        return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The shared time axis of a session: times to x, and ticks at a round step. */
    private record Axis(Instant start, Instant end) {
        private static final long[] STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
                21600, 43200, 86400};

        Axis {
            if (!end.isAfter(start)) {
                end = start.plusSeconds(60);
            }
        }

        double plotStart() {
            return LABEL_WIDTH + PLOT_MARGIN;
        }

        double plotEnd() {
            return LABEL_WIDTH + PLOT_WIDTH - PLOT_MARGIN;
        }

        double x(Instant time) {
            double span = Duration.between(start, end).toMillis();
            return plotStart() + Duration.between(start, time).toMillis() / span * (plotEnd() - plotStart());
        }

        long step() {
            long seconds = Math.max(1, Duration.between(start, end).toSeconds());
            for (long step : STEPS) {
                if (seconds / step <= 8) {
                    return step;
                }
            }
            return (seconds / 8 / 86400 + 1) * 86400;
        }

        List<Instant> ticks() {
            long step = step();
            long first = Math.floorDiv(start.getEpochSecond() + step - 1, step) * step;
            List<Instant> ticks = new ArrayList<>();
            for (long second = first; second <= end.getEpochSecond(); second += step) {
                ticks.add(Instant.ofEpochSecond(second));
            }
            return ticks;
        }

        String label(Instant tick) {
            boolean oneDay = start.atZone(ZoneOffset.UTC).toLocalDate().equals(end.atZone(ZoneOffset.UTC).toLocalDate());
            String pattern = step() < 60 ? "HH:mm:ss" : oneDay ? "HH:mm" : "MM-dd HH:mm";
            return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC).format(tick);
        }
    }
}
