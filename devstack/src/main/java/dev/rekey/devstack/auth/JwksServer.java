package dev.rekey.devstack.auth;

import com.sun.net.httpserver.HttpServer;
import dev.rekey.devstack.HttpServers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves a key pair's JWKS document on 127.0.0.1, as an OIDC provider serves its {@code jwks_uri}, so that the
 * inventory verifies dev tokens exactly as it verifies production ones ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}).
 */
public final class JwksServer implements AutoCloseable {

    /** The path of the document. */
    public static final String PATH = "/.well-known/jwks.json";

    private final HttpServer server;

    private JwksServer(HttpServer server) {
        this.server = server;
    }

    /** Starts serving {@code keys}' public JWKS on a free loopback port (or {@code port}). */
    public static JwksServer start(DevKeyPair keys, int port) throws IOException {
        byte[] document = keys.jwks().getBytes(StandardCharsets.US_ASCII);
        HttpServer server = HttpServers.create(InetAddress.getLoopbackAddress(), port, 16);
        server.createContext(PATH, exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, document.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(document);
                }
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "jwks-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new JwksServer(server);
    }

    /** The URL of the JWKS document, for {@code mp.jwt.verify.publickey.location}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
