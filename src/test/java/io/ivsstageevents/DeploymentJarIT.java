package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.EmfRules;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.SampleEvents;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The deployment jar runs the function on its own. The shade filters in pom.xml take out parts of the SDK and of other
 * dependencies that no path of the function loads; a class some path does need would be missing from the jar only,
 * never from the test class path, and every other test would still pass. So here a separate JVM gets the shaded jar
 * and, besides it, one launcher class on its class path, standing in for the Lambda runtime. DynamoDB Local, in this
 * JVM on loopback, holds the tables; the JVM resolves names from a hosts file that knows only localhost, so nothing
 * leaves the machine.
 */
class DeploymentJarIT {
    static final List<String> SAMPLES =
            List.of("token-exchanged.json", "replication-started.json", "publish-error.json");
    /** DynamoDB Local keeps a database per access key: the forked function takes LocalDynamoDb's, to see its tables. */
    private static final String LOCAL_ACCESS_KEY = "local";
    /** Only against a JVM that hangs: a run takes seconds. Nothing here is timed. */
    private static final long HANG_GUARD_MINUTES = 5;

    @TempDir
    static Path workDir;

    private static LocalDynamoDb dynamoDb;
    private static String jarTable;
    private static Run jarRun;
    private static LocalFunction inProcess;

    @BeforeAll
    static void runTheJarAndTheFunctionInProcessOnTheSamples() throws IOException, InterruptedException {
        dynamoDb = LocalDynamoDb.shared();
        jarTable = dynamoDb.createTable();
        jarRun = runJar(Map.of(
                Configuration.TABLE_NAME, jarTable,
                Configuration.DYNAMODB_ENDPOINT, dynamoDb.endpoint().toString()), List.of());

        inProcess = new LocalFunction(dynamoDb.client(), dynamoDb.createTable());
        SAMPLES.forEach(inProcess::invoke);
    }

    @Test
    void theJarAloneBuildsPrimesAndRunsTheHandlerOnEachSample() {
        assertThat(jarRun.exitCode())
                .as("exit code of java -cp <jar>:<launcher>; its standard error:%n%s", jarRun.stderr())
                .isZero();
    }

    @Test
    void theJarRecordsInTheTableWhatTheFunctionRecordsInProcess() {
        List<Map<String, AttributeValue>> recorded = dynamoDb.allItems(jarTable);

        assertThat(recorded).as("items the jar wrote; its standard error:%n%s", jarRun.stderr())
                .extracting(item -> item.get(TableDesign.ITEM_TYPE).s())
                .containsExactlyInAnyOrder(TableDesign.EVENT, TableDesign.EVENT,
                        TableDesign.TOKEN_STATE, TableDesign.REPLICATION_STATE);
        assertThat(recorded).containsExactlyInAnyOrderElementsOf(dynamoDb.allItems(inProcess.table()));
    }

    @Test
    void theJarPrintsTheFunctionsMetricDocumentsTheParticipantErrorAmongThem() {
        List<String> documents = jarRun.stdout().stream().filter(line -> line.startsWith("{")).toList();

        assertThat(documents).as("EMF documents on standard output; all of it:%n%s", String.join("\n", jarRun.stdout()))
                .anySatisfy(document -> {
                    JsonNode error = EmfRules.parse(document);
                    assertThat(error.path("ParticipantErrors").asInt()).isEqualTo(1);
                    assertThat(error.path("ErrorCode").asText()).isEqualTo("BITRATE_EXCEEDED");
                    assertThat(error.path("EventName").asText()).isEqualTo("PUBLISH_ERROR");
                })
                .allSatisfy(document -> assertThat(EmfRules.violations(document)).as(document).isEmpty());
        assertThat(withoutTimestamps(documents)).isEqualTo(withoutTimestamps(inProcess.metrics()));
    }

    /**
     * In AWS there is no endpoint override: the client finds DynamoDB's regional endpoint itself, from the endpoint
     * rules in the jar (the SDK's generated region and service metadata are filtered out of it). A loopback proxy
     * stands in for the network: it is asked for the tunnel to that endpoint, after the request has been built and
     * signed, and refuses it.
     */
    @Test
    void withoutAnEndpointOverrideAsInAwsTheJarAsksForTheRegionalEndpoint() throws IOException, InterruptedException {
        try (RefusingProxy proxy = RefusingProxy.start()) {
            // The Apache client reads the proxy of its own scheme's properties, http.* by default, and tunnels
            // HTTPS through it; the https.* pair is the JDK's, for any client that uses it.
            Run awsRun = runJar(Map.of(Configuration.TABLE_NAME, "ivs-stage-events"),
                    List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxy.port(),
                            "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + proxy.port()));

            assertThat(proxy.requestLines()).as("requests to the proxy; the JVM's standard error:%n%s", awsRun.stderr())
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line)
                            .isEqualTo("CONNECT dynamodb." + LocalDynamoDb.REGION + ".amazonaws.com:443 HTTP/1.1"));
            // The Apache client hands the refused tunnel back as the proxy's answer, a 502.
            assertThat(awsRun.stderr())
                    .contains("Status Code: 502")
                    .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "VerifyError",
                            "ServiceConfigurationError");
        }
    }

    /**
     * The forked JVM's main class, and the one class it gets from outside the jar: the Lambda runtime's part, reduced
     * to building the handler as Lambda does (from the environment), the priming SnapStart runs before its snapshot
     * (called directly: this is no CRaC JVM), and one call per event file. It uses nothing but the jar.
     */
    public static final class Launcher {
        private Launcher() {
        }

        public static void main(String[] eventFiles) throws IOException {
            StageEventHandler handler = new StageEventHandler();
            handler.priming().beforeCheckpoint(null);
            for (String file : eventFiles) {
                try (InputStream event = Files.newInputStream(Path.of(file))) {
                    handler.handleRequest(event, OutputStream.nullOutputStream(), null);
                }
            }
        }
    }

    record Run(int exitCode, List<String> stdout, String stderr) {
    }

    /** java -cp <the shaded jar>:<a folder holding only the launcher's class file>, on the samples, env cleared. */
    private static Run runJar(Map<String, String> functionEnvironment, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path runDir = Files.createTempDirectory(workDir, "run");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djdk.net.hosts.file=" + hostsFile());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(deploymentJar() + File.pathSeparator + launcherAlone());
        command.add(Launcher.class.getName());
        SAMPLES.forEach(sample -> command.add(SampleEvents.DIRECTORY.resolve(sample).toAbsolutePath().toString()));

        Path stdout = runDir.resolve("stdout");
        Path stderr = runDir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // As in Lambda, only what the function is given: nothing of this machine's AWS settings or profile files.
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put(Configuration.AWS_REGION, LocalDynamoDb.REGION);
        environment.put("AWS_ACCESS_KEY_ID", LOCAL_ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", LOCAL_ACCESS_KEY);
        environment.put("AWS_CONFIG_FILE", runDir.resolve("no-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", runDir.resolve("no-credentials").toString());
        environment.putAll(functionEnvironment);

        Process process = builder.start();
        if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the forked JVM hung; its standard error: " + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readAllLines(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static Path deploymentJar() {
        String property = System.getProperty("lambda.jar");
        assertThat(property).as("system property lambda.jar (failsafe sets it to the shaded jar)").isNotBlank();
        Path jar = Path.of(property);
        assertThat(jar).isRegularFile();
        return jar;
    }

    /** The launcher's class file copied alone into a folder: test-classes itself stays off the forked class path. */
    private static Path launcherAlone() throws IOException {
        Path folder = workDir.resolve("launcher");
        String classFile = Launcher.class.getName().replace('.', '/') + ".class";
        Path copy = folder.resolve(classFile);
        if (!Files.exists(copy)) {
            Files.createDirectories(copy.getParent());
            try (InputStream in = Launcher.class.getClassLoader().getResourceAsStream(classFile)) {
                assertThat(in).as(classFile).isNotNull();
                Files.copy(in, copy);
            }
        }
        return folder;
    }

    /** Name resolution from this file alone: a host the function should not reach cannot even be looked up. */
    private static Path hostsFile() throws IOException {
        Path hosts = workDir.resolve("hosts");
        if (!Files.exists(hosts)) {
            Files.writeString(hosts, "127.0.0.1 localhost\n");
        }
        return hosts;
    }

    private static List<JsonNode> withoutTimestamps(List<String> documents) {
        List<JsonNode> trees = new ArrayList<>();
        for (String document : documents) {
            JsonNode tree = EmfRules.parse(document);
            ((ObjectNode) tree.get("_aws")).remove("Timestamp");
            trees.add(tree);
        }
        return trees;
    }

    /** An HTTPS proxy on loopback that notes each request line and answers 502: the network, refusing. */
    private static final class RefusingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final List<String> requestLines = new CopyOnWriteArrayList<>();

        private RefusingProxy(ServerSocket server) {
            this.server = server;
        }

        static RefusingProxy start() throws IOException {
            RefusingProxy proxy = new RefusingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(proxy::serve, "refusing-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> requestLines() {
            return List.copyOf(requestLines);
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                    requestLines.add(in.readLine());
                    String header;
                    do {
                        header = in.readLine();
                    } while (header != null && !header.isEmpty());
                    client.getOutputStream().write(
                            "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // closed, or a client gone mid-request: its request line, if any, is noted already
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
