package dev.rekey.worker.target.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.AdminLogin;
import dev.rekey.worker.target.AdminLogins;
import dev.rekey.worker.target.PercentEncoding;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetChecks;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.target.TargetsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * RabbitMQ users of the internal database, through the management HTTP API ({@code settings.managementPort},
 * 15672 by default; {@code settings.tls} for https and AMQPS). The new value is hashed here
 * ({@link RabbitPasswordHash}, the user's own algorithm) and sent as {@code password_hash} with the user's tags
 * unchanged, so the server never receives the plaintext. The login check opens an AMQP 0-9-1 connection on
 * {@code target.port} (5672) to the virtual host {@code target.database} ({@code /} by default); an authenticated
 * user refused on that virtual host still counts as logged in. Sessions end by closing the user's connections
 * through the API. The API's HTTP client keeps its connections alive, so this target has no pool of its own.
 */
@ApplicationScoped
public class RabbitMqUserTarget implements RotationTarget {

    static final String TYPE = "rabbitmq";
    private static final int STANDARD_PORT = 5672;
    private static final int STANDARD_MANAGEMENT_PORT = 15672;
    private static final int NOT_ALLOWED = 530;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminLogins adminLogins;
    private final TargetsConfig config;
    private final HttpClient http;

    public RabbitMqUserTarget(AdminLogins adminLogins, TargetsConfig config) {
        this.adminLogins = adminLogins;
        this.config = config;
        // HTTP/1.1: the JDK's h2c upgrade on plain http breaks some servers (RabbitMQ's cowboy closes on it)
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(RotationDue due) {
        TargetChecks.allowOnly(due, TYPE, Set.of("managementPort", "tls"));
        TargetChecks.requirePrintableUsernames(due, TYPE);
        Integer port = due.target().settings().managementPort();
        if (port != null && (port < 1 || port > 65535)) {
            throw new TargetException("managementPort must be between 1 and 65535", false);
        }
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        AdminLogin admin = adminLogins.read(due, describe(due));
        String what = "setting the password of user " + username;
        HttpResponse<byte[]> current = send(due, admin, what, get(due, userPath(username)));
        if (current.statusCode() == 404) {
            throw new TargetException("user " + username + " does not exist on " + describe(due), false);
        }
        requireSuccess(due, current, what);
        JsonNode user = readJson(current, due, what);
        RabbitPasswordHash hashing = RabbitPasswordHash.forUser(user.path("hashing_algorithm").asText(null));
        ObjectNode body = JSON.createObjectNode()
                .put("password_hash", hashing.hash(value))
                .put("hashing_algorithm", hashing.algorithm())
                .put("tags", tags(user.path("tags")));
        requireSuccess(due, send(due, admin, what, request(due, userPath(username))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toString().getBytes(StandardCharsets.UTF_8)))), what);
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(due.target().host());
        factory.setPort(TargetChecks.portOr(due, STANDARD_PORT));
        factory.setVirtualHost(virtualHost(due));
        factory.setUsername(username);
        factory.setPassword(value.reveal());
        factory.setConnectionTimeout((int) config.connectTimeout().toMillis());
        factory.setHandshakeTimeout((int) config.requestTimeout().toMillis());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        if (tls(due)) {
            try {
                factory.useSslProtocol(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has a default TLS context", e);
            }
            factory.enableHostnameVerification();
        }
        try (Connection ignored = factory.newConnection("rekey-rotation-worker login check")) {
            return true;
        } catch (PossibleAuthenticationFailureException e) {
            return false;
        } catch (IOException e) {
            if (refusedOnVirtualHost(e)) {
                return true; // authenticated; the user's permissions are not the rotation's business
            }
            throw unreachable(due, "logging in as " + username);
        } catch (TimeoutException e) {
            throw unreachable(due, "logging in as " + username);
        }
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        AdminLogin admin = adminLogins.read(due, describe(due));
        String what = "ending the sessions of user " + username;
        String path = "/api/connections/username/" + PercentEncoding.segment(username);
        HttpResponse<byte[]> listed = send(due, admin, what, get(due, path));
        requireSuccess(due, listed, what);
        List<String> names = new ArrayList<>();
        readJson(listed, due, what).forEach(connection -> names.add(connection.path("name").asText()));
        HttpResponse<byte[]> closed = send(due, admin, what, request(due, path).DELETE());
        if (closed.statusCode() == 404 || closed.statusCode() == 405) {
            // a server without the per-user endpoint: close the listed connections one by one
            for (String name : names) {
                HttpResponse<byte[]> one = send(due, admin, what,
                        request(due, "/api/connections/" + PercentEncoding.segment(name)).DELETE());
                if (one.statusCode() != 404) {
                    requireSuccess(due, one, what);
                }
            }
        } else {
            requireSuccess(due, closed, what);
        }
        return names.size();
    }

    private HttpResponse<byte[]> send(RotationDue due, AdminLogin admin, String what, HttpRequest.Builder request) {
        String basic = Base64.getEncoder().encodeToString(
                (admin.username() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> response = http.send(request.header("Authorization", "Basic " + basic).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 401) {
                throw new TargetException("admin login to " + describe(due) + " rejected (HTTP 401)", false);
            }
            return response;
        } catch (IOException e) {
            throw unreachable(due, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted while " + what + " on " + describe(due), true);
        }
    }

    private HttpRequest.Builder get(RotationDue due, String path) {
        return request(due, path).GET();
    }

    private HttpRequest.Builder request(RotationDue due, String path) {
        Integer port = due.target().settings().managementPort();
        String base = (tls(due) ? "https://" : "http://") + due.target().host() + ":"
                + (port == null ? STANDARD_MANAGEMENT_PORT : port);
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(config.requestTimeout());
    }

    private void requireSuccess(RotationDue due, HttpResponse<byte[]> response, String what) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String where = " while " + what + " on " + describe(due) + " (HTTP " + status + ")";
        if (status == 403) {
            throw new TargetException("insufficient privilege (the admin needs the administrator tag)" + where, false);
        }
        throw new TargetException((status >= 500 || status == 429 ? "not available" : "refused") + where,
                status >= 500 || status == 429);
    }

    private JsonNode readJson(HttpResponse<byte[]> response, RotationDue due, String what) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new TargetException("unreadable answer while " + what + " on " + describe(due), true);
        }
    }

    /** Tags as the API takes them: comma-separated (answered as a list since 3.9, as such a string before). */
    private static String tags(JsonNode tags) {
        if (tags.isArray()) {
            List<String> names = new ArrayList<>();
            tags.forEach(tag -> names.add(tag.asText()));
            return String.join(",", names);
        }
        return tags.asText("");
    }

    private static boolean refusedOnVirtualHost(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Connection.Close close
                && close.getReplyCode() == NOT_ALLOWED;
    }

    private static String userPath(String username) {
        return "/api/users/" + PercentEncoding.segment(username);
    }

    private static String virtualHost(RotationDue due) {
        String database = due.target().database();
        return database == null || database.isEmpty() ? "/" : database;
    }

    private static boolean tls(RotationDue due) {
        return Boolean.TRUE.equals(due.target().settings().tls());
    }

    private TargetException unreachable(RotationDue due, String what) {
        return new TargetException("unreachable or not answering while " + what + " on " + describe(due), true);
    }

    private static String describe(RotationDue due) {
        return "RabbitMQ system " + due.credential().systemId() + " at " + due.target().host() + ":"
                + TargetChecks.portOr(due, STANDARD_PORT);
    }
}
