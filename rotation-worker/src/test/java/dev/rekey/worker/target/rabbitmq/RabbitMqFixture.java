package dev.rekey.worker.target.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.worker.target.PercentEncoding;
import dev.rekey.worker.target.TargetFixture;
import dev.rekey.worker.testing.ClosedPort;
import dev.rekey.worker.testing.TestVault;
import dev.rekey.worker.testing.WireTap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The machine's RabbitMQ: AMQP on 127.0.0.1:5672, the management API on 15672 ({@code .ci/run} enables the
 * plugin). {@code guest} only sets up a dedicated admin (tag {@code administrator}), which the target and the rest
 * of the setup use. RabbitMQ logs only a password's length, even of a plaintext one, so the logging check reads its
 * log and watches the API's wire ({@link WireTap}).
 */
public final class RabbitMqFixture implements TargetFixture {

    static final int AMQP_PORT = 5672;
    static final int MANAGEMENT_PORT = 15672;
    /** A tag the users have, to see that a rotation keeps it. */
    static final String TAG = "monitoring";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RabbitMqFixture shared;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String admin = "rkadm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String adminPassword = "Adm" + UUID.randomUUID().toString().replace("-", "");

    private RabbitMqFixture() throws Exception {
        call("guest", "guest", "PUT", "/api/users/" + admin,
                "{\"password\":\"" + adminPassword + "\",\"tags\":\"administrator\"}");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                call("guest", "guest", "DELETE", "/api/users/" + admin, null);
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }));
    }

    public static synchronized RabbitMqFixture shared() {
        if (shared == null) {
            try {
                shared = new RabbitMqFixture();
            } catch (Exception e) {
                throw new IllegalStateException("RabbitMQ with its management API on 127.0.0.1:15672 is needed"
                        + " (.ci/run starts it and enables the plugin)", e);
            }
        }
        return shared;
    }

    @Override
    public String type() {
        return "rabbitmq";
    }

    @Override
    public RotationDue.Target target(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", AMQP_PORT, null, adminSecretPath, 4,
                new TargetSettings(MANAGEMENT_PORT, null, null, null, null));
    }

    @Override
    public RotationDue.Target unreachable(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", ClosedPort.find(), null, adminSecretPath, 4,
                new TargetSettings(ClosedPort.find(), null, null, null, null));
    }

    @Override
    public void seedAdmin(String path) throws Exception {
        TestVault.write(path, new HashMap<>(Map.of("username", admin, "password", adminPassword)));
    }

    @Override
    public String adminUsername() {
        return admin;
    }

    @Override
    public String plainName() {
        return "rk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A slash, a query and a fragment mark, a percent sign, quotes and spaces: all inside one path segment. */
    @Override
    public String oddName() {
        return "rk o'dd \"/#?%2F& " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String createUser(String name, String value) throws Exception {
        String path = PercentEncoding.segment(name);
        call(admin, adminPassword, "PUT", "/api/users/" + path, JSON.createObjectNode()
                .put("password", value).put("tags", TAG).toString());
        // an entry on the default virtual host (granting nothing) lets the user open connections there
        call(admin, adminPassword, "PUT", "/api/permissions/%2F/" + path,
                "{\"configure\":\"\",\"write\":\"\",\"read\":\"\"}");
        return name;
    }

    @Override
    public void dropUser(String username) throws Exception {
        call(admin, adminPassword, "DELETE", "/api/users/" + PercentEncoding.segment(username), null);
    }

    @Override
    public boolean logsIn(String username, String value) throws Exception {
        try (Connection ignored = connect(username, value)) {
            return true;
        } catch (PossibleAuthenticationFailureException e) {
            return false;
        }
    }

    @Override
    public Optional<HeldSession> holdSession(String username, String value) throws Exception {
        Connection session = connect(username, value);
        return Optional.of(new HeldSession() {
            @Override
            public boolean isOpen() {
                return session.isOpen();
            }

            @Override
            public void close() {
                try {
                    session.abort();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
        });
    }

    @Override
    public List<Misfit> misfits() {
        return List.of(
                new Misfit(new TargetSettings(0, null, null, null, null), "managementPort"),
                new Misfit(new TargetSettings(null, null, new TargetSettings.HttpCall("PUT", "/x", null, null),
                        null, null), "set"),
                new Misfit(new TargetSettings(MANAGEMENT_PORT, null, null, new TargetSettings.HttpCall("GET", "/",
                        null, null), null), "test"));
    }

    /** What the management API received on the wire, and what the server logged meanwhile. */
    @Override
    public Optional<String> observe(String adminSecretPath, Consumer<RotationDue.Target> action) throws Exception {
        Path log = logFile();
        long mark = Files.exists(log) ? Files.size(log) : 0;
        String wire;
        try (WireTap tap = new WireTap("127.0.0.1", MANAGEMENT_PORT)) {
            action.accept(new RotationDue.Target(type(), "127.0.0.1", AMQP_PORT, null, adminSecretPath, 4,
                    new TargetSettings(tap.port(), null, null, null, null)));
            wire = tap.received();
        }
        String logged = "";
        if (Files.exists(log)) {
            byte[] all = Files.readAllBytes(log);
            logged = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                    StandardCharsets.UTF_8);
        }
        return Optional.of(wire + "\n" + logged);
    }

    /** The user's tags as the API gives them. */
    List<String> tags(String username) throws Exception {
        JsonNode user = JSON.readTree(call(admin, adminPassword, "GET", "/api/users/"
                + PercentEncoding.segment(username), null));
        return user.path("tags").isArray()
                ? java.util.stream.StreamSupport.stream(user.path("tags").spliterator(), false).map(JsonNode::asText).toList()
                : List.of(user.path("tags").asText().split(","));
    }

    private Path logFile() throws Exception {
        JsonNode nodes = JSON.readTree(call(admin, adminPassword, "GET", "/api/nodes?columns=log_files", null));
        return Path.of(nodes.path(0).path("log_files").path(0).asText("/var/log/rabbitmq/rabbit@localhost.log"));
    }

    private static Connection connect(String username, String value) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(AMQP_PORT);
        factory.setUsername(username);
        factory.setPassword(value);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("rekey target test");
    }

    private String call(String user, String password, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300 && !(method.equals("DELETE") && response.statusCode() == 404)) {
            throw new IOException(method + " " + path + " answered " + response.statusCode());
        }
        return response.body();
    }
}
