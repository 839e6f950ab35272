package dev.rekey.devstack.downstream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * ACL users of the machine's Redis on 127.0.0.1:6379. Setup uses the {@code default} user (no password, as Debian
 * installs it); the admin made for rekey holds only {@link #ADMIN_RULES}. A user gets {@code +ping} and nothing else.
 */
public final class RedisAccounts implements DownstreamAccounts {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 6379;
    /** What the worker's Redis target needs: look up and set users, find and end their sessions. */
    public static final List<String> ADMIN_RULES = List.of("+acl|getuser", "+acl|setuser", "+client|id",
            "+client|kill", "+client|list", "+ping");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Login admin;

    private RedisAccounts(Login admin) {
        this.admin = admin;
    }

    /** Makes the admin {@code <prefix>admin}; says why when the server or its {@code default} user is not usable. */
    public static RedisAccounts open(String prefix) throws DownstreamUnavailable {
        Reachability.require(HOST, PORT);
        Login admin = new Login(prefix + "admin", Secrets.password());
        List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", admin.username(), "reset", "on",
                ">" + admin.password()));
        command.addAll(ADMIN_RULES);
        try (RespClient redis = RespClient.open(HOST, PORT, TIMEOUT)) {
            redis.call(command.toArray(String[]::new));
        } catch (RespClient.RedisError e) {
            throw new DownstreamUnavailable("its default user may not manage ACL users ("
                    + e.getMessage().split(" ", 2)[0] + ")");
        } catch (IOException e) {
            throw new DownstreamUnavailable("it does not answer as Redis on " + HOST + ":" + PORT);
        }
        return new RedisAccounts(admin);
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public String describe() {
        return "Redis on " + HOST + ":" + PORT;
    }

    @Override
    public Map<String, Object> systemFields() {
        return Map.of("host", HOST, "port", PORT);
    }

    @Override
    public Login admin() {
        return admin;
    }

    @Override
    public void createUsers(Map<String, String> passwordsByUser) throws IOException {
        try (RespClient redis = RespClient.open(HOST, PORT, TIMEOUT)) {
            for (Map.Entry<String, String> user : passwordsByUser.entrySet()) {
                redis.call("ACL", "SETUSER", user.getKey(), "reset", "on", ">" + user.getValue(), "+ping");
            }
        }
    }

    @Override
    public boolean logsIn(String username, String password) throws IOException {
        try (RespClient redis = RespClient.open(HOST, PORT, TIMEOUT)) {
            redis.call("AUTH", username, password);
            return true;
        } catch (RespClient.RedisError e) {
            return false; // WRONGPASS: a wrong password or no such user
        }
    }

    @Override
    public void dropUsers(Collection<String> usernames) throws IOException {
        if (usernames.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("ACL", "DELUSER"));
        command.addAll(usernames);
        try (RespClient redis = RespClient.open(HOST, PORT, TIMEOUT)) {
            redis.call(command.toArray(String[]::new));
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
}
