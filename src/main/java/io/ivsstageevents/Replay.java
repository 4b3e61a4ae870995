package io.ivsstageevents;

import io.ivsstageevents.json.JsonFields;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.UnrecognizedEvent;
import io.ivsstageevents.parsing.StageEventParser;
import io.ivsstageevents.path.EventPath;
import io.ivsstageevents.path.Invocation;
import io.ivsstageevents.storage.KeptEvents;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs the events kept as unrecognized back down the {@link EventPath}, so that a version that knows them records
 * them; a kept event that is recorded is then forgotten, one still unrecognized stays. Idempotent: run it as often
 * as you like. Started by hand with a request instead of an event (docs/EVENTS.md, "Unrecognized events"):
 * {@code {"replayUnrecognized": {"from": "2026-03-01", "to": "2026-03-14", "undated": false}}}, days in UTC,
 * inclusive. It answers with what it did, and where to resume if the function's time ran out.
 */
final class Replay {
    static final String REQUEST = "replayUnrecognized";
    /** Nearly a year and a half: the longest range one request reads, far past the template's retention. */
    private static final int MAX_DAYS = 500;

    private final EventPath eventPath;
    private final KeptEvents keptEvents;

    Replay(EventPath eventPath, KeptEvents keptEvents) {
        this.eventPath = eventPath;
        this.keptEvents = keptEvents;
    }

    /** A replay request has the request's key and nothing of an EventBridge event. */
    static boolean isRequest(Map<String, Object> payload) {
        return payload.containsKey(REQUEST) && !payload.containsKey("source") && !payload.containsKey("detail");
    }

    Map<String, Object> run(Map<String, Object> payload, Invocation invocation) {
        Map<String, Object> request = JsonFields.object(payload.get(REQUEST), REQUEST);
        LocalDate from = date(request, "from");
        LocalDate to = date(request, "to");
        if (to.isBefore(from) || from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new InvalidEventException(REQUEST + ".to", "must be on or after from, and at most " + MAX_DAYS
                    + " days after it");
        }
        Tally tally = new Tally();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            if (!replayDay(day, tally, invocation)) {
                return tally.answer(day.toString());
            }
        }
        if (Boolean.TRUE.equals(JsonFields.bool(request.get("undated"), REQUEST + ".undated"))
                && !replayDay(null, tally, invocation)) {
            return tally.answer("undated");
        }
        return tally.answer(null);
    }

    /** False if the function's time ran out before the day was done. */
    private boolean replayDay(LocalDate day, Tally tally, Invocation invocation) {
        Map<String, AttributeValue> next = null;
        do {
            KeptEvents.Page page = keptEvents.list(day, next);
            for (KeptEvents.Kept kept : page.events()) {
                if (!invocation.hasTimeForAnotherEvent()) {
                    return false;
                }
                replayOne(kept, tally, invocation);
            }
            next = page.next();
        } while (next != null);
        return true;
    }

    private void replayOne(KeptEvents.Kept kept, Tally tally, Invocation invocation) {
        tally.replayed++;
        try {
            if (eventPath.run(asEvent(kept), invocation).event() instanceof UnrecognizedEvent) {
                tally.stillUnrecognized++;
            } else {
                keptEvents.forget(kept);
                tally.recorded++;
            }
        } catch (InvalidEventException e) {
            invocation.invalid(e);
            tally.invalid++;
        }
    }

    /** The EventBridge event the kept one came in, put back together from what its item holds. */
    private static Map<String, Object> asEvent(KeptEvents.Kept kept) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", kept.eventId());
        event.put("detail-type", StageEventParser.DETAIL_TYPE);
        event.put("source", StageEventParser.SOURCE);
        event.put("account", kept.account());
        event.put("time", kept.time() == null ? null : kept.time().toString());
        event.put("region", kept.region());
        event.put("resources", kept.stageArn() == null ? List.of() : List.of(kept.stageArn()));
        event.put("detail", JsonTree.readObject(kept.detail().getBytes(StandardCharsets.UTF_8)));
        return event;
    }

    private static LocalDate date(Map<String, Object> request, String key) {
        String text = JsonFields.string(request.get(key), REQUEST + "." + key);
        if (text == null) {
            throw new InvalidEventException(REQUEST + "." + key, "missing: a day as yyyy-MM-dd (UTC)");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(REQUEST + "." + key, "not a day as yyyy-MM-dd");
        }
    }

    private static final class Tally {
        int replayed;
        int recorded;
        int stillUnrecognized;
        int invalid;

        Map<String, Object> answer(String resumeFrom) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("replayed", replayed);
            answer.put("recorded", recorded);
            answer.put("stillUnrecognized", stillUnrecognized);
            answer.put("invalid", invalid);
            answer.put("complete", resumeFrom == null);
            if (resumeFrom != null) {
                answer.put("resumeFrom", resumeFrom);
            }
            return answer;
        }
    }
}
