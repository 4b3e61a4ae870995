package io.ivsstageevents.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivsstageevents.metrics.ReconciliationMetrics;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.IvsWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ./invoke-local --reconcile: one reconciler run after the event files, against the stand-in's sample world. */
class InvokeLocalTest {
    private static final String SOURCE_STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij";
    private static final String SOURCE_SESSION = "st-ZyXwvu1T2s3r4";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final LocalTable table = new LocalTable();
    @TempDir
    Path directory;
    private IvsRealTimeStandIn standIn;

    @BeforeEach
    void startTheStandIn() throws IOException {
        standIn = IvsRealTimeStandIn.builder().world(IvsWorld.read(IvsWorld.SAMPLE))
                .credentials(LocalReconciler.CREDENTIALS).region(LocalDynamoDb.REGION).start();
    }

    @AfterEach
    void stopTheStandIn() {
        standIn.close();
    }

    @Test
    void reconcilingBackfillsTheSampleWorldsTokenExchangeAndReplicationEventsIntoTheItems() throws IOException {
        JsonNode result = reconcile();

        assertThat(items(result, "EVENT")).extracting(item -> item.get("name").asText() + " from "
                + item.get("source")).containsExactlyInAnyOrder("TOKEN_EXCHANGED from [\"API\"]",
                "REPLICATION_STARTED from [\"API\"]", "REPLICATION_STOPPED from [\"API\"]");
    }

    @Test
    void theReconciliationIsOneMoreInvocationAfterTheEventFilesWithItsAnswerAndLogs() throws IOException {
        JsonNode result = reconcile("events/token-exchanged.json");

        JsonNode invocations = result.get("invocations");
        assertThat(invocations).hasSize(2);
        assertThat(invocations.get(0).get("file").asText()).isEqualTo("events/token-exchanged.json");
        JsonNode reconciliation = invocations.get(1);
        assertThat(reconciliation.get("file").isNull()).isTrue();
        assertThat(reconciliation.get("ok").booleanValue()).isTrue();
        assertThat(reconciliation.at("/response/complete").booleanValue()).isTrue();
        assertThat(reconciliation.at("/response/sessionsReconciled").asLong()).isEqualTo(2);
        assertThat(reconciliation.get("logs")).extracting(JsonNode::asText)
                .filteredOn(line -> line.startsWith("INFO session reconciled")).hasSize(2);
    }

    @Test
    void theReconciliationsMetricDocumentsJoinTheFunctionsInTheMetrics() throws IOException {
        JsonNode result = reconcile("events/token-exchanged.json");

        List<JsonNode> metrics = StreamSupport.stream(result.get("metrics").spliterator(), false).toList();
        assertThat(metrics).allSatisfy(document -> assertThat(EmfRules.violations(document.toString())).isEmpty());
        assertThat(metrics.get(0).has(ReconciliationMetrics.SESSIONS_RECONCILED)).isFalse();
        assertThat(result.get("metrics").findValues(ReconciliationMetrics.SESSIONS_RECONCILED))
                .extracting(JsonNode::asLong).containsExactly(2L);
        assertThat(result.get("metrics").findParents(ReconciliationMetrics.EVENTS_BACKFILLED))
                .extracting(document -> document.get("EventName").asText())
                .containsExactlyInAnyOrder("TOKEN_EXCHANGED", "REPLICATION_STARTED", "REPLICATION_STOPPED");
    }

    @Test
    void aStageOptionReconcilesThatStagesSessionsOnly() throws IOException {
        JsonNode result = reconcile("--stage", SOURCE_STAGE);

        assertThat(items(result, "RECONCILED_SESSION")).extracting(marker -> marker.get("stageArn").asText()
                + " " + marker.get("sessionId").asText()).containsExactly(SOURCE_STAGE + " " + SOURCE_SESSION);
    }

    /** Pages of one participant: the sample source session's two make it larger than a page. */
    @Test
    void coverageAllReadsTheParticipantAdaptiveCoverageSkips() throws IOException {
        standIn.close();
        standIn = IvsRealTimeStandIn.builder().world(IvsWorld.read(IvsWorld.SAMPLE)).pageSizeCap(1)
                .credentials(LocalReconciler.CREDENTIALS).region(LocalDynamoDb.REGION).start();

        JsonNode all = reconcile("--stage", SOURCE_STAGE, "--coverage", "all", "--table", "with-coverage-all");
        JsonNode adaptive = reconcile("--stage", SOURCE_STAGE, "--table", "with-coverage-adaptive");

        assertThat(items(all, "RECONCILED_SESSION")).singleElement().satisfies(marker -> {
            assertThat(marker.get("coverage").asText()).isEqualTo("ALL");
            assertThat(marker.get("participantsRead").asLong()).isEqualTo(2);
        });
        assertThat(items(adaptive, "RECONCILED_SESSION")).singleElement().satisfies(marker -> {
            assertThat(marker.get("coverage").asText()).isEqualTo("PUBLISHERS_REPLICATING_AND_LEDGER");
            assertThat(marker.get("participantsSkipped").asLong()).isEqualTo(1);
        });
    }

    @Test
    void aCoverageOtherThanAllOrAdaptiveIsAUsageError() throws IOException {
        Run run = invokeLocal("--reconcile", "--ivs-endpoint", standIn.endpoint().toString(), "--coverage", "some");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aReportOptionWritesThePageOfEverySessionAndItsFactsJoinTheOneJsonObjectUnderReport() throws IOException {
        Path page = directory.resolve("report.html");

        JsonNode result = reconcile("--report", page.toString(), "events/");

        assertThat(result.get("report").get("sessions")).extracting(session -> session.get("sessionId").asText())
                .containsExactly("st-ZyXwvu1T2s", SOURCE_SESSION);
        assertThat(result.at("/report/page").asText()).isEqualTo(page.toString());
        assertThat(Files.readString(page)).contains("data-session-id=\"st-ZyXwvu1T2s\"",
                "data-session-id=\"" + SOURCE_SESSION + "\"");
    }

    @Test
    void personalDataWithoutAReportIsAUsageError() throws IOException {
        Run run = invokeLocal("--include-personal-data", "events/token-exchanged.json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void reconcileWithoutAnIvsEndpointIsAUsageError() throws IOException {
        Run run = invokeLocal("--reconcile", "events/token-exchanged.json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void anIvsEndpointWithoutReconcileIsAUsageError() throws IOException {
        Run run = invokeLocal("--ivs-endpoint", standIn.endpoint().toString(), "events/token-exchanged.json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
    }

    /** --reconcile against the stand-in, at its quota so that no request is throttled; must succeed. */
    private JsonNode reconcile(String... arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of("--reconcile", "--ivs-endpoint", standIn.endpoint().toString(),
                "--requests-per-second", Integer.toString(IvsRealTimeStandIn.QUOTA_PER_SECOND)));
        all.addAll(List.of(arguments));
        Run run = invokeLocal(all.toArray(String[]::new));
        assertThat(run.status()).as(run.stdout()).isZero();
        return JSON.readTree(run.stdout());
    }

    /**
     * ./invoke-local --json on this test's table, with no AWS_* variables in its environment: it signs with the
     * credentials the stand-in was started with, whatever the environment running the tests holds.
     */
    private Run invokeLocal(String... arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of("--json", "--endpoint", table.dynamoDb().endpoint().toString(),
                "--table", table.name()));
        all.addAll(List.of(arguments));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int status = InvokeLocal.run(all.toArray(String[]::new), Map.of(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
        return new Run(status, stdout.toString(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> items(JsonNode result, String itemType) {
        return StreamSupport.stream(result.get("items").spliterator(), false)
                .filter(item -> item.path("itemType").asText().equals(itemType)).toList();
    }

    private record Run(int status, String stdout) {
    }
}
