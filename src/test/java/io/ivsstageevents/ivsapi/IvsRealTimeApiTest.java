package io.ivsstageevents.ivsapi;

import static io.ivsstageevents.ivsapi.IvsRealTimeStandInTest.CREDENTIALS;
import static io.ivsstageevents.ivsapi.IvsRealTimeStandInTest.PARTICIPANT;
import static io.ivsstageevents.ivsapi.IvsRealTimeStandInTest.REGION;
import static io.ivsstageevents.ivsapi.IvsRealTimeStandInTest.SESSION;
import static io.ivsstageevents.ivsapi.IvsRealTimeStandInTest.STAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.IvsWorld;
import io.ivsstageevents.testing.ivs.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The client against the IVS Real-Time stand-in: signing, paging, errors, throttling and the rate budget. */
class IvsRealTimeApiTest {
    /** Well above the stand-in's quota, so that tests not about the budget are quick and meet throttling. */
    private static final double FAST = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private IvsRealTimeStandIn standIn(UnaryOperator<IvsRealTimeStandIn.Builder> configuration) throws IOException {
        IvsWorld world = new IvsWorld();
        world.putStage(JSON.createObjectNode().put("arn", STAGE));
        world.putSession(STAGE, JSON.createObjectNode().put("sessionId", SESSION)
                .put("startTime", "2026-03-14T18:00:00Z"));
        IvsRealTimeStandIn standIn = configuration.apply(IvsRealTimeStandIn.builder()
                .world(world).credentials(CREDENTIALS).region(REGION)).start();
        opened.add(standIn);
        return standIn;
    }

    private IvsRealTimeApi client(IvsRealTimeStandIn standIn, double requestsPerSecond) {
        return client(standIn, requestsPerSecond, CREDENTIALS);
    }

    private IvsRealTimeApi client(IvsRealTimeStandIn standIn, double requestsPerSecond,
                                  AwsCredentials credentials) {
        IvsRealTimeApi api = IvsRealTimeApi.builder()
                .region(REGION)
                .endpointOverride(standIn.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .requestsPerSecond(requestsPerSecond)
                .build();
        opened.add(api);
        return api;
    }

    private static ObjectNode event(String name, String eventTime) {
        return JSON.createObjectNode().put("name", name).put("participantId", PARTICIPANT).put("eventTime", eventTime);
    }

    @Test
    void pagingFollowsNextTokenToTheLastEventNewestFirst() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder.pageSizeCap(4));
        List<String> times = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            String time = Instant.parse("2026-03-14T18:00:00Z").plusMillis(1_250L * i).toString();
            times.add(time);
            standIn.world().addEvent(STAGE, SESSION, event("PUBLISH_STARTED", time));
        }
        IvsRealTimeApi api = client(standIn, FAST);

        List<Map<String, Object>> events = ApiPage.collectAll(
                token -> api.listParticipantEvents(STAGE, SESSION, PARTICIPANT, token));

        times.sort(Comparator.reverseOrder());
        assertThat(events).extracting(event -> event.get("eventTime")).containsExactlyElementsOf(times);
        assertThat(standIn.requests()).filteredOn(request -> request.status() == 200).hasSize(5);
    }

    @Test
    void theTokensOfATokenExchangedEventArriveIntact() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        ObjectNode exchange = event("TOKEN_EXCHANGED", "2026-03-14T18:20:00.482913Z");
        exchange.putObject("previousToken").put("userId", "user-1").put("expirationTime", "2026-03-14T20:00:00Z")
                .<ObjectNode>set("attributes", JSON.createObjectNode().put("role", "viewer").put("seat", "12"))
                .putArray("capabilities").add("SUBSCRIBE");
        exchange.putObject("newToken").put("userId", "user-1").put("expirationTime", "2026-03-14T22:00:00+00:00")
                .<ObjectNode>set("attributes", JSON.createObjectNode().put("role", "host"))
                .putArray("capabilities").add("PUBLISH").add("SUBSCRIBE");
        standIn.world().addEvent(STAGE, SESSION, exchange);

        ApiPage page = client(standIn, FAST).listParticipantEvents(STAGE, SESSION, PARTICIPANT, null);

        assertThat(page.items()).containsExactly(JSON.convertValue(exchange, Map.class));
    }

    @Test
    void listsReadEveryStageSessionAndParticipantOfAWorldLoadedFromItsFile() throws IOException {
        IvsWorld world = IvsWorld.read(IvsWorld.SAMPLE);
        IvsRealTimeStandIn standIn = standIn(builder -> builder.world(world).pageSizeCap(1));
        IvsRealTimeApi api = client(standIn, FAST);

        List<Object> stages = ApiPage.collectAll(api::listStages).stream()
                .map(stage -> stage.get("arn")).collect(Collectors.toList());
        List<Object> sessions = ApiPage.collectAll(token -> api.listStageSessions(STAGE, token)).stream()
                .map(session -> session.get("sessionId")).collect(Collectors.toList());
        List<Object> participants = ApiPage.collectAll(token -> api.listParticipants(STAGE, SESSION, token))
                .stream().map(participant -> participant.get("participantId")).collect(Collectors.toList());

        assertThat(stages).containsExactly(STAGE, "arn:aws:ivs:us-west-2:123456789012:stage/KlMnop3Q4rst");
        assertThat(sessions).containsExactly(SESSION);
        assertThat(participants).containsExactly(PARTICIPANT, "xYz1c2d3e4f");
    }

    @Test
    void getsReturnTheSessionAndTheParticipantThemselves() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        standIn.world().putParticipant(STAGE, SESSION, JSON.createObjectNode().put("participantId", PARTICIPANT)
                .put("state", "CONNECTED").put("osName", "Linux"));
        IvsRealTimeApi api = client(standIn, FAST);

        assertThat(api.getStageSession(STAGE, SESSION))
                .containsEntry("sessionId", SESSION).containsEntry("startTime", "2026-03-14T18:00:00Z");
        assertThat(api.getParticipant(STAGE, SESSION, PARTICIPANT))
                .containsEntry("state", "CONNECTED").containsEntry("osName", "Linux");
    }

    @Test
    void aSessionIdNotSixteenCharactersLongIsAValidationExceptionNamingTheOperation() throws IOException {
        IvsRealTimeApi api = client(standIn(builder -> builder), FAST);

        assertThatThrownBy(() -> api.listParticipants(STAGE, "st-ZyXwvu1T2s", null))
                .isInstanceOfSatisfying(IvsApiException.class, e -> {
                    assertThat(e.operation()).isEqualTo("ListParticipants");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.errorType()).isEqualTo("ValidationException");
                })
                .hasMessageContaining("ListParticipants").hasMessageContaining("ValidationException");
    }

    @Test
    void aRefusalNamesOperationAndErrorTypeButNeverQuotesTheAnswer() throws IOException {
        IvsRealTimeApi api = client(standIn(builder -> builder.denyOperation("ListStages")), FAST);

        assertThatThrownBy(() -> api.listStages(null))
                .isInstanceOfSatisfying(IvsApiException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("AccessDeniedException");
                    assertThat(e.requestId()).isNotBlank();
                })
                .hasMessageContaining("ListStages").hasMessageContaining("403 AccessDeniedException")
                .hasMessageNotContaining("not authorized");
    }

    @Test
    void requestsSignedWithAnotherSecretAreRefused() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        IvsRealTimeApi api = client(standIn, FAST, AwsBasicCredentials.create(CREDENTIALS.accessKeyId(), "wrong"));

        assertThatThrownBy(() -> api.listStageSessions(STAGE, null))
                .isInstanceOfSatisfying(IvsApiException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.errorType()).isEqualTo("InvalidSignatureException");
                });
        assertThat(standIn.requests()).extracting(RecordedRequest::signed).containsExactly(false);
    }

    @Test
    void sessionCredentialsAsLambdaHasThemAreSentWithTheirToken() throws IOException {
        AwsSessionCredentials session = AwsSessionCredentials.create("ASIASTANDIN", "session-secret", "the-token");
        IvsRealTimeStandIn standIn = standIn(builder -> builder.credentials(session));

        assertThat(client(standIn, FAST, session).getStageSession(STAGE, SESSION)).containsEntry("sessionId", SESSION);
        assertThatThrownBy(() -> client(standIn, FAST, AwsBasicCredentials.create("ASIASTANDIN", "session-secret"))
                .getStageSession(STAGE, SESSION))
                .isInstanceOfSatisfying(IvsApiException.class,
                        e -> assertThat(e.errorType()).isEqualTo("UnrecognizedClientException"));
    }

    @Test
    void throttlingAboveFivePerSecondOfOneOperationIsAbsorbedByBackingOff() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        IvsRealTimeApi api = client(standIn, FAST);

        for (int i = 0; i < 12; i++) {
            assertThat(api.getStageSession(STAGE, SESSION)).containsEntry("sessionId", SESSION);
        }

        List<RecordedRequest> requests = standIn.requests();
        assertThat(api.throttles()).isPositive()
                .isEqualTo(requests.stream().filter(RecordedRequest::throttled).count());
        assertThat(requests).filteredOn(request -> request.status() == 200).hasSize(12);
        assertThat(api.requestsSent()).isEqualTo(requests.size());
    }

    @Test
    void aCallThrottledOnEveryAttemptFailsAsThrottlingException() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        IvsRealTimeApi api = IvsRealTimeApi.builder().region(REGION).endpointOverride(standIn.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS))
                .requestsPerSecond(FAST).maxAttempts(1).build();
        opened.add(api);

        assertThatThrownBy(() -> {
            for (int i = 0; i <= IvsRealTimeStandIn.QUOTA_PER_SECOND; i++) {
                api.getStageSession(STAGE, SESSION);
            }
        }).isInstanceOfSatisfying(IvsApiException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.errorType()).isEqualTo("ThrottlingException");
        });
        assertThat(api.throttles()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsRetriedAndTheCallSucceeds() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        standIn.answerServerErrors(IvsRealTimeApi.TRANSIENT_ATTEMPTS - 1);

        assertThat(client(standIn, FAST).getStageSession(STAGE, SESSION).get("sessionId")).isEqualTo(SESSION);
        assertThat(standIn.requests()).extracting(RecordedRequest::status).containsExactly(500, 500, 200);
    }

    @Test
    void aServerErrorOnEveryAttemptFailsTheCallSoonNamingTheError() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        standIn.answerServerErrors(IvsRealTimeApi.TRANSIENT_ATTEMPTS);

        assertThatThrownBy(() -> client(standIn, FAST).getStageSession(STAGE, SESSION))
                .isInstanceOfSatisfying(IvsApiException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.errorType()).isEqualTo("InternalServerException");
                });
        assertThat(standIn.requests()).hasSize(IvsRealTimeApi.TRANSIENT_ATTEMPTS);
    }

    @Test
    void anEndpointThatDoesNotAnswerFailsTheCallAfterTheTransientAttemptsNamingIt() throws IOException {
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        URI closed = standIn.endpoint();
        standIn.close();
        IvsRealTimeApi api = IvsRealTimeApi.builder().region(REGION).endpointOverride(closed)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).requestsPerSecond(FAST).build();
        opened.add(api);

        assertThatThrownBy(() -> api.listStages(null)).isInstanceOf(IvsApiException.class)
                .hasMessageContaining("no answer from " + closed + " after " + IvsRealTimeApi.TRANSIENT_ATTEMPTS);
        assertThat(api.requestsSent()).isEqualTo(IvsRealTimeApi.TRANSIENT_ATTEMPTS);
    }

    @Test
    void withoutAnOverrideTheClientCallsTheRegionalEndpointOfTheServiceEndpointRules() {
        IvsRealTimeApi api = IvsRealTimeApi.builder().region("eu-central-1")
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).build();
        opened.add(api);

        assertThat(api.endpoint()).isEqualTo("https://ivsrealtime.eu-central-1.amazonaws.com");
    }

    /**
     * Counted from the stand-in's arrival times, which carry the jitter of scheduling two threads on a busy
     * machine (50 ms was seen to be too little with builds running beside the tests): half of one interval at this
     * budget is allowed for it. The limiter's own spacing is checked exactly on a fake clock in
     * {@link RequestRateLimiterTest}.
     */
    @Test
    void theClientNeverSendsMoreInAnySecondThanItsBudgetAcrossOperations() throws IOException {
        int budget = 4;
        long jitterNanos = 125_000_000L;
        IvsRealTimeStandIn standIn = standIn(builder -> builder);
        IvsRealTimeApi api = client(standIn, budget);

        for (int i = 0; i < 7; i++) {
            api.listStageSessions(STAGE, null);
            api.getStageSession(STAGE, SESSION);
        }

        List<RecordedRequest> requests = standIn.requests();
        assertThat(requests).hasSize(14);
        for (int i = 0; i + budget < requests.size(); i++) {
            long spanOfBudgetPlusOne = requests.get(i + budget).receivedNanos() - requests.get(i).receivedNanos();
            assertThat(spanOfBudgetPlusOne).as("requests %d to %d", i, i + budget)
                    .isGreaterThanOrEqualTo(1_000_000_000L - jitterNanos);
        }
    }
}
