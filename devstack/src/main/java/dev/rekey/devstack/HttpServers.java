package dev.rekey.devstack;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The one way the devstack creates a JDK {@link HttpServer} (the Vault dev server, the JWKS server).
 *
 * <p>Real Vault, like any Go server, sets TCP_NODELAY. The JDK's server does so only if
 * {@code sun.net.httpserver.nodelay} is true when the first server of the JVM is created (it is read once, into a
 * static configuration); without it a response written in two pieces (headers, then body) waits for the client's
 * delayed ACK: about 40 ms per request. Every server created here sets it first, so whichever starts first in a JVM
 * (the launcher starts the JWKS server before Vault) no request waits.
 */
public final class HttpServers {

    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private HttpServers() {
    }

    /** A server on {@code address}:{@code port} (0 for any free one) with TCP_NODELAY on its connections. */
    public static HttpServer create(InetAddress address, int port, int backlog) throws IOException {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        return HttpServer.create(new java.net.InetSocketAddress(address, port), backlog);
    }
}
