package io.ivsstageevents.ivsapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * The IVS Real-Time read operations the reconciler needs, as SigV4-signed REST-JSON calls through the SDK's own
 * signer and the HTTP client the function already carries. Not the SDK's {@code ivsrealtime} module:
 * the 2.40.2 the registry serves predates TOKEN_EXCHANGED, and its {@code Event} drops both tokens of every
 * exchange without a word. Answers come back as JSON objects, exactly as sent, for the project's own
 * {@code EventSource} reader, which keeps every member and every enum value it does not know yet.
 *
 * <p>Every attempt, retries included, first waits for the client's rate budget (default 1 request per second for
 * all operations together), so the budget bounds what is sent. The account quota is 5 per second per operation and
 * the customer's own applications share it; an answer 429 {@code ThrottlingException} is retried after an
 * exponential, jittered backoff, a bounded number of times, and counted ({@link #throttles()}). Any other failure
 * is an {@link IvsApiException} naming the operation and the AWS error type. Safe for concurrent use.
 */
public final class IvsRealTimeApi implements AutoCloseable {
    static final String SIGNING_NAME = "ivs";
    public static final double DEFAULT_REQUESTS_PER_SECOND = 1.0;
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    /** The model's largest page: the fewest calls against the quota. */
    static final int MAX_RESULTS = 100;
    /**
     * The first retry waits 100-200 ms, each after it twice as long, to at most 2.5-5 s: a throttled operation's
     * window of one second has room again well within the first few retries, and eight attempts end within
     * about 16 s, inside any sensible function timeout.
     */
    static final long BACKOFF_BASE_MILLIS = 200;
    /**
     * A server error (5xx) or a request that got no answer is retried this many times in all, as the AWS SDKs'
     * standard mode does: a passing fault should not fail a whole run, and a lasting one should fail it soon.
     */
    public static final int TRANSIENT_ATTEMPTS = 3;
    static final long BACKOFF_CAP_MILLIS = 5_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** A page of 100 events is some 100 KB; ten seconds is far beyond what the service takes for it. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final SdkHttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final RequestRateLimiter limiter;
    private final int maxAttempts;
    private final AtomicLong requestsSent = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();

    private IvsRealTimeApi(Builder builder) {
        this.region = Objects.requireNonNull(builder.region, "region");
        // Settings first: a bad one must fail before there is a client or a credentials provider to leak.
        this.limiter = new RequestRateLimiter(builder.requestsPerSecond);
        if (builder.maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt, was " + builder.maxAttempts);
        }
        this.maxAttempts = builder.maxAttempts;
        URI endpoint = builder.endpointOverride != null ? builder.endpointOverride
                : URI.create("https://ivsrealtime." + region + ".amazonaws.com");
        String text = endpoint.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.ownsCredentials = builder.credentials == null;
        // The default chain finds the credentials Lambda provides, also after a SnapStart restore.
        this.credentials = ownsCredentials ? DefaultCredentialsProvider.builder().build() : builder.credentials;
        this.http = ApacheHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A page of {@code StageSummary} objects. */
    public ApiPage listStages(String nextToken) {
        return page("ListStages", "stages", members(nextToken));
    }

    /** A page of {@code StageSessionSummary} objects ({@code sessionId}, {@code startTime}, {@code endTime}). */
    public ApiPage listStageSessions(String stageArn, String nextToken) {
        Map<String, Object> members = members(nextToken);
        members.put("stageArn", stageArn);
        return page("ListStageSessions", "stageSessions", members);
    }

    /** A page of {@code ParticipantSummary} objects. */
    public ApiPage listParticipants(String stageArn, String sessionId, String nextToken) {
        Map<String, Object> members = members(nextToken);
        members.put("stageArn", stageArn);
        members.put("sessionId", sessionId);
        return page("ListParticipants", "participants", members);
    }

    /** A page of {@code Event} objects, the API's form of {@code EventSource}; the service lists newest first. */
    public ApiPage listParticipantEvents(String stageArn, String sessionId, String participantId,
                                         String nextToken) {
        Map<String, Object> members = members(nextToken);
        members.put("stageArn", stageArn);
        members.put("sessionId", sessionId);
        members.put("participantId", participantId);
        return page("ListParticipantEvents", "events", members);
    }

    /** The {@code StageSession} object. */
    public Map<String, Object> getStageSession(String stageArn, String sessionId) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("stageArn", stageArn);
        members.put("sessionId", sessionId);
        return object("GetStageSession", "stageSession", members);
    }

    /** The {@code Participant} object. */
    public Map<String, Object> getParticipant(String stageArn, String sessionId, String participantId) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("stageArn", stageArn);
        members.put("sessionId", sessionId);
        members.put("participantId", participantId);
        return object("GetParticipant", "participant", members);
    }

    /** Where requests go: the regional endpoint of the service's endpoint rules, or the override. */
    String endpoint() {
        return base;
    }

    /** Requests sent since this client was built, retries included: what the budget bounds and AWS counts. */
    public long requestsSent() {
        return requestsSent.get();
    }

    /** Answers 429 received since this client was built, each retried or, after the last attempt, thrown. */
    public long throttles() {
        return throttles.get();
    }

    @Override
    public void close() {
        http.close();
        if (ownsCredentials && credentials instanceof AutoCloseable) {
            try {
                ((AutoCloseable) credentials).close();
            } catch (Exception e) {
                // Nothing is left to lose by a provider that fails to release its threads at shutdown.
            }
        }
    }

    private static Map<String, Object> members(String nextToken) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("maxResults", MAX_RESULTS);
        if (nextToken != null) {
            members.put("nextToken", nextToken);
        }
        return members;
    }

    @SuppressWarnings("unchecked")
    private ApiPage page(String operation, String listMember, Map<String, Object> members) {
        Map<String, Object> answer = call(operation, members);
        Object items = answer.get(listMember);
        Object nextToken = answer.get("nextToken");
        if (!(items instanceof List) || !((List<Object>) items).stream().allMatch(Map.class::isInstance)
                || (nextToken != null && !(nextToken instanceof String))) {
            throw new IvsApiException(operation, 200, null, null,
                    "the answer has no list of objects '" + listMember + "' or a nextToken that is not a string");
        }
        return ApiPage.builder()
                .items((List<Map<String, Object>>) items)
                .nextToken((String) nextToken)
                .build();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String operation, String member, Map<String, Object> members) {
        Object object = call(operation, members).get(member);
        if (!(object instanceof Map)) {
            throw new IvsApiException(operation, 200, null, null, "the answer has no object '" + member + "'");
        }
        return (Map<String, Object>) object;
    }

    private Map<String, Object> call(String operation, Map<String, Object> members) {
        byte[] body = ApiJson.write(members);
        try {
            for (int attempt = 1; ; attempt++) {
                limiter.acquire();
                Answer answer;
                try {
                    answer = send(operation, body);
                } catch (IOException e) {
                    if (attempt < Math.min(maxAttempts, TRANSIENT_ATTEMPTS)) {
                        backOff(attempt);
                        continue;
                    }
                    throw new IvsApiException(operation, "no answer from " + base + " after " + attempt
                            + " attempt(s): " + e.getClass().getSimpleName(), e);
                }
                if (answer.status >= 500 && attempt < Math.min(maxAttempts, TRANSIENT_ATTEMPTS)) {
                    backOff(attempt);
                    continue;
                }
                if (answer.status == 200) {
                    Map<String, Object> json = ApiJson.read(answer.body);
                    if (json == null) {
                        throw new IvsApiException(operation, 200, null, answer.requestId,
                                "the answer is not a readable JSON object");
                    }
                    return json;
                }
                if (answer.status == 429) {
                    throttles.incrementAndGet();
                    if (attempt < maxAttempts) {
                        backOff(attempt);
                        continue;
                    }
                    throw new IvsApiException(operation, 429, answer.errorType(), answer.requestId,
                            "throttled on each of " + maxAttempts + " attempts");
                }
                throw new IvsApiException(operation, answer.status, answer.errorType(), answer.requestId,
                        "the service answered with an error");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IvsApiException(operation, "interrupted while waiting to send", e);
        }
    }

    private Answer send(String operation, byte[] body) throws IOException {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(base + "/" + operation))
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed;
        try {
            signed = signer.sign(signing -> signing
                    .identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (SdkClientException e) {
            throw new IvsApiException(operation, "no credentials to sign with", e);
        }
        requestsSent.incrementAndGet();
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
        byte[] answer = new byte[0];
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                answer = in.readAllBytes();
            }
        }
        return new Answer(response.httpResponse().statusCode(),
                response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(null),
                response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null),
                answer);
    }

    /** Equal jitter: half the ceiling for sure, so a retry never comes straight back into a full window. */
    private static void backOff(int attempt) throws InterruptedException {
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt - 1, 16));
        TimeUnit.MILLISECONDS.sleep(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private static final class Answer {
        final int status;
        final String errorTypeHeader;
        final String requestId;
        final byte[] body;

        Answer(int status, String errorTypeHeader, String requestId, byte[] body) {
            this.status = status;
            this.errorTypeHeader = errorTypeHeader;
            this.requestId = requestId;
            this.body = body;
        }

        /**
         * The error type as AWS's REST-JSON protocol carries it: the header, which may end in
         * {@code :http://internal.amazon.com/coral/...}, else the body's {@code __type}, which may start with
         * {@code namespace#}. Only that member is read: the rest of an error body may quote the request.
         */
        String errorType() {
            String type = errorTypeHeader;
            if (type == null) {
                Map<String, Object> json = ApiJson.read(body);
                Object bodyType = json == null ? null : json.get("__type");
                type = bodyType instanceof String ? (String) bodyType : null;
            }
            if (type == null) {
                return null;
            }
            int colon = type.indexOf(':');
            String name = colon < 0 ? type : type.substring(0, colon);
            return name.substring(name.lastIndexOf('#') + 1);
        }
    }

    public static final class Builder {
        private String region;
        private URI endpointOverride;
        private AwsCredentialsProvider credentials;
        private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

        private Builder() {
        }

        /** The region to sign for and, unless overridden, to call ({@code ivsrealtime.{region}.amazonaws.com}). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Another endpoint, such as the test stand-in; requests are still signed for the region. */
        public Builder endpointOverride(URI endpointOverride) {
            this.endpointOverride = endpointOverride;
            return this;
        }

        /** The credentials to sign with; the SDK's default chain if not given (closed with this client). */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The most requests a second this client sends, all operations together. */
        public Builder requestsPerSecond(double requestsPerSecond) {
            this.requestsPerSecond = requestsPerSecond;
            return this;
        }

        /** Attempts per call when throttled, the first included. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public IvsRealTimeApi build() {
            return new IvsRealTimeApi(this);
        }
    }
}
