package dev.rekey.notifier.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the SMTP capture, so that a test can make the SMTP server refuse for a while or hold
 * every mail at its DATA command (the mail is not accepted until released). In {@link Mode#PASS} it only relays.
 */
public final class SmtpRelay implements AutoCloseable {

    /** What the relay does with SMTP sessions. */
    public enum Mode {
        /** Relays both ways. */
        PASS,
        /** Answers every new session with 421 and closes it, as a server that is down for maintenance does. */
        REFUSE,
        /** Relays, but holds each session's DATA command (so no mail is accepted) until the mode changes. */
        HOLD_DATA
    }

    private static SmtpRelay shared;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger held = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;

    private SmtpRelay(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "smtp-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The relay of this JVM, in front of {@code upstreamPort} on 127.0.0.1. */
    public static synchronized SmtpRelay shared(int upstreamPort) {
        if (shared == null) {
            try {
                shared = new SmtpRelay(upstreamPort);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the SMTP relay", e);
            }
        }
        return shared;
    }

    public static synchronized SmtpRelay shared() {
        if (shared == null) {
            throw new IllegalStateException("the SMTP relay is not started");
        }
        return shared;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Switches the mode; sessions that are open when it changes to REFUSE are cut, as a crashing server's are. */
    public void mode(Mode mode) {
        this.mode = mode;
        if (mode == Mode.REFUSE) {
            open.forEach(SmtpRelay::closeQuietly);
        }
    }

    /** Sessions waiting at their DATA command right now. */
    public int held() {
        return held.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode == Mode.REFUSE) {
                    client.getOutputStream().write("421 rekey test relay: service not available\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(upstream);
                pump("smtp-relay-down", new java.io.BufferedInputStream(upstream.getInputStream()), client.getOutputStream(), false, client, upstream);
                pump("smtp-relay-up", new java.io.BufferedInputStream(client.getInputStream()), upstream.getOutputStream(), true, client, upstream);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(String name, InputStream in, OutputStream out, boolean clientToServer, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            try {
                byte[] line = new byte[65536];
                int length = 0;
                int c;
                while ((c = in.read()) != -1) {
                    line[length++] = (byte) c;
                    if (c == '\n' || length == line.length) {
                        if (clientToServer && isData(line, length)) {
                            waitWhileHeld();
                        }
                        out.write(line, 0, length);
                        out.flush();
                        length = 0;
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // one side closed: close both
            } finally {
                closeQuietly(a);
                closeQuietly(b);
                open.remove(a);
                open.remove(b);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void waitWhileHeld() throws InterruptedException, IOException {
        if (mode != Mode.HOLD_DATA) {
            return;
        }
        held.incrementAndGet();
        try {
            while (mode == Mode.HOLD_DATA) {
                Thread.sleep(20);
            }
            if (mode == Mode.REFUSE) {
                throw new IOException("refused while held");
            }
        } finally {
            held.decrementAndGet();
        }
    }

    private static boolean isData(byte[] line, int length) {
        String text = new String(line, 0, length, StandardCharsets.US_ASCII).strip();
        return text.equalsIgnoreCase("DATA");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(SmtpRelay::closeQuietly);
    }
}
