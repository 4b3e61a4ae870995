package io.ivsstageevents.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * DynamoDB as a Lambda function in the same region reaches it, in front of DynamoDB Local: HTTPS, and a network
 * delay. A client connects over plain TCP to {@link #endpoint()}; every chunk it sends, and every chunk sent back,
 * is held for the one-way delay before it is passed on (in order, so requests can still be pipelined), and behind
 * that delay a TLS server terminates the connection and forwards the plain HTTP to DynamoDB Local. So the TLS
 * handshake pays the delay too, as it does in AWS. The certificate is self-signed, made by the JDK's keytool, for
 * 127.0.0.1; clients trust it through {@link #trustStore()}. A connection to {@link #controlPort()} closes every
 * connection the proxy holds, which is what a SnapStart restore does to a function's open connections.
 */
public final class LatencyProxy implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path trustStore;
    private final long oneWayNanos;
    private final ServerSocket delayServer;
    private final SSLServerSocket tlsServer;
    private final ServerSocket controlServer;
    private final URI upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private LatencyProxy(Path dir, URI upstream, long oneWayNanos) throws Exception {
        this.upstream = upstream;
        this.oneWayNanos = oneWayNanos;
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("proxy.p12");
        trustStore = dir.resolve("proxy-trust.p12");
        Path certificate = dir.resolve("proxy.cer");
        for (Path file : List.of(keyStore, trustStore, certificate)) {
            Files.deleteIfExists(file);
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass",
                "changeit", "-alias", "proxy", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost");
        run(keytool, "-exportcert", "-keystore", keyStore.toString(), "-storepass", "changeit", "-alias", "proxy",
                "-file", certificate.toString());
        run(keytool, "-importcert", "-noprompt", "-keystore", trustStore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "proxy", "-file", certificate.toString());

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        tlsServer = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, loopback);
        delayServer = new ServerSocket(0, 50, loopback);
        controlServer = new ServerSocket(0, 50, loopback);
        daemon(this::acceptTls);
        daemon(this::acceptDelayed);
        daemon(this::acceptControl);
    }

    /** A proxy to the upstream (plain HTTP) adding the one-way delay in each direction. */
    public static LatencyProxy start(Path dir, URI upstream, double oneWayMillis) {
        try {
            return new LatencyProxy(dir, upstream, Math.round(oneWayMillis * 1e6));
        } catch (Exception e) {
            throw new IllegalStateException("the latency proxy did not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + delayServer.getLocalPort());
    }

    public Path trustStore() {
        return trustStore;
    }

    public int controlPort() {
        return controlServer.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        delayServer.close();
        tlsServer.close();
        controlServer.close();
        closeAll();
    }

    private void closeAll() {
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
    }

    private void acceptDelayed() {
        while (!delayServer.isClosed()) {
            try {
                Socket client = track(delayServer.accept());
                Socket tlsSide = track(new Socket(InetAddress.getLoopbackAddress(), tlsServer.getLocalPort()));
                daemon(() -> pump(client, tlsSide, oneWayNanos));
                daemon(() -> pump(tlsSide, client, oneWayNanos));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void acceptTls() {
        while (!tlsServer.isClosed()) {
            try {
                Socket decrypted = track(tlsServer.accept());
                Socket dynamoDb = track(new Socket(upstream.getHost(), upstream.getPort()));
                daemon(() -> pump(decrypted, dynamoDb, 0));
                daemon(() -> pump(dynamoDb, decrypted, 0));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void acceptControl() {
        while (!controlServer.isClosed()) {
            try (Socket control = controlServer.accept()) {
                closeAll();
                // Answers once every connection is closed, so the client's next request meets them closed.
                Thread.sleep(100);
                control.getOutputStream().write('\n');
            } catch (IOException closed) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Socket track(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        open.add(socket);
        return socket;
    }

    /** Bytes from one socket to the other, each chunk held until the delay has passed since it was read. */
    private void pump(Socket from, Socket to, long delayNanos) {
        LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        Object[] end = new Object[0];
        Thread writer = daemon(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Object[] chunk = queue.take();
                    if (chunk == end) {
                        to.shutdownOutput();
                        return;
                    }
                    long wait = (long) chunk[0] - System.nanoTime();
                    while (wait > 0) {
                        LockSupport.parkNanos(wait);
                        wait = (long) chunk[0] - System.nanoTime();
                    }
                    out.write((byte[]) chunk[1]);
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
        try (InputStream in = from.getInputStream()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                queue.add(new Object[] {System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)});
            }
        } catch (IOException closed) {
            // the other side's writer closes both
        }
        queue.add(end);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body, "latency-proxy");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed: " + output));
        }
    }
}
