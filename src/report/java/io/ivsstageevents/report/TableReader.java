package io.ivsstageevents.report;

import io.ivsstageevents.storage.TableDesign;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The report's reads, all on the table's documented access patterns (docs/TABLE.md): the session's ledger (one Query), its reconciliation
 * marker (one GetItem), the kept events of the days it spans (one Query a day), and, to find a stage's latest
 * session, the stage's reconciliation markers (one Query). Nothing else: no Scan, no index, and no participant
 * partition, which holds the current token's attributes and user id. The template's SessionReportReadPolicy
 * grants exactly these calls on exactly these partitions.
 */
public final class TableReader {
    /**
     * What the facts are made of, and no more: a large session's ledger is megabytes of items, most of them keys,
     * ids and token details the page does not show. User ids only with personal data.
     */
    private static final List<List<String>> LEDGER = List.of(List.of("eventTime"), List.of("participantId"),
            List.of("name"), List.of(TableDesign.SOURCE), List.of("previousToken", "capabilities"),
            List.of("newToken", "capabilities"), List.of("newToken", "attributes"), List.of("destinationStageArn"),
            List.of("destinationSessionId"), List.of(TableDesign.UNKNOWN_MEMBERS));
    private static final List<List<String>> LEDGER_WITH_PERSONAL_DATA = Stream.concat(LEDGER.stream(),
            Stream.of(List.of("userId"), List.of("newToken", "userId"))).toList();

    private final DynamoDbClient dynamoDb;
    private final String table;

    public TableReader(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /**
     * The session of the stage that ended last among those the reconciler has read. The table has no other list
     * of a stage's sessions: the ledger is keyed by stage and session together, and keeping one more list would
     * cost the function a write per event.
     */
    public Optional<String> latestReconciledSession(String stageArn) {
        return query(TableDesign.reconciliationKey(stageArn), null, null, List.of()).stream()
                .filter(marker -> marker.containsKey("sessionEnd") && marker.containsKey("sessionId"))
                .max(Comparator.comparing(marker -> SessionFacts.time(marker.get("sessionEnd").s())))
                .map(marker -> marker.get("sessionId").s());
    }

    /** The session's facts; empty when the table holds no recorded event of it. */
    public Optional<SessionFacts> session(String stageArn, String sessionId, boolean personalData) {
        List<Map<String, AttributeValue>> ledger = query(TableDesign.sessionKey(stageArn, sessionId),
                TableDesign.EVENT_PREFIX, null, personalData ? LEDGER_WITH_PERSONAL_DATA : LEDGER);
        if (ledger.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> marker = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of(TableDesign.PK, AttributeValue.fromS(TableDesign.reconciliationKey(stageArn)),
                        TableDesign.SK, AttributeValue.fromS(TableDesign.SESSION_PREFIX + sessionId)))
                .build()).item();
        return Optional.of(SessionFacts.of(stageArn, sessionId, ledger, marker == null || marker.isEmpty() ? null
                : marker, kept(stageArn, sessionId, ledger), personalData));
    }

    /** Kept events are partitioned by day: those of the days from the session's first event to its last. */
    private List<Map<String, AttributeValue>> kept(String stageArn, String sessionId,
                                                   List<Map<String, AttributeValue>> ledger) {
        LocalDate first = null;
        LocalDate last = null;
        for (Map<String, AttributeValue> item : ledger) {
            LocalDate day = LocalDate.ofInstant(eventTime(item), ZoneOffset.UTC);
            first = first == null || day.isBefore(first) ? day : first;
            last = last == null || day.isAfter(last) ? day : last;
        }
        List<Map<String, AttributeValue>> kept = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            kept.addAll(query(TableDesign.unrecognizedKey(day), null,
                    Map.of(":stage", AttributeValue.fromS(stageArn), ":session", AttributeValue.fromS(sessionId)),
                    List.of()));
        }
        return kept;
    }

    private static Instant eventTime(Map<String, AttributeValue> item) {
        return SessionFacts.time(item.get("eventTime").s());
    }

    /**
     * sortPrefix: null for the whole partition; sessionFilter: null, or the :stage and :session to keep;
     * projection: the attribute paths to read, or none for whole items.
     */
    private List<Map<String, AttributeValue>> query(String key, String sortPrefix,
                                                    Map<String, AttributeValue> sessionFilter,
                                                    List<List<String>> projection) {
        QueryRequest.Builder request = QueryRequest.builder().tableName(table);
        if (!projection.isEmpty()) {
            // Every name as a placeholder: name, source and others are DynamoDB reserved words.
            Map<String, String> names = new HashMap<>();
            List<String> paths = new ArrayList<>();
            for (List<String> path : projection) {
                List<String> parts = new ArrayList<>();
                for (String name : path) {
                    String placeholder = "#" + name;
                    names.put(placeholder, name);
                    parts.add(placeholder);
                }
                paths.add(String.join(".", parts));
            }
            request.projectionExpression(String.join(", ", paths)).expressionAttributeNames(names);
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":key", AttributeValue.fromS(key));
        if (sortPrefix == null) {
            request.keyConditionExpression("pk = :key");
        } else {
            request.keyConditionExpression("pk = :key AND begins_with(sk, :sort)");
            values.put(":sort", AttributeValue.fromS(sortPrefix));
        }
        if (sessionFilter != null) {
            request.filterExpression("stageArn = :stage AND sessionId = :session");
            values.putAll(sessionFilter);
        }
        return dynamoDb.queryPaginator(request.expressionAttributeValues(values).build()).items().stream().toList();
    }
}
