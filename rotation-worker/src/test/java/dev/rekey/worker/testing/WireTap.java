package dev.rekey.worker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback relay in front of a real server that records every byte a client sends it: what the server received,
 * for systems whose own logs redact the commands that carry passwords (Redis leaves {@code ACL SETUSER} out of
 * {@code MONITOR} and redacts it in {@code SLOWLOG}; RabbitMQ logs only a password's length), so that a test can
 * still see whether a value crossed the wire in clear.
 */
public final class WireTap implements AutoCloseable {

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public WireTap(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "wire-tap-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /** The port clients connect to instead of the server's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Everything clients sent so far, as UTF-8 text. */
    public synchronized String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                sockets.add(client);
                sockets.add(server);
                pump(client.getInputStream(), server.getOutputStream(), true);
                pump(server.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(InputStream from, OutputStream to, boolean record) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    if (record) {
                        synchronized (this) {
                            received.write(buffer, 0, n);
                        }
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                }
                to.close();
            } catch (IOException ignored) {
                // one side went away: the relay of this connection ends
            }
        }, "wire-tap-pump");
        thread.setDaemon(true);
        thread.start();
    }
}
