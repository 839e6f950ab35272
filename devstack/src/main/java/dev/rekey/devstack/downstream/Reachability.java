package dev.rekey.devstack.downstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Whether something accepts TCP connections on a port: the first test of a machine's server. */
public final class Reachability {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private Reachability() {
    }

    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws the demo's skip reason ("nothing answers on 127.0.0.1:3306") when nothing does. */
    public static void require(String host, int port) throws DownstreamUnavailable {
        if (!answers(host, port)) {
            throw new DownstreamUnavailable("nothing answers on " + host + ":" + port);
        }
    }
}
