package io.ivsstageevents.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 that passes bytes through untouched and counts the connections a client opens through
 * it and how many are still open: what an HTTP client keeps in its pool shows here, which no request log can show.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tcp-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private TcpRelay(ServerSocket listener, URI upstream) {
        this.listener = listener;
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        threads.execute(this::accept);
    }

    public static TcpRelay to(URI upstream) throws IOException {
        return new TcpRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstream);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    public int accepted() {
        return accepted.get();
    }

    /**
     * The connections still open once both sides have had up to {@code patience} to close theirs: a close is
     * asynchronous (the server's after its answer, the client's when it reads the end).
     */
    public int openAfter(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return open.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(server);
                accepted.incrementAndGet();
                open.incrementAndGet();
                AtomicInteger directionsLeft = new AtomicInteger(2);
                threads.execute(() -> pipe(client, server, directionsLeft));
                threads.execute(() -> pipe(server, client, directionsLeft));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** One direction; the connection counts as closed once both directions have ended. */
    private void pipe(Socket from, Socket to, AtomicInteger directionsLeft) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ended) {
            // A reset or a close from the other direction: this direction is over too.
        } finally {
            if (directionsLeft.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
                open.decrementAndGet();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed: nothing left to release.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(TcpRelay::closeQuietly);
        threads.shutdownNow();
    }
}
