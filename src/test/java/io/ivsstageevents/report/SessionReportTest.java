package io.ivsstageevents.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsstageevents.report.SessionFacts.Origin;
import io.ivsstageevents.report.SessionFacts.Recorded;
import io.ivsstageevents.report.SessionFacts.Replication;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.CloudFormationTemplate;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LoopbackForwarder;
import io.ivsstageevents.testing.ReconciledSamples;
import io.ivsstageevents.testing.ivs.SampleWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The session report from a table the real function and reconciler wrote (ReconciledSamples) in DynamoDB Local:
 * its facts, its page, what it leaves out, and the deployed-table command with the permissions it needs.
 */
class SessionReportTest {
    private static final String SAMPLES_SESSION = "st-ZyXwvu1T2s";
    private static final String DESTINATION = SampleWorld.DESTINATION_STAGE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalDynamoDb dynamoDb;
    private static String table;

    @TempDir
    Path directory;

    @BeforeAll
    static void writeTheSamplesAndReconcileTheSampleWorld() {
        dynamoDb = LocalDynamoDb.shared();
        table = ReconciledSamples.table(dynamoDb);
    }

    @Test
    void theSamplesSessionHasARowPerParticipantWithRecordedEventsItsExchangesAndItsReplicationSpans() {
        SessionFacts session = read(SAMPLES_SESSION, false);

        assertThat(session.rows()).extracting(SessionFacts.Row::participantId)
                .containsExactly("aBc9d8e7f6g", "qRs5t6u7v8w", "xYz1c2d3e4f");
        assertThat(session.tokenExchanges()).isEqualTo(2);
        assertThat(session.rows().get(0).capabilities()).last().satisfies(segment -> {
            assertThat(segment.capabilities()).containsExactly("PUBLISH", "SUBSCRIBE");
            assertThat(segment.to()).isEqualTo(session.last());
        });
        assertThat(session.replications()).extracting(Replication::participantId, Replication::state,
                        Replication::destinationStageArn)
                .containsExactly(tuple("xYz1c2d3e4f", "STOPPED", DESTINATION),
                        tuple("aBc9d8e7f6g", "ACTIVE", DESTINATION));
        assertThat(ReportPage.lasted(session.replications().get(0))).isEqualTo("25 min 21 s");
        assertThat(session.kept()).extracting(SessionFacts.Kept::name).containsExactly("Participant Muted");
        assertThat(session.count(Origin.EVENTBRIDGE)).isEqualTo(session.events().size());
    }

    @Test
    void thePageDrawsOneRowPerParticipantWithRecordedEventsAndOneSpanPerReplication() {
        SessionFacts session = read(SAMPLES_SESSION, false);

        String page = ReportPage.render(List.of(session), "table", Instant.now(), false);

        assertThat(count(page, "<g class=\"row\" data-row ")).isEqualTo(3);
        assertThat(count(page, " data-replication data-state=\"ACTIVE\"")).isEqualTo(1);
        assertThat(count(page, " data-replication data-state=\"STOPPED\"")).isEqualTo(1);
        assertThat(count(page, " data-exchange ")).isEqualTo(2);
        assertThat(count(page, "<tr data-event>")).isEqualTo(session.events().size());
        assertThat(count(page, "<tr data-kept>")).isEqualTo(1);
        assertThat(page).doesNotContain("<script", "<link", "src=", "url(", "@import", "http://", "https://");
    }

    @Test
    void eventsOnlyTheApiToldOfAreMarkedApartFromThoseEventBridgeAlsoDelivered() {
        SessionFacts session = read(SampleWorld.SESSION, false);

        assertThat(session.events()).filteredOn(Recorded::isExchange).singleElement()
                .extracting(Recorded::origin).isEqualTo(Origin.BOTH);
        assertThat(session.replications()).singleElement().satisfies(replication -> {
            assertThat(replication.start().origin()).isEqualTo(Origin.API);
            assertThat(replication.toldOnlyByTheApi()).isTrue();
            assertThat(replication.state()).isEqualTo("STOPPED");
        });
        assertThat(session.reconciliation()).satisfies(marker -> {
            assertThat(marker.eventsBackfilled()).isEqualTo(2);
            assertThat(marker.sessionEnd()).isEqualTo(Instant.parse("2026-03-14T19:05:00Z"));
        });

        String page = ReportPage.render(List.of(session), "table", Instant.now(), false);
        assertThat(count(page, "<g class=\"replication api-only\" data-replication ")).isEqualTo(1);
        assertThat(count(page, "<path class=\"exchange\" data-exchange data-origin=\"both\"")).isEqualTo(1);
        assertThat(count(page, "<span class=\"badge api\">API only</span>")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void noAttributeValueNorUserIdIsInThePageTheJsonOrTheSummaryUnlessAskedFor() {
        Set<String> personal = personalDataInTheTable();
        assertThat(personal).contains("viewer-0815", "co-host", "sample-user-1", "host");

        SessionReport report = new SessionReport(List.of(read(SAMPLES_SESSION, false),
                read(SampleWorld.SESSION, false)), "table", false);
        String everything = ReportPage.render(report.sessions(), "table", Instant.now(), false)
                + report.json(Path.of("page.html")) + report.summary(Path.of("page.html"));
        assertThat(personal).allSatisfy(value -> assertThat(words(everything)).doesNotContain(value));
        assertThat(everything).contains("avatarUrl", "displayName", "role");

        SessionReport asked = new SessionReport(List.of(read(SAMPLES_SESSION, true),
                read(SampleWorld.SESSION, true)), "table", true);
        String page = ReportPage.render(asked.sessions(), "table", Instant.now(), true);
        assertThat(words(page)).contains("viewer-0815", "co-host", "sample-user-1", "host", "viewer-4711");
    }

    /**
     * The command as a person runs it against a deployed table, here DynamoDB Local behind a forwarder that notes
     * every request: without --session it reports the stage's latest reconciled session, and the template's
     * policy grants exactly the calls it made.
     */
    @Test
    void theDeployedTableCommandReadsTheLatestSessionThroughTheEndpointWithExactlyThePolicysActions()
            throws IOException {
        Path page = directory.resolve("report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (LoopbackForwarder forwarder = LoopbackForwarder.start(dynamoDb.endpoint())) {
            status = StageReport.run(new String[] {"--table", table, "--stage", SampleWorld.SOURCE_STAGE,
                            "--region", LocalDynamoDb.REGION, "--endpoint", forwarder.endpoint().toString(),
                            "--out", page.toString(), "--json"}, Map.of(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            Set<String> called = new TreeSet<>();
            forwarder.exchanges().forEach(exchange ->
                    called.add("dynamodb:" + exchange.amzTarget().substring(exchange.amzTarget().indexOf('.') + 1)));

            assertThat(called).containsExactlyInAnyOrderElementsOf(policyActions());
        }

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode facts = JSON.readTree(out.toByteArray());
        assertThat(facts.get("sessions")).singleElement().satisfies(session ->
                assertThat(session.get("sessionId").asText()).isEqualTo(SampleWorld.SESSION));
        assertThat(Files.readString(page)).contains("data-session-id=\"" + SampleWorld.SESSION + "\"");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("report: 1 session -> " + page);
    }

    @Test
    void thePolicyReadsOnlyTheSessionMarkerAndKeptEventPartitionsNeverAParticipantsCurrentToken() {
        Map<String, Object> statement = policyStatement();

        assertThat(statement.get("Condition")).isEqualTo(Map.of("ForAllValues:StringLike",
                Map.of("dynamodb:LeadingKeys", List.of(TableDesign.SESSION_PREFIX + "*",
                        TableDesign.RECONCILIATION_PREFIX + "*", TableDesign.UNRECOGNIZED_PREFIX + "*"))));
        assertThat(statement.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", LocalDynamoDb.TABLE_RESOURCE + ".Arn"));
    }

    private static SessionFacts read(String session, boolean personalData) {
        return new TableReader(dynamoDb.client(), table).session(SampleWorld.SOURCE_STAGE, session, personalData)
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> policyStatement() {
        Map<String, Object> document = (Map<String, Object>) CloudFormationTemplate.load()
                .properties("SessionReportReadPolicy").get("PolicyDocument");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");
        assertThat(statements).hasSize(1);
        return statements.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> policyActions() {
        return (List<String>) policyStatement().get("Action");
    }

    /**
     * Token attribute values and user ids anywhere in the table's ledger and kept items: the tokens', the
     * ledger's own, the detail's user_id kept among unknown members, and those in kept events' detail.
     */
    private static Set<String> personalDataInTheTable() {
        Set<String> found = new TreeSet<>();
        for (Map<String, AttributeValue> item : dynamoDb.allItems(table)) {
            String type = item.get(TableDesign.ITEM_TYPE).s();
            if (type.equals(TableDesign.EVENT)) {
                for (String token : List.of("previousToken", "newToken")) {
                    if (item.containsKey(token)) {
                        Map<String, AttributeValue> value = item.get(token).m();
                        if (value.containsKey("attributes")) {
                            value.get("attributes").m().values().forEach(attribute -> found.add(attribute.s()));
                        }
                        addString(found, value.get("userId"));
                    }
                }
                addString(found, item.get("userId"));
                if (item.containsKey(TableDesign.UNKNOWN_MEMBERS)) {
                    addString(found, item.get(TableDesign.UNKNOWN_MEMBERS).m().get("user_id"));
                }
            } else if (type.equals(TableDesign.UNRECOGNIZED)) {
                Matcher userId = Pattern.compile("\"user_id\":\"([^\"]+)\"").matcher(item.get("detail").s());
                while (userId.find()) {
                    found.add(userId.group(1));
                }
            }
        }
        return found;
    }

    private static void addString(Set<String> found, AttributeValue value) {
        if (value != null && value.s() != null) {
            found.add(value.s());
        }
    }

    /** The page's text split where a value could end, so that "host" is not found in "co-host" or "hosts". */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("[\\s\"'<>=;:,()\\[\\]{}]+")) {
            words.add(word);
        }
        return words;
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }
}
