package io.ivsstageevents.reliability;

import io.ivsstageevents.testing.LocalDynamoDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local that keeps its data on disk, so that it can be stopped and started again on the same port with
 * the table as it was: an outage, not a data loss. (LocalDynamoDb's servers are in memory: a restart empties
 * them.) The files go to /dev/shm where there is one, since SQLite's syncs to a real disk are slow.
 */
final class RestartableDynamoDb implements AutoCloseable {
    private final Path directory;
    private final int port;
    private final DynamoDbClient client;
    private DynamoDBProxyServer server;

    private RestartableDynamoDb(Path directory, int port) {
        this.directory = directory;
        this.port = port;
        this.client = LocalDynamoDb.clientFor(endpoint());
    }

    static RestartableDynamoDb start() {
        try {
            Path shm = Path.of("/dev/shm");
            Path directory = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "ivs-ddb-") : Files.createTempDirectory("ivs-ddb-");
            RestartableDynamoDb dynamoDb = new RestartableDynamoDb(directory, freePort());
            dynamoDb.startServer();
            return dynamoDb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client straight to the server, past any proxy: for setting up and reading the table. */
    DynamoDbClient client() {
        return client;
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    synchronized void stopServer() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not stop", e);
            }
            server = null;
        }
    }

    synchronized void startServer() {
        if (server != null) {
            return;
        }
        if (System.getProperty("sqlite4java.library.path") == null) {
            System.setProperty("sqlite4java.library.path", "target/native-libs");
        }
        try {
            // One database for every access key and Region: the production client and the test's client differ.
            server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-dbPath", directory.toString(), "-sharedDb", "-port", Integer.toString(port),
                    "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
    }

    @Override
    public void close() {
        stopServer();
        client.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
