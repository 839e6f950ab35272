package dev.rekey.worker.target.redis;

import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.worker.target.TargetFixture;
import dev.rekey.worker.target.redis.RespConnection.RedisError;
import dev.rekey.worker.testing.ClosedPort;
import dev.rekey.worker.testing.TestVault;
import dev.rekey.worker.testing.WireTap;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The machine's Redis on 127.0.0.1:6379. Setup uses the {@code default} user (no password, as Debian installs it);
 * the target works as a dedicated admin user holding only what it needs ({@link #ADMIN_RULES}). Redis keeps
 * {@code ACL SETUSER} out of {@code MONITOR} and redacts it in {@code SLOWLOG}, so the logging check watches what
 * crosses the wire instead ({@link WireTap}).
 */
public final class RedisFixture implements TargetFixture {

    static final int PORT = 6379;
    /** The least an admin needs: look up and set users, find and end sessions. */
    public static final String[] ADMIN_RULES = {"+acl|getuser", "+acl|setuser", "+client|id", "+client|kill",
            "+client|list", "+ping"};
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static RedisFixture shared;

    private final String admin = "rkadm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String adminPassword = "Adm" + UUID.randomUUID().toString().replace("-", "");

    private RedisFixture() throws IOException {
        List<String> rules = new java.util.ArrayList<>(List.of("ACL", "SETUSER", admin, "reset", "on",
                ">" + adminPassword));
        rules.addAll(List.of(ADMIN_RULES));
        setup(rules.toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                setup("ACL", "DELUSER", admin);
            } catch (IOException ignored) {
                // the JVM is going away
            }
        }));
    }

    public static synchronized RedisFixture shared() {
        if (shared == null) {
            try {
                shared = new RedisFixture();
            } catch (IOException e) {
                throw new IllegalStateException("Redis on 127.0.0.1:6379 is needed (.ci/run starts it)", e);
            }
        }
        return shared;
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public RotationDue.Target target(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", PORT, null, adminSecretPath, 4);
    }

    @Override
    public RotationDue.Target unreachable(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", ClosedPort.find(), null, adminSecretPath, 4);
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

    /** No spaces (Redis refuses them), but quotes and the characters that start ACL rules. */
    @Override
    public String oddName() {
        return "rk'odd\"#>on~*&%" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String createUser(String name, String value) throws IOException {
        setup("ACL", "SETUSER", name, "reset", "on", ">" + value, "+ping");
        return name;
    }

    @Override
    public void dropUser(String username) throws IOException {
        setup("ACL", "DELUSER", username);
    }

    @Override
    public boolean logsIn(String username, String value) throws IOException {
        try (RespConnection redis = RespConnection.open("127.0.0.1", PORT, TIMEOUT, TIMEOUT)) {
            redis.call("AUTH", username, value);
            return true;
        } catch (RedisError e) {
            return false;
        }
    }

    @Override
    public Optional<HeldSession> holdSession(String username, String value) throws IOException {
        RespConnection session = RespConnection.open("127.0.0.1", PORT, TIMEOUT, TIMEOUT);
        session.call("AUTH", username, value);
        return Optional.of(new HeldSession() {
            @Override
            public boolean isOpen() {
                return session.isUsable();
            }

            @Override
            public void close() {
                session.close();
            }
        });
    }

    @Override
    public List<Misfit> misfits() {
        return List.of(
                new Misfit(new TargetSettings(15672, null, null, null, null), "managementPort"),
                new Misfit(new TargetSettings(null, true, null, null, null), "tls"),
                new Misfit(new TargetSettings(null, null, null, null,
                        new TargetSettings.HttpCall("DELETE", "/", null, null)), "revoke"));
    }

    /** Every byte the target sent to Redis, through a relay in front of it. */
    @Override
    public Optional<String> observe(String adminSecretPath, Consumer<RotationDue.Target> action) throws IOException {
        try (WireTap tap = new WireTap("127.0.0.1", PORT)) {
            action.accept(new RotationDue.Target(type(), "127.0.0.1", tap.port(), null, adminSecretPath, 4));
            return Optional.of(tap.received());
        }
    }

    private static void setup(String... command) throws IOException {
        try (RespConnection redis = RespConnection.open("127.0.0.1", PORT, TIMEOUT, TIMEOUT)) {
            redis.call(command);
        }
    }
}
