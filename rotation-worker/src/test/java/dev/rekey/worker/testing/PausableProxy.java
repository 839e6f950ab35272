package dev.rekey.worker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, the Vault dev server) that a test can pause: while
 * paused, nothing is forwarded either way and new connections hang, as a server that stopped answering (a GC pause,
 * a network partition). It can also delay every forwarded chunk, and it counts how many connections wait for an
 * answer at once (the concurrency the server sees). Test builds only.
 */
public final class PausableProxy implements AutoCloseable {

    private final String host;
    private final int upstreamPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger mostWaiting = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean paused;
    private volatile long delayMillis;
    private volatile boolean closed;

    private PausableProxy(String host, int upstreamPort, java.util.concurrent.atomic.AtomicBoolean paused)
            throws IOException {
        this.paused = paused;
        this.host = host;
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static PausableProxy to(String host, int port) throws IOException {
        return new PausableProxy(host, port, new java.util.concurrent.atomic.AtomicBoolean());
    }

    /** A proxy whose pause is this flag (a JDK type, so that code in another class loader can set it). */
    public static PausableProxy to(String host, int port, java.util.concurrent.atomic.AtomicBoolean paused)
            throws IOException {
        return new PausableProxy(host, port, paused);
    }

    public int port() {
        return server.getLocalPort();
    }

    public void pause() {
        paused.set(true);
    }

    public void resume() {
        paused.set(false);
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    /** Every chunk forwarded waits this long first. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** The most connections that waited for the server's answer at once. */
    public int mostWaitingAtOnce() {
        return mostWaiting.get();
    }

    public void resetCounts() {
        mostWaiting.set(waiting.get());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread connect = new Thread(() -> connect(client), "proxy-connect");
                connect.setDaemon(true);
                connect.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitResumed();
            Socket upstream = new Socket(host, upstreamPort);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            sockets.add(upstream);
            boolean[] awaiting = {false};
            pump(client, upstream, true, awaiting);
            pump(upstream, client, false, awaiting);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to, boolean request, boolean[] awaiting) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    awaitResumed();
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    if (!(request && isPostgresTerminate(buffer, read))) {
                        account(request, awaiting); // a connection that says goodbye waits for nothing
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side went away
            } finally {
                synchronized (awaiting) {
                    if (awaiting[0]) {
                        awaiting[0] = false;
                        waiting.decrementAndGet();
                    }
                }
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** PostgreSQL's Terminate message ('X', length 4): the client closes, the server answers nothing. */
    private static boolean isPostgresTerminate(byte[] buffer, int length) {
        return length == 5 && buffer[0] == 'X' && buffer[1] == 0 && buffer[2] == 0 && buffer[3] == 0 && buffer[4] == 4;
    }

    private void account(boolean request, boolean[] awaiting) {
        synchronized (awaiting) {
            if (request && !awaiting[0]) {
                awaiting[0] = true;
                mostWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
            } else if (!request && awaiting[0]) {
                awaiting[0] = false;
                waiting.decrementAndGet();
            }
        }
    }

    private void awaitResumed() {
        synchronized (gate) {
            while (paused.get() && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(server);
        sockets.forEach(PausableProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
