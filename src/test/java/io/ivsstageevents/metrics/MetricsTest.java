package io.ivsstageevents.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.local.InvokeLocal;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.LocalTable;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Embedded Metric Format documents the function writes, checked against the format's rules. */
class MetricsTest {
    @RegisterExtension
    final LocalTable table = new LocalTable();
    private LocalFunction function;

    @BeforeEach
    void onTheTable() {
        function = table.function();
    }

    @Test
    void everyDocumentForEverySampleFollowsTheFormatsRules() {
        for (Path sample : SampleEvents.all()) {
            function.invoke(SampleEvents.bytes(sample.getFileName().toString()));
        }

        // One each: an error event's ParticipantErrors, or another event's one non-zero count.
        assertThat(function.metrics()).hasSize(SampleEvents.all().size())
                .allSatisfy(document -> assertThat(EmfRules.violations(document)).as(document).isEmpty());
    }

    @Test
    void anErrorEventCountsOneParticipantErrorByCodeAndByCodeWithinEventName() {
        function.invoke(SampleEvents.bytes("publish-error.json"));

        JsonNode document = participantErrors().get(0);
        assertThat(EmfRules.dimensionSets(document.toString()))
                .containsExactly(List.of("ErrorCode"), List.of("ErrorCode", "EventName"));
        assertThat(document.get("ParticipantErrors").asLong()).isEqualTo(1);
        assertThat(document.get("ErrorCode").asText()).isEqualTo("BITRATE_EXCEEDED");
        assertThat(document.get("EventName").asText()).isEqualTo("PUBLISH_ERROR");
        assertThat(document.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("IVS/StageEvents");
    }

    @Test
    void idsAreRootPropertiesAndNeverDimensions() {
        function.invoke(SampleEvents.bytes("subscribe-error.json"));

        JsonNode document = participantErrors().get(0);
        assertThat(document.get("stageArn").asText()).isEqualTo(TestEvents.STAGE);
        assertThat(document.get("sessionId").asText()).isEqualTo(TestEvents.SESSION);
        assertThat(document.get("participantId").asText()).isEqualTo("aBc9d8e7f6g");
        assertThat(document.get("remoteParticipantId").asText()).isEqualTo("xYz1c2d3e4f");
        assertThat(document.get("eventId").asText()).isEqualTo("3d6a9a4c-2f1e-4b8a-9d51-0c7e21f4a104");
        assertThat(EmfRules.dimensionSets(document.toString()).stream().flatMap(List::stream))
                .doesNotContain("stageArn", "sessionId", "participantId", "remoteParticipantId", "eventId");
    }

    @Test
    void anErrorCodeTheModelDoesNotKnowIsEmittedUnderItsRawValue() {
        function.invoke(withErrorCode("SOLAR_FLARE_DETECTED"));

        assertThat(participantErrors().get(0).get("ErrorCode").asText()).isEqualTo("SOLAR_FLARE_DETECTED");
    }

    @Test
    void anAbsurdErrorCodeIsReplacedByAPlaceholderAndKeptAsAProperty() {
        String absurd = "Ünïcödé-" + "x".repeat(10_000);

        function.invoke(withErrorCode(absurd));

        JsonNode document = participantErrors().get(0);
        assertThat(document.get("ErrorCode").asText()).isEqualTo(DimensionValues.INVALID);
        assertThat(document.get("errorCodeOriginal").asText()).isEqualTo(absurd);
        assertThat(EmfRules.violations(document.toString())).isEmpty();
    }

    @Test
    void anEmptyErrorCodeIsReplacedByThePlaceholder() {
        function.invoke(withErrorCode(""));

        assertThat(participantErrors().get(0).get("ErrorCode").asText()).isEqualTo(DimensionValues.INVALID);
    }

    @Test
    void anErrorEventWithoutACodeCountsAsUnspecified() {
        ObjectNode event = SampleEvents.json("join-error.json");
        ((ObjectNode) event.get("detail")).remove("error_code");

        function.invoke(SampleEvents.bytes(event));

        assertThat(participantErrors().get(0).get("ErrorCode").asText()).isEqualTo(DimensionValues.UNSPECIFIED);
    }

    @Test
    void twoInvocationsInARowCarryNothingOver() {
        function.invoke(SampleEvents.bytes("subscribe-error.json"));
        function.invoke(SampleEvents.bytes("join-error.json"));

        List<JsonNode> errors = participantErrors();
        assertThat(errors).hasSize(2);
        JsonNode second = errors.get(1);
        assertThat(second.get("ErrorCode").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(second.get("EventName").asText()).isEqualTo("JOIN_ERROR");
        assertThat(second.has("remoteParticipantId")).isFalse();
        assertThat(EmfRules.dimensionSets(second.toString())).hasSize(2);
    }

    @Test
    void onlyCountsAboveZeroAreWrittenSinceEverySeriesIsBilled() {
        function.invoke(SampleEvents.bytes("publish-error.json"));
        function.invoke(SampleEvents.bytes("token-exchanged.json"));

        assertThat(function.metrics()).map(EmfRules::parse)
                .noneMatch(document -> document.has("EventsRecorded") && document.get("EventsRecorded").asLong() == 0)
                .noneMatch(document -> document.has("DuplicateEvents") || document.has("EventsIgnored")
                        || document.has("InvalidEvents"));
    }

    @Test
    void thePerStageDimensionIsOffByDefault() {
        function.invoke(SampleEvents.bytes("publish-error.json"));

        assertThat(participantErrors().get(0).has("StageArn")).isFalse();
    }

    @Test
    void thePerStageDimensionIsAddedWhenSwitchedOn() {
        LocalFunction perStage = table.functionWith(Map.of("METRICS_STAGE_DIMENSION", "true"));

        perStage.invoke(SampleEvents.bytes("publish-error.json"));

        JsonNode document = EmfRules.parse(perStage.metrics().get(0));
        assertThat(EmfRules.dimensionSets(document.toString()))
                .containsExactly(List.of("ErrorCode"), List.of("ErrorCode", "EventName"), List.of("ErrorCode", "StageArn"));
        assertThat(document.get("StageArn").asText()).isEqualTo(TestEvents.STAGE);
        assertThat(EmfRules.violations(document.toString())).isEmpty();
    }

    @Test
    void theNamespaceComesFromConfiguration() {
        LocalFunction custom = table.functionWith(Map.of("METRICS_NAMESPACE", "Acme/Stages"));

        custom.invoke(SampleEvents.bytes("publish-error.json"));

        assertThat(custom.metrics()).allSatisfy(document ->
                assertThat(EmfRules.parse(document).at("/_aws/CloudWatchMetrics/0/Namespace").asText())
                        .isEqualTo("Acme/Stages"));
    }

    @Test
    void eachInvocationCountsWhatItDidByEventName() {
        byte[] exchange = TestEvents.tokenExchanged().bytes();
        function.invoke(exchange);
        function.invoke(exchange);
        function.invoke(SampleEvents.bytes("participant-published.json"));

        assertThat(function.metrics()).map(EmfRules::parse)
                .extracting(document -> document.get("EventName").asText() + " " + metricNames(document))
                .containsExactly("TOKEN_EXCHANGED [EventsRecorded=1]", "TOKEN_EXCHANGED [DuplicateEvents=1]",
                        "PUBLISH_STARTED [EventsIgnored=1]");
        assertThat(EmfRules.dimensionSets(function.metrics().get(0))).containsExactly(List.of(), List.of("EventName"));
    }

    @Test
    void anInvalidEventIsCountedBeforeItFails() {
        assertThatThrownBy(() -> function.invoke("{\"source\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class);

        JsonNode counts = documentsWith("InvalidEvents").get(0);
        assertThat(counts.get("InvalidEvents").asLong()).isEqualTo(1);
        assertThat(EmfRules.dimensionSets(counts.toString())).containsExactly(List.of());
    }

    @Test
    void anEventThatIsNotOursIsCountedIgnoredWithoutAnEventName() {
        function.invoke(SampleEvents.bytes(SampleEvents.json("participant-published.json").put("source", "aws.s3")));

        JsonNode counts = documentsWith("EventsIgnored").get(0);
        assertThat(counts.get("EventsIgnored").asLong()).isEqualTo(1);
        assertThat(counts.has("EventName")).isFalse();
    }

    @Test
    void anErrorEventIsTimestampedAtItsEventTime() {
        LocalFunction atEventTime = table.functionWith(
                Clock.fixed(Instant.parse("2026-03-14T18:10:00Z"), ZoneOffset.UTC));

        atEventTime.invoke(SampleEvents.bytes("publish-error.json"));

        assertThat(EmfRules.parse(atEventTime.metrics().get(0)).at("/_aws/Timestamp").asLong())
                .isEqualTo(Instant.parse("2026-03-14T18:03:44Z").toEpochMilli());
    }

    @Test
    void anErrorEventTooOldForCloudWatchIsTimestampedNow() {
        Instant now = Instant.parse("2026-04-30T00:00:00Z");
        LocalFunction weeksLater = table.functionWith(Clock.fixed(now, ZoneOffset.UTC));

        weeksLater.invoke(SampleEvents.bytes("publish-error.json"));

        JsonNode document = EmfRules.parse(weeksLater.metrics().get(0));
        assertThat(document.at("/_aws/Timestamp").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(document.get("eventTime").asText()).isEqualTo("2026-03-14T18:03:44Z");
    }

    @Test
    void theLocalRunnersJsonOutputHoldsTheDocuments() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = InvokeLocal.run(new String[] {"--json", "--endpoint",
                table.dynamoDb().endpoint().toString(), "--table", table.name(), "events/"}, new PrintStream(out, true, StandardCharsets.UTF_8));

        JsonNode result = new ObjectMapper().readTree(out.toByteArray());
        assertThat(status).isEqualTo(0);
        assertThat(result.get("invocations")).hasSize(SampleEvents.all().size() + 1);
        assertThat(result.get("metrics")).isNotEmpty()
                .allSatisfy(document -> assertThat(EmfRules.violations(document.toString())).isEmpty());
        // Three error samples, and the publish error inside the SQS batch sample.
        assertThat(result.get("metrics").findValues("ParticipantErrors")).hasSize(4);
        // Nine from the recorded samples, and the one kept whole from unrecognized-event.json.
        assertThat(result.get("items")).hasSize(10);
        assertThat(result.get("metrics").findValues("UnrecognizedEvents")).hasSize(1);
    }

    private static List<String> metricNames(JsonNode document) {
        return document.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name").stream()
                .map(name -> name + "=" + document.get(name)).toList();
    }

    private List<JsonNode> participantErrors() {
        return documentsWith("ParticipantErrors");
    }

    private List<JsonNode> documentsWith(String metric) {
        return function.metrics().stream().map(EmfRules::parse).filter(document -> document.has(metric)).toList();
    }

    private static byte[] withErrorCode(String errorCode) {
        ObjectNode event = SampleEvents.json("publish-error.json");
        ((ObjectNode) event.get("detail")).put("error_code", errorCode);
        return SampleEvents.bytes(event);
    }
}
