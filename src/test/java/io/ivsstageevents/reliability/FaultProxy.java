package io.ivsstageevents.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP proxy on 127.0.0.1 in front of DynamoDB Local that does to each request what a {@link Plan} says:
 * pass it on, hold it, drop the connection before or after DynamoDB saw it, or answer for DynamoDB with throttling
 * or a server error. It speaks just enough HTTP/1.1 for the SDK's requests (a head and a Content-Length body), and
 * closes every connection after one exchange, so that no fault leaks into the next request.
 */
final class FaultProxy implements AutoCloseable {
    enum Fault {
        /** Passed on untouched. */
        NONE,
        /** Held a little, well under the SDK's attempt timeout, then passed on. */
        DELAY,
        /** Held past the SDK's attempt timeout, then passed on anyway: the write may land after the caller gave up. */
        TIMEOUT,
        /** Connection closed before DynamoDB saw the request. */
        DROP_BEFORE,
        /** Passed on and applied, then the connection closed before the answer: the caller cannot know it worked. */
        DROP_AFTER,
        /** 400 ThrottlingException, as DynamoDB answers when a table or partition is over its rate. */
        THROTTLE,
        /** 500 InternalServerError. */
        SERVER_ERROR,
        /** 503 ServiceUnavailable. */
        UNAVAILABLE,
        /** Read, then never answered (until the proxy closes). */
        BLACKHOLE,
        /** DynamoDB was not there: the proxy could not connect to it. */
        UPSTREAM_DOWN
    }

    /** Decides the fault of each request, numbered from 0 in the order the proxy reads them. */
    interface Plan {
        Fault faultOf(long request);
    }

    static final long DELAY_MILLIS = 150;
    /** Past DynamoDbClients' 2 s attempt timeout, with room to spare. */
    static final long TIMEOUT_MILLIS = 3_000;

    private final ServerSocket listener;
    private final int upstreamPort;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private volatile Plan plan;
    private volatile boolean closed;

    FaultProxy(int upstreamPort, Plan plan) {
        this.upstreamPort = upstreamPort;
        this.plan = plan;
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new IllegalStateException("the fault proxy could not listen", e);
        }
        connections.submit(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    void plan(Plan plan) {
        this.plan = plan;
    }

    long requests() {
        return requests.get();
    }

    /** How many requests met each fault so far (NONE: passed on untouched). */
    Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        injected.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    /** Waits until no request is held or being passed on, so that a late write has landed before the table is read. */
    void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(inFlight.get() + " request(s) still in the fault proxy after 30 s");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing is all that is wanted.
        }
        connections.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.submit(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("the fault proxy stopped accepting", e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            byte[] request = readMessage(client.getInputStream(), false);
            if (request == null) {
                return;
            }
            inFlight.incrementAndGet();
            try {
                handle(client, request, plan.faultOf(requests.getAndIncrement()));
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // The client gave up or the proxy is closing: either way this exchange is over.
        }
    }

    private void handle(Socket client, byte[] request, Fault fault) throws IOException, InterruptedException {
        switch (fault) {
            case DROP_BEFORE -> count(fault);
            case THROTTLE -> answer(client, fault, 400, "Bad Request",
                    "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                    "Rate of requests exceeds the allowed throughput.");
            case SERVER_ERROR -> answer(client, fault, 500, "Internal Server Error",
                    "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error");
            case UNAVAILABLE -> answer(client, fault, 503, "Service Unavailable",
                    "com.amazonaws.dynamodb.v20120810#ServiceUnavailableException", "Service unavailable");
            case BLACKHOLE -> {
                count(fault);
                while (!closed) {
                    Thread.sleep(50);
                }
            }
            default -> {
                if (fault == Fault.DELAY || fault == Fault.TIMEOUT) {
                    Thread.sleep(fault == Fault.DELAY ? DELAY_MILLIS : TIMEOUT_MILLIS);
                }
                byte[] response = forward(request);
                if (response == null) {
                    count(Fault.UPSTREAM_DOWN);
                    return;
                }
                count(fault);
                if (fault != Fault.DROP_AFTER) {
                    OutputStream out = client.getOutputStream();
                    out.write(response);
                    out.flush();
                }
            }
        }
    }

    /** The upstream's whole answer, or null when nothing listens there (DynamoDB is stopped). */
    private byte[] forward(byte[] request) throws IOException {
        Socket upstream = new Socket();
        try (upstream) {
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 1_000);
            } catch (SocketException refused) {
                return null;
            }
            upstream.setSoTimeout(30_000);
            upstream.getOutputStream().write(request);
            upstream.getOutputStream().flush();
            try {
                return readMessage(upstream.getInputStream(), true);
            } catch (SocketException reset) {
                // Stopped while answering.
                return null;
            }
        }
    }

    private void answer(Socket client, Fault fault, int status, String reason, String type, String message)
            throws IOException {
        count(fault);
        byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n"
                + "x-amzn-RequestId: fault-proxy-" + requests.get() + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private void count(Fault fault) {
        injected.get(fault).incrementAndGet();
    }

    /**
     * One HTTP message, its Connection header set to close; null at end of stream before a head. A request's body
     * is its Content-Length; a response's is all the upstream sends before it closes, as it must after
     * "Connection: close", whatever its framing.
     */
    private static byte[] readMessage(InputStream in, boolean response) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("end of stream inside an HTTP head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        StringBuilder rewritten = new StringBuilder(lines[0]).append("\r\n");
        int contentLength = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                contentLength = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
            if (name.equals("transfer-encoding") && !response) {
                throw new IOException("chunked requests are not supported by this proxy");
            }
            if (!name.equals("connection") && !name.equals("keep-alive") && !line.isEmpty()) {
                rewritten.append(line).append("\r\n");
            }
        }
        rewritten.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream message = new ByteArrayOutputStream(rewritten.length() + contentLength);
        message.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (response) {
            message.write(in.readAllBytes());
            return message.toByteArray();
        }
        message.write(in.readNBytes(contentLength));
        if (message.size() < rewritten.length() + contentLength) {
            throw new IOException("end of stream inside an HTTP body");
        }
        return message.toByteArray();
    }
}
