package io.ivsstageevents.ivsapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.IvsWorld;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The stand-in on the wire, through the JDK's own HTTP client rather than the client under test: the REST-JSON
 * contract the service model defines, which the client's tests then rely on.
 */
class IvsRealTimeStandInTest {
    static final String REGION = "us-west-2";
    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDSTANDIN", "stand-in-secret");
    static final String STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij";
    static final String SESSION = "st-ZyXwvu1T2s3r4";
    static final String PARTICIPANT = "aBc9d8e7f6g";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JDK client sets these itself, to the values signed. */
    private static final Set<String> SET_BY_THE_HTTP_CLIENT = Set.of("host", "content-length");

    private final HttpClient http = HttpClient.newHttpClient();
    private IvsRealTimeStandIn standIn;

    @BeforeEach
    void start() throws IOException {
        IvsWorld world = new IvsWorld();
        world.putStage(JSON.createObjectNode().put("arn", STAGE));
        world.putSession(STAGE, JSON.createObjectNode().put("sessionId", SESSION)
                .put("startTime", "2026-03-14T18:00:00Z"));
        standIn = IvsRealTimeStandIn.builder().world(world).credentials(CREDENTIALS).region(REGION).start();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private HttpResponse<String> send(String operation, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(standIn.endpoint() + "/" + operation))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((name, value) -> {
            if (!SET_BY_THE_HTTP_CLIENT.contains(name.toLowerCase())) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> signed(String operation, String body, AwsCredentialsIdentity credentials,
                                              String region, URI endpoint) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(endpoint + "/" + operation))
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(signing -> signing
                .identity(credentials).request(request).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ivs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name, String.join(",", values)));
        return headers;
    }

    private HttpResponse<String> sendSigned(String operation, String body) throws IOException, InterruptedException {
        return send(operation, body, signed(operation, body, CREDENTIALS, REGION, standIn.endpoint()));
    }

    private static String eventsOf(String participantId, String extra) {
        return "{\"stageArn\":\"" + STAGE + "\",\"sessionId\":\"" + SESSION + "\",\"participantId\":\""
                + participantId + "\"" + extra + "}";
    }

    private static JsonNode body(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private void addEvent(String name, String eventTime) {
        standIn.world().addEvent(STAGE, SESSION, JSON.createObjectNode().put("name", name)
                .put("participantId", PARTICIPANT).put("eventTime", eventTime));
    }

    @Test
    void anUnsignedRequestIsRefusedWith403() throws IOException, InterruptedException {
        HttpResponse<String> response = send("ListStages", "{}", Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertThat(standIn.requests()).singleElement().satisfies(request -> assertThat(request.signed()).isFalse());
    }

    @Test
    void aRequestSignedWithAnotherSecretIsRefusedWith403() throws IOException, InterruptedException {
        Map<String, String> headers = signed("ListStages", "{}",
                AwsCredentialsIdentity.create(CREDENTIALS.accessKeyId(), "not-the-secret"), REGION, standIn.endpoint());

        HttpResponse<String> response = send("ListStages", "{}", headers);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }

    @Test
    void aRequestSignedForAnotherRegionIsRefusedWith403() throws IOException, InterruptedException {
        HttpResponse<String> response = send("ListStages", "{}",
                signed("ListStages", "{}", CREDENTIALS, "eu-west-1", standIn.endpoint()));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }

    @Test
    void aBodyChangedAfterSigningIsRefusedWith403() throws IOException, InterruptedException {
        String body = eventsOf(PARTICIPANT, "");
        Map<String, String> headers = signed("ListParticipantEvents", body, CREDENTIALS, REGION, standIn.endpoint());

        HttpResponse<String> response = send("ListParticipantEvents", body.replace(PARTICIPANT, "zzzzzzzzzzz"),
                headers);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }

    @Test
    void aValidationErrorCarriesItsTypeInTheHeaderAndTheModelsExceptionMessage() throws IOException,
            InterruptedException {
        HttpResponse<String> response = sendSigned("ListParticipantEvents",
                eventsOf(PARTICIPANT, "").replace(SESSION, SESSION.substring(0, 15)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        assertThat(body(response).fieldNames()).toIterable().containsExactly("exceptionMessage");
        assertThat(body(response).path("exceptionMessage").asText()).contains("sessionId");
    }

    @Test
    void maxResultsOutsideOneToAHundredIsAValidationException() throws IOException, InterruptedException {
        assertThat(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, ",\"maxResults\":0")).statusCode())
                .isEqualTo(400);
        assertThat(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, ",\"maxResults\":101")).statusCode())
                .isEqualTo(400);
        assertThat(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, ",\"maxResults\":100")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void withoutMaxResultsAPageHoldsFiftyEvents() throws IOException, InterruptedException {
        for (int i = 0; i < 60; i++) {
            addEvent("SUBSCRIBE_STARTED", String.format("2026-03-14T18:%02d:00Z", i));
        }

        JsonNode page = body(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, "")));

        assertThat(page.path("events")).hasSize(50);
        assertThat(page.path("nextToken").asText()).isNotEmpty();
    }

    @Test
    void eventsAreListedNewestFirstWhateverTheOrderTheyWereAddedAndTheFormOfTheirTimes() throws IOException,
            InterruptedException {
        addEvent("JOINED", "2026-03-14T18:00:00+00:00");
        addEvent("LEFT", "2026-03-14T18:00:02.5Z");
        addEvent("PUBLISH_STARTED", "2026-03-14T18:00:01Z");
        addEvent("PUBLISH_STOPPED", "2026-03-14T18:00:02.25+00:00");

        JsonNode page = body(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, "")));

        assertThat(page.path("events").findValuesAsText("name"))
                .containsExactly("LEFT", "PUBLISH_STOPPED", "PUBLISH_STARTED", "JOINED");
    }

    @Test
    void eventsAddedWhileAClientPagesDoNotShiftThePagesItHasYetToRead() throws IOException, InterruptedException {
        for (int second = 0; second < 4; second++) {
            addEvent("SUBSCRIBE_STARTED", "2026-03-14T18:00:0" + second + "Z");
        }
        JsonNode first = body(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, ",\"maxResults\":2")));
        addEvent("SUBSCRIBE_STOPPED", "2026-03-14T18:00:09Z");

        JsonNode second = body(sendSigned("ListParticipantEvents",
                eventsOf(PARTICIPANT, ",\"maxResults\":2,\"nextToken\":\"" + first.path("nextToken").asText() + "\"")));

        assertThat(second.path("events").findValuesAsText("eventTime"))
                .containsExactly("2026-03-14T18:00:01Z", "2026-03-14T18:00:00Z");
        assertThat(second.has("nextToken")).isFalse();
    }

    @Test
    void aPageTokenIsGoodOnlyForTheListItCameFrom() throws IOException, InterruptedException {
        for (int second = 0; second < 3; second++) {
            addEvent("SUBSCRIBE_STARTED", "2026-03-14T18:00:0" + second + "Z");
        }
        String token = body(sendSigned("ListParticipantEvents", eventsOf(PARTICIPANT, ",\"maxResults\":1")))
                .path("nextToken").asText();

        HttpResponse<String> response = sendSigned("ListParticipantEvents",
                eventsOf("xYz1c2d3e4f", ",\"nextToken\":\"" + token + "\""));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
    }

    @Test
    void aSixthRequestOfOneOperationWithinASecondIsThrottledButAnotherOperationIsNot() throws IOException,
            InterruptedException {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(sendSigned("ListStages", "{}").statusCode());
        }
        HttpResponse<String> other = sendSigned("ListStageSessions", "{\"stageArn\":\"" + STAGE + "\"}");

        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(standIn.requests()).filteredOn(request -> request.throttled()).singleElement()
                .satisfies(request -> assertThat(request.errorType()).isEqualTo("ThrottlingException"));
    }

    @Test
    void listParticipantsShowsTheSummaryOfEachParticipantAndGetParticipantTheWhole() throws IOException,
            InterruptedException {
        ObjectNode participant = JSON.createObjectNode().put("participantId", PARTICIPANT).put("state", "CONNECTED")
                .put("osName", "Linux").put("published", true);
        standIn.world().putParticipant(STAGE, SESSION, participant);
        String request = "{\"stageArn\":\"" + STAGE + "\",\"sessionId\":\"" + SESSION + "\"";

        JsonNode listed = body(sendSigned("ListParticipants", request + "}"));
        JsonNode got = body(sendSigned("GetParticipant", request + ",\"participantId\":\"" + PARTICIPANT + "\"}"));

        assertThat(listed.path("participants").get(0).fieldNames()).toIterable()
                .containsExactly("participantId", "state", "published");
        assertThat(got.path("participant")).isEqualTo(participant);
    }

    @Test
    void listParticipantsFiltersByOneMemberAndRefusesTwoFilters() throws IOException, InterruptedException {
        standIn.world().putParticipant(STAGE, SESSION, JSON.createObjectNode().put("participantId", PARTICIPANT)
                .put("state", "CONNECTED"));
        standIn.world().putParticipant(STAGE, SESSION, JSON.createObjectNode().put("participantId", "xYz1c2d3e4f")
                .put("state", "DISCONNECTED").put("published", true));
        String request = "{\"stageArn\":\"" + STAGE + "\",\"sessionId\":\"" + SESSION + "\"";

        JsonNode connected = body(sendSigned("ListParticipants", request + ",\"filterByState\":\"CONNECTED\"}"));
        HttpResponse<String> twoFilters = sendSigned("ListParticipants",
                request + ",\"filterByState\":\"CONNECTED\",\"filterByPublished\":true}");

        assertThat(connected.path("participants").findValuesAsText("participantId")).containsExactly(PARTICIPANT);
        assertThat(twoFilters.statusCode()).isEqualTo(400);
    }

    @Test
    void getStageSessionOfAnUnknownSessionIsResourceNotFound() throws IOException, InterruptedException {
        HttpResponse<String> response = sendSigned("GetStageSession",
                "{\"stageArn\":\"" + STAGE + "\",\"sessionId\":\"st-0000000000000\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }
}
