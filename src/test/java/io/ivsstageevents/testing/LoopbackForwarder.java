package io.ivsstageevents.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 forwarder on 127.0.0.1 that notes every exchange it passes on, and answers some paths itself if told
 * to. In front of DynamoDB Local it shows which requests a process sent and how they ended; in front of the
 * emulator's Runtime API it answers {@code /runtime/restore/next}, the call the emulator never answers.
 */
public final class LoopbackForwarder implements AutoCloseable {
    /** One request passed on (or answered here), with the status it got; atNanos orders exchanges of forwarders. */
    public record Exchange(String method, String path, String amzTarget, int status, long atNanos) {
    }

    /** Headers java.net.http sets itself, and the framing headers of the other side's message. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "date", "keep-alive");

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI upstream;
    private final Map<String, String> answers;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private LoopbackForwarder(HttpServer server, ExecutorService threads, URI upstream, Map<String, String> answers) {
        this.server = server;
        this.threads = threads;
        this.upstream = upstream;
        this.answers = answers;
    }

    /** Passes every request on to upstream. */
    public static LoopbackForwarder start(URI upstream) {
        return start(upstream, Map.of());
    }

    /** Passes every request on to upstream, except those to a path of answers, which get its body with a 200. */
    public static LoopbackForwarder start(URI upstream, Map<String, String> answers) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // Long polls (the runtime's /invocation/next) hold their thread until an invocation arrives.
            ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "loopback-forwarder");
                thread.setDaemon(true);
                return thread;
            });
            LoopbackForwarder forwarder = new LoopbackForwarder(server, threads, upstream, Map.copyOf(answers));
            server.createContext("/", forwarder::exchange);
            server.setExecutor(threads);
            server.start();
            return forwarder;
        } catch (IOException e) {
            throw new IllegalStateException("the forwarder did not start", e);
        }
    }

    /** host:port, as AWS_LAMBDA_RUNTIME_API gives it. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI endpoint() {
        return URI.create("http://" + address());
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void exchange(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String answer = answers.get(path);
            if (answer != null) {
                exchanges.add(new Exchange(method, path, target, 200, System.nanoTime()));
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchanges.add(new Exchange(method, path, target, response.statusCode(), System.nanoTime()));
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (!NOT_COPIED.contains(header.getKey().toLowerCase(Locale.ROOT))
                        && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            byte[] upstreamAnswer = response.body();
            exchange.sendResponseHeaders(response.statusCode(),
                    upstreamAnswer.length == 0 ? -1 : upstreamAnswer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(upstreamAnswer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Upstream gone (the emulator stopping, say): the caller sees its connection fail, as without us.
            exchanges.add(new Exchange(method, path, target, -1, System.nanoTime()));
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
