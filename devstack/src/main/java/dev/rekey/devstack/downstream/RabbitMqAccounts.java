package dev.rekey.devstack.downstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Users of the machine's RabbitMQ: AMQP on 127.0.0.1:5672, the management API on 15672. {@code guest} (which
 * RabbitMQ admits on loopback only) makes the admin for rekey, tag {@code administrator}; the admin makes the users,
 * each allowed on the default virtual host (with no permissions there) so that it can open connections. A login is
 * an AMQP connection, as the worker's login check makes it.
 */
public final class RabbitMqAccounts implements DownstreamAccounts {

    public static final String HOST = "127.0.0.1";
    public static final int AMQP_PORT = 5672;
    public static final int MANAGEMENT_PORT = 15672;
    private static final String NO_PERMISSIONS = "{\"configure\":\"\",\"write\":\"\",\"read\":\"\"}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Login admin;

    private RabbitMqAccounts(Login admin) {
        this.admin = admin;
    }

    /** Makes the admin {@code <prefix>admin} with guest; says why when AMQP, the API or guest is not there. */
    public static RabbitMqAccounts open(String prefix) throws DownstreamUnavailable {
        Reachability.require(HOST, AMQP_PORT);
        if (!Reachability.answers(HOST, MANAGEMENT_PORT)) {
            throw new DownstreamUnavailable("its management API does not answer on " + HOST + ":" + MANAGEMENT_PORT
                    + " (rabbitmq-plugins enable rabbitmq_management)");
        }
        Login admin = new Login(prefix + "admin", Secrets.password());
        Login guest = new Login("guest", "guest");
        try {
            call(guest, "PUT", "/api/users/" + segment(admin.username()), JSON.createObjectNode()
                    .put("password", admin.password()).put("tags", "administrator").toString());
            // like every user here: allowed on the default virtual host (with no permissions), so it can connect
            call(guest, "PUT", "/api/permissions/%2F/" + segment(admin.username()), NO_PERMISSIONS);
        } catch (IOException e) {
            throw new DownstreamUnavailable("guest/guest could not create an admin (" + e.getMessage() + ")");
        }
        return new RabbitMqAccounts(admin);
    }

    @Override
    public String type() {
        return "rabbitmq";
    }

    @Override
    public String describe() {
        return "RabbitMQ on " + HOST + ":" + AMQP_PORT + " (management API " + MANAGEMENT_PORT + ")";
    }

    @Override
    public Map<String, Object> systemFields() {
        return Map.of("host", HOST, "port", AMQP_PORT, "settings", Map.of("managementPort", MANAGEMENT_PORT));
    }

    @Override
    public Login admin() {
        return admin;
    }

    @Override
    public void createUsers(Map<String, String> passwordsByUser) throws IOException {
        for (Map.Entry<String, String> user : passwordsByUser.entrySet()) {
            String path = segment(user.getKey());
            call(admin, "PUT", "/api/users/" + path, JSON.createObjectNode()
                    .put("password", user.getValue()).put("tags", "").toString());
            call(admin, "PUT", "/api/permissions/%2F/" + path, NO_PERMISSIONS);
        }
    }

    @Override
    public boolean logsIn(String username, String password) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(AMQP_PORT);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setConnectionTimeout(5000);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection ignored = factory.newConnection("rekey demo login check")) {
            return true;
        } catch (PossibleAuthenticationFailureException e) {
            return false;
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ did not answer in time");
        }
    }

    @Override
    public void dropUsers(Collection<String> usernames) throws IOException {
        Login as = usernames.contains(admin.username()) ? new Login("guest", "guest") : admin;
        for (String user : usernames) {
            call(as, "DELETE", "/api/users/" + segment(user), null);
        }
    }

    @Override
    public void close() {
        try {
            dropUsers(List.of(admin.username()));
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void call(Login login, String method, String path, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + MANAGEMENT_PORT + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
            // a user already gone is what a delete wants
            if (response.statusCode() >= 300 && !(method.equals("DELETE") && response.statusCode() == 404)) {
                throw new IOException(method + " " + path.replaceAll("/[^/]*$", "/…") + " answered "
                        + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
