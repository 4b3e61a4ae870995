package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The function as Lambda's Java runtime runs it, without Docker: the AWS Lambda Runtime Interface Emulator (RIE) in
 * front, and under it the Java Runtime Interface Client (RIC) in a JVM of its own, loading the function from a task
 * root as the public.ecr.aws/lambda/java images do: the runtime's jars on the class path, the function's code in
 * the working directory, the handler named as template.yaml names it. The pinned RIE binary, the RIC's class path
 * and the task root come from system properties, which .ci/lambda-runtime and ./invoke-local --lambda-runtime set.
 * Any function of the template can be started (StageEventsFunction unless another logical id is given): its handler,
 * and the name, memory and timeout Lambda tells it, are the template's.
 *
 * <p>The SnapStart path: Lambda starts the runtime with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}; the RIC
 * then runs the CRaC {@code beforeCheckpoint} hooks after init and waits on {@code /runtime/restore/next} until the
 * snapshot is restored. RIE's init caching serves that path but has no restore to answer it with, so here a
 * {@link LoopbackForwarder} stands between the RIC and RIE's Runtime API and answers it itself, as a restore would.
 * As after a restore, the function then has no credentials in its environment, only a container credentials
 * endpoint: RIE serves one with init caching, but with an expiry of year 0, which makes the SDK fetch credentials
 * again before every request (and warn each time), so the forwarder answers that path too, with an hour to live.
 */
public final class LambdaRuntime implements AutoCloseable {
    public static final String RIE_PROPERTY = "lambda.runtime.rie";
    public static final String CLASSPATH_PROPERTY = "lambda.runtime.classpath";
    public static final String TASK_ROOT_PROPERTY = "lambda.runtime.task";
    /**
     * The task root of one function, by logical id ({@code lambda.runtime.task.ReconcilerFunction}): sam build gives
     * each function a directory of its own. Without it, {@link #TASK_ROOT_PROPERTY}'s.
     */
    public static final String FUNCTION_TASK_ROOT_PROPERTY_PREFIX = TASK_ROOT_PROPERTY + ".";
    /** Optional: the JDK the function runs on (default: this JVM's). */
    public static final String JAVA_HOME_PROPERTY = "lambda.runtime.java";
    /** The function started when none is named: the one every trigger invokes. */
    public static final String DEFAULT_FUNCTION = "StageEventsFunction";
    /**
     * The credentials the function is given, as Lambda gives its role's: in the environment, or on the SnapStart path
     * from the container credentials endpoint. DynamoDB Local's (it keeps a database per access key: LocalDynamoDb's,
     * so that the function sees its tables); a stand-in of another service is started with them to accept the
     * function's signatures.
     */
    public static final AwsSessionCredentials FUNCTION_CREDENTIALS =
            AwsSessionCredentials.create("local", "local", "local");
    /** The stack name the function names are formed with, as CloudFormation forms them: {stack}-{logical id}. */
    private static final String STACK_NAME = "ivs-stage-events";

    public static final String RESTORE_NEXT = "/2018-06-01/runtime/restore/next";
    /** The container credentials endpoint, as Lambda serves SnapStart functions' (and RIE, with init caching). */
    public static final String CREDENTIALS = "/2021-04-23/credentials";
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /**
     * The JVM options of Lambda's Java runtime that bear on what is checked here: its serial collector, its CRaC
     * compatibility layer (without which org.crac never hands the priming hook to the RIC), IPv4, native access.
     */
    private static final List<String> RUNTIME_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:auto",
            "-Djava.net.preferIPv4Stack=true", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
            // The RIC loads its native library with System.load, which JDK 24 and later warn of at every start.
            "--enable-native-access=ALL-UNNAMED");
    /** What Lambda's runtime adds without SnapStart: C1 only, for a shorter cold start. */
    private static final String ON_DEMAND_JIT = "-XX:TieredStopAtLevel=1";
    /** Only against a runtime that hangs: nothing here is timed by this bound. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);
    private static final Pattern INIT_REPORT = Pattern.compile("INIT REPORT\\(durationMs: ([0-9.]+)\\)");
    private static final Pattern REPORT_DURATION = Pattern.compile("\tDuration: ([0-9.]+) ms");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one invocation returned, and what the runtime printed from its START to its REPORT line (nothing if the
     * runtime failed rather than the function: RIE then answers 502 and reports nothing).
     */
    public record Invocation(String requestId, int status, String body, List<String> output, double durationMillis) {
        /** The RIC's answer for a handler that threw: {"errorMessage":…,"errorType":…,"stackTrace":[…]}. */
        public boolean isFunctionError() {
            return errorType() != null;
        }

        public String errorType() {
            JsonNode answer = answer();
            return answer != null && answer.hasNonNull("errorType") ? answer.get("errorType").asText() : null;
        }

        public String errorMessage() {
            JsonNode answer = answer();
            return answer != null && answer.hasNonNull("errorMessage") ? answer.get("errorMessage").asText() : null;
        }

        private JsonNode answer() {
            try {
                JsonNode answer = body.isEmpty() ? null : JSON.readTree(body);
                return answer != null && answer.isObject() ? answer : null;
            } catch (IOException notJson) {
                return null;
            }
        }
    }

    /** Where the emulator, the runtime client and the function's code are. */
    public record Installation(Path rie, String runtimeClassPath, Path taskRoot, Path javaHome) {
        public static Installation fromSystemProperties() {
            return new Installation(Path.of(required(RIE_PROPERTY)), required(CLASSPATH_PROPERTY),
                    Path.of(required(TASK_ROOT_PROPERTY)).toAbsolutePath(),
                    Path.of(System.getProperty(JAVA_HOME_PROPERTY, System.getProperty("java.home"))));
        }

        /** The same, with the named function's own task root if one is set (FUNCTION_TASK_ROOT_PROPERTY_PREFIX). */
        public static Installation fromSystemProperties(String function) {
            Installation installation = fromSystemProperties();
            String own = System.getProperty(FUNCTION_TASK_ROOT_PROPERTY_PREFIX + function);
            return own == null || own.isBlank() ? installation : new Installation(installation.rie(),
                    installation.runtimeClassPath(), Path.of(own).toAbsolutePath(), installation.javaHome());
        }

        private static String required(String property) {
            String value = System.getProperty(property);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("system property " + property + " is not set: run through"
                        + " .ci/lambda-runtime or ./invoke-local --lambda-runtime, which build and set it");
            }
            return value;
        }
    }

    private final Process process;
    private final URI invocations;
    private final LoopbackForwarder runtimeApiForwarder;
    private final List<String> output = new ArrayList<>();
    private final List<String> emulatorLog = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LambdaRuntime(Process process, URI invocations, LoopbackForwarder runtimeApiForwarder) {
        this.process = process;
        this.invocations = invocations;
        this.runtimeApiForwarder = runtimeApiForwarder;
        collect(process.getInputStream(), output);
        collect(process.getErrorStream(), emulatorLog);
    }

    /**
     * Starts the emulator on StageEventsFunction; the runtime's init runs on the first invocation, as in Lambda.
     * functionEnvironment is what template.yaml would set (TABLE_NAME...); the variables Lambda sets itself are
     * added here.
     */
    public static LambdaRuntime start(Installation installation, Map<String, String> functionEnvironment,
                                      int timeoutSeconds, boolean snapStart) {
        return start(installation, DEFAULT_FUNCTION, functionEnvironment, timeoutSeconds, snapStart);
    }

    /**
     * The same for the template's function of this logical id (StageEventsFunction, ReconcilerFunction): its
     * handler, and the name and memory size Lambda would give it. snapStart only for a function the template gives
     * SnapStart.
     */
    public static LambdaRuntime start(Installation installation, String function,
                                      Map<String, String> functionEnvironment, int timeoutSeconds,
                                      boolean snapStart) {
        String handler = handler(function);
        if (snapStart && !CloudFormationTemplate.load().properties(function).containsKey("SnapStart")) {
            throw new IllegalArgumentException(function + " has no SnapStart in template.yaml");
        }
        int emulatorPort = freePort();
        int runtimeApiPort = freePort();
        LoopbackForwarder runtimeApiForwarder = snapStart ? LoopbackForwarder.start(
                URI.create("http://127.0.0.1:" + runtimeApiPort),
                Map.of(RESTORE_NEXT, "", CREDENTIALS, credentials(Instant.now().plus(Duration.ofHours(1))))) : null;

        List<String> command = new ArrayList<>(List.of(installation.rie().toString(), "--log-level", "info",
                "--runtime-interface-emulator-address", "127.0.0.1:" + emulatorPort,
                "--runtime-api-address", "127.0.0.1:" + runtimeApiPort));
        if (snapStart) {
            command.addAll(List.of("--enable-init-caching", "/usr/bin/env",
                    "-u", "AWS_ACCESS_KEY_ID", "-u", "AWS_SECRET_ACCESS_KEY", "-u", "AWS_SESSION_TOKEN",
                    "AWS_LAMBDA_RUNTIME_API=" + runtimeApiForwarder.address(),
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI=" + runtimeApiForwarder.endpoint() + CREDENTIALS));
        }
        command.add(installation.javaHome().resolve("bin").resolve("java").toString());
        command.addAll(RUNTIME_JVM_OPTIONS);
        if (!snapStart) {
            command.add(ON_DEMAND_JIT);
        }
        command.addAll(List.of("-cp", installation.runtimeClassPath(), RIC_MAIN, handler));

        ProcessBuilder builder = new ProcessBuilder(command).directory(installation.taskRoot().toFile());
        // Only what Lambda gives a function: nothing of this machine's AWS settings, profiles or PATH.
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("AWS_REGION", LocalDynamoDb.REGION);
        environment.put("AWS_DEFAULT_REGION", LocalDynamoDb.REGION);
        // FUNCTION_CREDENTIALS. RIE hands them to the function; on the SnapStart path they leave its environment
        // for the endpoint.
        environment.put("AWS_ACCESS_KEY_ID", FUNCTION_CREDENTIALS.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", FUNCTION_CREDENTIALS.secretAccessKey());
        environment.put("AWS_SESSION_TOKEN", FUNCTION_CREDENTIALS.sessionToken());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", STACK_NAME + "-" + function);
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memorySize(function)));
        environment.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(timeoutSeconds));
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        environment.put("LAMBDA_TASK_ROOT", installation.taskRoot().toString());
        environment.put("TZ", ":UTC");
        environment.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        environment.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        if (snapStart) {
            environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        }
        environment.putAll(functionEnvironment);
        try {
            LambdaRuntime runtime = new LambdaRuntime(builder.start(),
                    URI.create("http://127.0.0.1:" + emulatorPort + "/2015-03-31/functions/function/invocations"),
                    runtimeApiForwarder);
            runtime.awaitListening(emulatorPort);
            return runtime;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + installation.rie(), e);
        }
    }

    /** FUNCTION_CREDENTIALS, in the container credentials endpoint's form. */
    private static String credentials(Instant expiration) {
        return "{\"AccessKeyId\":\"" + FUNCTION_CREDENTIALS.accessKeyId() + "\",\"SecretAccessKey\":\""
                + FUNCTION_CREDENTIALS.secretAccessKey() + "\",\"Token\":\"" + FUNCTION_CREDENTIALS.sessionToken()
                + "\",\"Expiration\":\"" + expiration + "\"}";
    }

    /** The handler string template.yaml gives Lambda for StageEventsFunction. */
    public static String handler() {
        return handler(DEFAULT_FUNCTION);
    }

    /** The handler string template.yaml gives Lambda for the function of this logical id. */
    public static String handler(String function) {
        Object handler = CloudFormationTemplate.load().properties(function).get("Handler");
        if (!(handler instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("template.yaml gives " + function + " no Handler");
        }
        return text;
    }

    /** StageEventsFunction's timeout when FunctionTimeout is left at its default. */
    public static int defaultTimeoutSeconds() {
        return defaultTimeoutSeconds(DEFAULT_FUNCTION);
    }

    /** The function's Timeout, a parameter's (FunctionTimeout) left at its default. */
    public static int defaultTimeoutSeconds(String function) {
        return withParameterDefaults(CloudFormationTemplate.load().properties(function).get("Timeout"), function,
                "Timeout");
    }

    /** The function's MemorySize, a parameter's (FunctionMemorySize) left at its default. */
    public static int memorySize(String function) {
        return withParameterDefaults(CloudFormationTemplate.load().properties(function).get("MemorySize"), function,
                "MemorySize");
    }

    /** A number, or {Ref: parameter} for the parameter's default. */
    private static int withParameterDefaults(Object value, String function, String property) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.size() == 1 && intrinsic.get("Ref") instanceof String p) {
            value = CloudFormationTemplate.load().parameter(p).get("Default");
        }
        if (!(value instanceof Integer number)) {
            throw new IllegalArgumentException(function + "'s " + property + " in template.yaml is neither a number"
                    + " nor a parameter's with a numeric default: " + value);
        }
        return number;
    }

    public Invocation invoke(byte[] payload) {
        String requestId = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(invocations)
                .header("X-Amzn-RequestId", requestId)
                .timeout(HANG_GUARD)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        try {
            HttpResponse<String> response =
                    client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            // RIE prints no REPORT line for an invocation whose runtime failed (502: its init, say).
            List<String> lines = response.statusCode() == 200 ? linesOf(requestId) : List.of();
            return new Invocation(requestId, response.statusCode(), response.body(), lines,
                    lines.isEmpty() ? Double.NaN : durationOf(lines));
        } catch (IOException e) {
            throw new UncheckedIOException("invoking through " + invocations + "; the emulator's log:\n"
                    + String.join("\n", emulatorLog()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Invocation invoke(Path eventFile) {
        try {
            return invoke(Files.readAllBytes(eventFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the emulator and the runtime printed on stdout so far: START, the function's lines, END, REPORT. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The emulator's own log (stderr): INIT START, INIT REPORT, INVOKE RTDONE... */
    public List<String> emulatorLog() {
        synchronized (emulatorLog) {
            return List.copyOf(emulatorLog);
        }
    }

    /** The runtime's init, as RIE's INIT REPORT line gives it (its REPORT line's Init Duration is not the init). */
    public OptionalDouble initDurationMillis() {
        return emulatorLog().stream().map(INIT_REPORT::matcher).filter(Matcher::find)
                .mapToDouble(matcher -> Double.parseDouble(matcher.group(1))).findFirst();
    }

    /** Requests the RIC sent to the Runtime API, and the function to the credentials endpoint: SnapStart path only. */
    public List<LoopbackForwarder.Exchange> runtimeApiExchanges() {
        return runtimeApiForwarder == null ? List.of() : runtimeApiForwarder.exchanges();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runtimeApiForwarder != null) {
            runtimeApiForwarder.close();
        }
    }

    /** RIE prints the REPORT line before it answers, but this side reads the pipe on its own thread. */
    private List<String> linesOf(String requestId) throws InterruptedException {
        String start = "START RequestId: " + requestId;
        String report = "REPORT RequestId: " + requestId;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> all = output();
            int from = indexOfPrefix(all, start);
            int to = indexOfPrefix(all, report);
            if (from >= 0 && to > from) {
                return all.subList(from, to + 1);
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no REPORT line for " + requestId + " in:\n" + String.join("\n", output()));
    }

    private static double durationOf(List<String> lines) {
        Matcher matcher = REPORT_DURATION.matcher(lines.get(lines.size() - 1));
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private void awaitListening(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (ConnectException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the emulator did not start; its log:\n"
                            + String.join("\n", emulatorLog()));
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void collect(InputStream stream, List<String> into) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (into) {
                        into.add(line);
                    }
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "lambda-runtime-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
