package io.ivsstageevents.testing.ivs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalReconciler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A local stand-in for the IVS Real-Time API's read operations (there is no official local IVS), on loopback,
 * speaking REST-JSON as the service model defines it: {@code POST /ListStages}, {@code /ListStageSessions},
 * {@code /ListParticipants}, {@code /ListParticipantEvents}, {@code /GetStageSession} and {@code /GetParticipant},
 * each with a JSON body. Like the service it
 * <ul>
 * <li>refuses requests without a valid SigV4 signature (signing name {@code ivs}) of its own credentials and
 * region, with 403 and the front door's error types ({@code MissingAuthenticationTokenException},
 * {@code InvalidSignatureException}, {@code UnrecognizedClientException});</li>
 * <li>answers 429 {@code ThrottlingException} to a request that finds 5 others of the same operation answered in
 * the second before it (the quota: 5 per second per operation, not adjustable; a test that reads a large world
 * fast may raise it, {@link Builder#quotaPerSecond});</li>
 * <li>checks members against the model's constraints ({@code sessionId} exactly 16 characters, {@code maxResults}
 * 1-100, ...) and answers 400 {@code ValidationException};</li>
 * <li>pages with opaque {@code nextToken}s (default page 50), events newest first;</li>
 * <li>filters {@code ListParticipants} by {@code filterByPublished}, {@code filterByState}, {@code filterByUserId}
 * or {@code filterByRecordingState}, one per request (two are a 400), and shows each participant's summary
 * members, the replication ones ({@code replicationType}, {@code replicationState}) included.</li>
 * </ul>
 * Errors carry {@code x-amzn-ErrorType}. It records every request ({@link #requests()}) so that tests can count
 * request rates, and its pages can be capped below {@code maxResults} so that every list is read over several
 * pages, as a client must expect of the service.
 *
 * <p>To run it by hand, for {@code ./invoke-local --reconcile --ivs-endpoint http://127.0.0.1:4599} in another
 * shell: {@code ./invoke-local --ivs-stand-in [--port N] [--world FILE] [--page-size N]} runs {@link #main} on
 * the test classpath. The world is read from a JSON file ({@link IvsWorld} describes the format), by default
 * {@code src/test/resources/ivs/sample-world.json}. It prints its endpoint and serves until interrupted (Ctrl-C).
 * It accepts the credentials and region that ./invoke-local signs with, by the same rule
 * ({@link LocalReconciler#credentialsFrom}): with no AWS_* variables set, the fixed test credentials. The
 * throttling quota applies as in the tests; {@code --page-size} caps its pages below the service's, to make
 * clients page.
 */
public final class IvsRealTimeStandIn implements AutoCloseable {
    public static final String SIGNING_NAME = "ivs";
    /** The account quota of each of these operations, requests per second. */
    public static final int QUOTA_PER_SECOND = 5;
    private static final int DEFAULT_MAX_RESULTS = 50;
    private static final int MAX_RESULTS = 100;
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final Pattern STAGE_ARN = Pattern.compile("arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+");
    private static final Pattern SESSION_ID = Pattern.compile("st-[a-zA-Z0-9]+");
    private static final Pattern PARTICIPANT_ID = Pattern.compile("[a-zA-Z0-9-]*");
    private static final Pattern PAGINATION_TOKEN = Pattern.compile("[a-zA-Z0-9+/=_-]*");
    /** The members of {@code Participant} that {@code ParticipantSummary} also has, all ListParticipants shows. */
    private static final Set<String> PARTICIPANT_SUMMARY_MEMBERS = Set.of("participantId", "userId", "state",
            "firstJoinTime", "published", "recordingState", "replicationType", "replicationState", "sourceStageArn",
            "sourceSessionId", "redundantIngest", "ingestConfigurationArn");
    /** The values ListParticipants' filterByState and filterByRecordingState take (ParticipantState, ...). */
    private static final List<String> PARTICIPANT_STATES = List.of("CONNECTED", "DISCONNECTED");
    private static final List<String> RECORDING_FILTER_STATES = List.of("STARTING", "ACTIVE", "STOPPING",
            "STOPPED", "FAILED");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's HttpServer sends an answer's headers and body in two writes; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK, about 40 ms an answer, which the service does not cost. Read
        // once, when the JVM's first HttpServer starts: the build sets it for the tests, this for the main method.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final IvsWorld world;
    private final int pageSizeCap;
    private final int quotaPerSecond;
    private final Set<String> deniedOperations;
    private final AtomicInteger serverErrorsToAnswer =
            new AtomicInteger();
    private final SigV4Verifier verifier;
    private final Map<String, Operation> operations = Map.of(
            "ListStages", this::listStages,
            "ListStageSessions", this::listStageSessions,
            "ListParticipants", this::listParticipants,
            "ListParticipantEvents", this::listParticipantEvents,
            "GetStageSession", this::getStageSession,
            "GetParticipant", this::getParticipant);
    private final Map<String, Deque<Long>> answeredInWindow = new HashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private IvsRealTimeStandIn(Builder builder) throws IOException {
        this.world = builder.world;
        this.pageSizeCap = builder.pageSizeCap;
        this.quotaPerSecond = builder.quotaPerSecond;
        this.deniedOperations = Set.copyOf(builder.deniedOperations);
        this.verifier = new SigV4Verifier(Objects.requireNonNull(builder.credentials, "credentials"),
                Objects.requireNonNull(builder.region, "region"), SIGNING_NAME, Clock.systemUTC());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 0);
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "ivs-stand-in");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URI to point a client at, {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** The world it serves; changes to it show in the next answer. */
    public IvsWorld world() {
        return world;
    }

    /** The next this many signed requests, of any operation, are answered 500 InternalServerException. */
    public void answerServerErrors(int requests) {
        serverErrorsToAnswer.set(requests);
    }

    /**
     * How often each page of participants and of events was answered, keyed by operation and request body (the
     * body names the stage, session, participant and page token): what "no page read twice" is checked on.
     */
    public Map<String, Long> sessionPagesAnswered() {
        return requests().stream()
                .filter(request -> request.status() == 200)
                .filter(request -> request.operation().equals("ListParticipants")
                        || request.operation().equals("ListParticipantEvents"))
                .collect(Collectors.groupingBy(request -> request.operation() + " " + request.body(),
                        Collectors.counting()));
    }

    /** Every request received so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** {@code [--port N] [--world FILE] [--region R] [--page-size N]}: see the class comment. */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> environment = System.getenv();
        Map<String, String> options = new HashMap<>(Map.of("--port", "4599",
                "--world", IvsWorld.SAMPLE.toString(),
                "--region", LocalReconciler.regionFrom(environment),
                "--page-size", String.valueOf(MAX_RESULTS)));
        AwsCredentials credentials = LocalReconciler.credentialsFrom(environment);
        IvsRealTimeStandIn standIn;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (!options.containsKey(args[i])) {
                    throw new IllegalArgumentException("unknown option " + args[i]);
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                options.put(args[i], args[i + 1]);
            }
            standIn = builder()
                    .world(IvsWorld.read(Path.of(options.get("--world"))))
                    .credentials(credentials)
                    .region(options.get("--region"))
                    .port(Integer.parseInt(options.get("--port")))
                    .pageSizeCap(Integer.parseInt(options.get("--page-size")))
                    .start();
        } catch (IllegalArgumentException e) {
            System.err.println("IvsRealTimeStandIn: " + e.getMessage());
            System.err.println("usage: IvsRealTimeStandIn [--port N (4599)] [--world FILE (the sample world)]"
                    + " [--region R] [--page-size N]\n  accepts requests signed with AWS_ACCESS_KEY_ID etc. if"
                    + " set, else with the fixed test credentials, for AWS_REGION (or --region), else "
                    + LocalDynamoDb.REGION);
            System.exit(2);
            return;
        } catch (IOException e) {
            // A port in use or a world file missing, said in one line rather than a stack trace.
            System.err.println("IvsRealTimeStandIn: " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
        // On stderr, where ./invoke-local writes everything but its results.
        System.err.println("IVS Real-Time stand-in on " + standIn.endpoint() + ", serving "
                + options.get("--world") + ", for requests signed by " + credentials.accessKeyId() + " in "
                + options.get("--region") + " (Ctrl-C stops it)");
        new CountDownLatch(1).await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long receivedNanos = System.nanoTime();
        Instant receivedAt = Instant.now();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String name = path.startsWith("/") ? path.substring(1) : path;
            Operation operation = operations.get(name);
            ApiError error;
            JsonNode answer = null;
            boolean signed = false;
            if (operation == null || !"POST".equals(exchange.getRequestMethod())) {
                error = ApiError.frontDoor(404, "UnknownOperationException", "Unknown operation " + name);
            } else {
                error = verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI(),
                        exchange.getRequestHeaders(), body);
                signed = error == null;
                if (signed && serverErrorsToAnswer.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    error = ApiError.frontDoor(500, "InternalServerException", "Internal server error");
                } else if (signed && !withinQuota(name, receivedNanos)) {
                    error = ApiError.frontDoor(429, "ThrottlingException", "Rate exceeded");
                } else if (signed && deniedOperations.contains(name)) {
                    error = ApiError.accessDenied("User is not authorized to perform: ivs:" + name);
                } else if (signed) {
                    try {
                        answer = operation.answer(request(body));
                    } catch (Refusal refusal) {
                        error = refusal.error;
                    } catch (RuntimeException e) {
                        // A fault of the stand-in itself: answered, so the test fails on it instead of timing out
                        // on a dropped connection, and printed, since the client never quotes bodies.
                        e.printStackTrace();
                        error = ApiError.frontDoor(500, "InternalServerException", "stand-in failure: " + e);
                    }
                }
            }
            // Recorded before answering: a client that has its answer finds its request in the log.
            synchronized (requests) {
                requests.add(new RecordedRequest(name, receivedAt, receivedNanos, signed,
                        error == null ? 200 : error.status(), error == null ? null : error.type(),
                        new String(body, StandardCharsets.UTF_8)));
            }
            respond(exchange, error, answer);
        }
    }

    /** Counts only answered requests, as a token bucket only spends on what it lets through. */
    private synchronized boolean withinQuota(String operation, long nanos) {
        Deque<Long> answered = answeredInWindow.computeIfAbsent(operation, name -> new ArrayDeque<>());
        while (!answered.isEmpty() && nanos - answered.peekFirst() >= WINDOW_NANOS) {
            answered.removeFirst();
        }
        if (answered.size() >= quotaPerSecond) {
            return false;
        }
        answered.addLast(nanos);
        return true;
    }

    private static void respond(HttpExchange exchange, ApiError error, JsonNode answer) throws IOException {
        ObjectNode body;
        if (error == null) {
            body = (ObjectNode) answer;
        } else {
            body = JSON.createObjectNode().put(error.modeled() ? "exceptionMessage" : "message", error.message());
            exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type());
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(error == null ? 200 : error.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static JsonNode request(byte[] body) throws Refusal {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode request = JSON.readTree(body);
            if (request == null || !request.isObject()) {
                throw new Refusal(ApiError.serialization("The request body must be a JSON object."));
            }
            return request;
        } catch (IOException e) {
            throw new Refusal(ApiError.serialization("The request body is not valid JSON."));
        }
    }

    private JsonNode listStages(JsonNode request) throws Refusal {
        return page("ListStages", "stages", world.stages(), request, "");
    }

    private JsonNode listStageSessions(JsonNode request) throws Refusal {
        String stageArn = stageArn(request);
        return page("ListStageSessions", "stageSessions", world.sessions(stageArn), request, stageArn);
    }

    private JsonNode listParticipants(JsonNode request) throws Refusal {
        String stageArn = stageArn(request);
        String sessionId = sessionId(request);
        Map<String, JsonNode> filters = new HashMap<>();
        filter(request, "filterByUserId", "userId", JsonNode::isTextual, "a string", filters);
        filter(request, "filterByPublished", "published", JsonNode::isBoolean, "a boolean", filters);
        filter(request, "filterByState", "state", value -> PARTICIPANT_STATES.contains(value.asText()),
                "one of " + PARTICIPANT_STATES, filters);
        filter(request, "filterByRecordingState", "recordingState",
                value -> RECORDING_FILTER_STATES.contains(value.asText()), "one of " + RECORDING_FILTER_STATES,
                filters);
        if (filters.size() > 1) {
            // As the service: the filters are exclusive, one per request.
            throw new Refusal(ApiError.validation("Only one filter may be given."));
        }
        List<IvsWorld.Listed> participants = new ArrayList<>();
        for (IvsWorld.Listed participant : world.participants(stageArn, sessionId)) {
            if (filters.entrySet().stream().allMatch(filter -> filter.getValue().equals(
                    participant.json().path(filter.getKey())))) {
                ObjectNode summary = JSON.createObjectNode();
                participant.json().fields().forEachRemaining(member -> {
                    if (PARTICIPANT_SUMMARY_MEMBERS.contains(member.getKey())) {
                        summary.set(member.getKey(), member.getValue());
                    }
                });
                participants.add(new IvsWorld.Listed(summary, participant.primary(), participant.tiebreak()));
            }
        }
        return page("ListParticipants", "participants", participants, request,
                stageArn + "\n" + sessionId + "\n" + filters);
    }

    private JsonNode listParticipantEvents(JsonNode request) throws Refusal {
        String stageArn = stageArn(request);
        String sessionId = sessionId(request);
        String participantId = participantId(request);
        return page("ListParticipantEvents", "events", world.events(stageArn, sessionId, participantId), request,
                stageArn + "\n" + sessionId + "\n" + participantId);
    }

    private JsonNode getStageSession(JsonNode request) throws Refusal {
        String stageArn = stageArn(request);
        String sessionId = sessionId(request);
        JsonNode session = world.stageSession(stageArn, sessionId);
        if (session == null) {
            throw new Refusal(ApiError.notFound("Session " + sessionId + " of " + stageArn + " not found."));
        }
        return JSON.createObjectNode().set("stageSession", session);
    }

    private JsonNode getParticipant(JsonNode request) throws Refusal {
        String stageArn = stageArn(request);
        String sessionId = sessionId(request);
        String participantId = participantId(request);
        JsonNode participant = world.participant(stageArn, sessionId, participantId);
        if (participant == null) {
            throw new Refusal(ApiError.notFound("Participant " + participantId + " not found."));
        }
        return JSON.createObjectNode().set("participant", participant);
    }

    /**
     * One page of a list, from just after the item the request's token names. A token is the place of the last
     * item served, so items added while a client pages through (a session still running) never shift the pages
     * it has yet to read; it is bound to the operation and the request's identifying members.
     */
    private ObjectNode page(String operation, String member, List<IvsWorld.Listed> items, JsonNode request,
                            String scope) throws Refusal {
        int maxResults = maxResults(request);
        String token = string(request, "nextToken", false);
        String tokenScope = Integer.toHexString((operation + "\n" + scope).hashCode());
        int start = 0;
        if (token != null && !token.isEmpty()) {
            if (token.length() > 1024 || !PAGINATION_TOKEN.matcher(token).matches()) {
                throw new Refusal(ApiError.validation("1 validation error detected: Value at 'nextToken' failed to "
                        + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9+/=_-]*"));
            }
            IvsWorld.Listed after = place(token, tokenScope);
            while (start < items.size() && IvsWorld.Listed.ORDER.compare(items.get(start), after) <= 0) {
                start++;
            }
        }
        int end = Math.min(items.size(), start + Math.min(maxResults, pageSizeCap));
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode served = answer.putArray(member);
        for (IvsWorld.Listed item : items.subList(start, end)) {
            served.add(item.json());
        }
        if (end < items.size()) {
            IvsWorld.Listed last = items.get(end - 1);
            answer.put("nextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (tokenScope + ":" + last.primary() + ":" + last.tiebreak()).getBytes(StandardCharsets.UTF_8)));
        }
        return answer;
    }

    private static IvsWorld.Listed place(String token, String scope) throws Refusal {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3 && parts[0].equals(scope)) {
                return new IvsWorld.Listed(null, Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // Not one of ours: refused below, as any token this request did not get.
        }
        throw new Refusal(ApiError.validation("The pagination token is invalid for this request."));
    }

    private static int maxResults(JsonNode request) throws Refusal {
        JsonNode value = request.get("maxResults");
        if (value == null || value.isNull()) {
            return DEFAULT_MAX_RESULTS;
        }
        if (!value.isIntegralNumber()) {
            throw new Refusal(ApiError.serialization("maxResults must be an integer."));
        }
        if (!value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX_RESULTS) {
            throw new Refusal(ApiError.validation("1 validation error detected: Value '" + value
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100"));
        }
        return value.asInt();
    }

    private static String stageArn(JsonNode request) throws Refusal {
        String arn = string(request, "stageArn", true);
        if (arn.isEmpty() || arn.length() > 128 || !STAGE_ARN.matcher(arn).matches()) {
            throw new Refusal(ApiError.validation("1 validation error detected: Value at 'stageArn' failed to "
                    + "satisfy constraint: Member must have length between 1 and 128 and match pattern "
                    + STAGE_ARN.pattern()));
        }
        return arn;
    }

    private static String sessionId(JsonNode request) throws Refusal {
        String sessionId = string(request, "sessionId", true);
        if (sessionId.length() != 16 || !SESSION_ID.matcher(sessionId).matches()) {
            throw new Refusal(ApiError.validation("1 validation error detected: Value at 'sessionId' failed to "
                    + "satisfy constraint: Member must have length 16 and match pattern " + SESSION_ID.pattern()));
        }
        return sessionId;
    }

    private static String participantId(JsonNode request) throws Refusal {
        String participantId = string(request, "participantId", true);
        if (participantId.length() > 64 || !PARTICIPANT_ID.matcher(participantId).matches()) {
            throw new Refusal(ApiError.validation("1 validation error detected: Value at 'participantId' failed to "
                    + "satisfy constraint: Member must have length at most 64 and match pattern "
                    + PARTICIPANT_ID.pattern()));
        }
        return participantId;
    }

    /** A filter's value as the model types it, else 400 ValidationException naming the member. */
    private static void filter(JsonNode request, String filter, String member, Predicate<JsonNode> valid,
                               String expected, Map<String, JsonNode> filters) throws Refusal {
        JsonNode value = request.get(filter);
        if (value == null || value.isNull()) {
            return;
        }
        if (!(value.isTextual() || value.isBoolean()) || !valid.test(value)) {
            throw new Refusal(ApiError.validation("1 validation error detected: Value at '" + filter
                    + "' failed to satisfy constraint: Member must be " + expected));
        }
        filters.put(member, value);
    }

    private static String string(JsonNode request, String member, boolean required) throws Refusal {
        JsonNode value = request.get(member);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Refusal(ApiError.validation("1 validation error detected: Value null at '" + member
                        + "' failed to satisfy constraint: Member must not be null"));
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new Refusal(ApiError.serialization(member + " must be a string."));
        }
        return value.asText();
    }

    @FunctionalInterface
    private interface Operation {
        JsonNode answer(JsonNode request) throws Refusal;
    }

    /** A request the stand-in answers with an error instead of data. */
    private static final class Refusal extends Exception {
        final ApiError error;

        Refusal(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    public static final class Builder {
        private IvsWorld world = new IvsWorld();
        private AwsCredentialsIdentity credentials;
        private String region;
        private int port;
        private int pageSizeCap = MAX_RESULTS;
        private int quotaPerSecond = QUOTA_PER_SECOND;
        private final Set<String> deniedOperations = new HashSet<>();

        private Builder() {
        }

        /** The world to serve; an empty one if not given. */
        public Builder world(IvsWorld world) {
            this.world = world;
            return this;
        }

        /** The only credentials whose signatures it accepts (required); session credentials need their token. */
        public Builder credentials(AwsCredentialsIdentity credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The region a signature must be scoped to (required). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** The loopback port; 0 (the default) for any free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** At most this many items a page, whatever {@code maxResults} asks for: makes clients page. */
        public Builder pageSizeCap(int pageSizeCap) {
            if (pageSizeCap < 1) {
                throw new IllegalArgumentException("a page holds at least one item");
            }
            this.pageSizeCap = pageSizeCap;
            return this;
        }

        /**
         * Requests of one operation answered per second before it throttles: the service's
         * {@value IvsRealTimeStandIn#QUOTA_PER_SECOND} unless given. Raised only where a test reads a large world
         * fast with a client rate above the quota on purpose; throttling itself is tested at the service's quota.
         */
        public Builder quotaPerSecond(int quotaPerSecond) {
            if (quotaPerSecond < 1) {
                throw new IllegalArgumentException("a quota lets at least one request a second through");
            }
            this.quotaPerSecond = quotaPerSecond;
            return this;
        }

        /** Answers signed requests for this operation 403 AccessDeniedException, as IAM does without the action. */
        public Builder denyOperation(String operation) {
            deniedOperations.add(operation);
            return this;
        }

        public IvsRealTimeStandIn start() throws IOException {
            return new IvsRealTimeStandIn(this);
        }
    }
}
