package dev.rekey.worker.target.redis;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.AdminConnections;
import dev.rekey.worker.target.AdminLogin;
import dev.rekey.worker.target.AdminLogins;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetChecks;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.target.TargetsConfig;
import dev.rekey.worker.target.redis.RespConnection.RedisError;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Redis ACL users (Redis 6 and later). The new value goes as a {@code #<sha256>} rule after {@code resetpass}, in
 * one {@code ACL SETUSER}, so the user's other passwords are dropped atomically and the server never receives the
 * plaintext. A user that does not exist is refused first ({@code ACL SETUSER} would create one). The login check is
 * an {@code AUTH} on a new connection. Sessions end with {@code CLIENT KILL USER}, sparing the worker's own admin
 * connections.
 */
@ApplicationScoped
public class RedisAclTarget implements RotationTarget {

    static final String TYPE = "redis";
    private static final int STANDARD_PORT = 6379;

    private final AdminLogins adminLogins;
    private final TargetsConfig config;
    private final AdminConnections<RespConnection> pools = new AdminConnections<>();

    public RedisAclTarget(AdminLogins adminLogins, TargetsConfig config) {
        this.adminLogins = adminLogins;
        this.config = config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(RotationDue due) {
        TargetChecks.allowOnly(due, TYPE, Set.of());
        TargetChecks.requirePrintableUsernames(due, TYPE);
        TargetChecks.usernames(due).forEach(user -> {
            if (user.indexOf(' ') >= 0) {
                throw new TargetException("a Redis user name cannot contain spaces", false);
            }
        });
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        withAdmin(due, "setting the password of user " + username, redis -> {
            if (redis.call("ACL", "GETUSER", username) == null) {
                throw new TargetException("user " + username + " does not exist on " + describe(due), false);
            }
            redis.call("ACL", "SETUSER", username, "resetpass", "#" + sha256(value));
            return null;
        });
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        try (RespConnection redis = connect(due)) {
            redis.call("AUTH", username, value.reveal());
            return true;
        } catch (RedisError e) {
            if (e.code().equals("WRONGPASS")) {
                return false;
            }
            throw classify(e, describe(due), "logging in as " + username);
        } catch (IOException e) {
            throw unreachable(describe(due), "logging in as " + username);
        }
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        String pool = poolKey(due);
        return withAdmin(due, "ending the sessions of user " + username, redis -> {
            Set<Long> own = pools.sessionIds(pool);
            if (!own.isEmpty() && isAdmin(due, username)) {
                return killOneByOne(redis, username, own);
            }
            // the calling connection is skipped by default (SKIPME yes); no other admin connection is this user's
            return ((Long) redis.call("CLIENT", "KILL", "USER", username)).intValue();
        });
    }

    @PreDestroy
    void closeAll() {
        pools.closeAll();
    }

    /** The admin rotating its own user: its other pooled connections are the worker's and must survive. */
    private int killOneByOne(RespConnection redis, String username, Set<Long> own) throws IOException {
        int ended = 0;
        for (String client : ((String) redis.call("CLIENT", "LIST")).split("\n")) {
            long id = -1;
            String user = null;
            for (String field : client.trim().split(" ")) {
                if (field.startsWith("id=")) {
                    id = Long.parseLong(field.substring(3));
                } else if (field.startsWith("user=")) {
                    user = field.substring(5);
                }
            }
            if (username.equals(user) && !own.contains(id)) {
                ended += ((Long) redis.call("CLIENT", "KILL", "ID", Long.toString(id))).intValue();
            }
        }
        return ended;
    }

    private boolean isAdmin(RotationDue due, String username) {
        return adminLogins.read(due, describe(due)).username().equals(username);
    }

    /** {@code #}-rules take the lower-case hex SHA-256 of the password. */
    static String sha256(SecretValue value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private interface Work<T> {
        T on(RespConnection redis) throws IOException;
    }

    private <T> T withAdmin(RotationDue due, String what, Work<T> work) {
        String system = describe(due);
        AdminLogin admin = adminLogins.read(due, system);
        return pools.with(poolKey(due), admin, due.target().maxConcurrentRotations(), login -> adminConnection(due, login),
                redis -> {
                    try {
                        return work.on(redis);
                    } catch (RedisError e) {
                        throw classify(e, system, what);
                    } catch (IOException e) {
                        throw unreachable(system, what);
                    }
                });
    }

    private RespConnection adminConnection(RotationDue due, AdminLogin admin) {
        String system = describe(due);
        RespConnection redis = null;
        try {
            redis = connect(due);
            redis.call("AUTH", admin.username(), admin.password());
            redis.identify();
            return redis;
        } catch (RedisError e) {
            redis.close();
            if (e.code().equals("WRONGPASS")) {
                throw new TargetException("admin login to " + system + " rejected (WRONGPASS)", false);
            }
            throw classify(e, system, "admin login");
        } catch (IOException e) {
            if (redis != null) {
                redis.close();
            }
            throw unreachable(system, "admin login");
        }
    }

    private RespConnection connect(RotationDue due) throws IOException {
        return RespConnection.open(due.target().host(), TargetChecks.portOr(due, STANDARD_PORT),
                config.connectTimeout(), config.requestTimeout());
    }

    private static String poolKey(RotationDue due) {
        return due.credential().systemId() + "|" + due.target().host() + ":" + TargetChecks.portOr(due, STANDARD_PORT);
    }

    private static String describe(RotationDue due) {
        return "Redis system " + due.credential().systemId() + " at " + due.target().host() + ":"
                + TargetChecks.portOr(due, STANDARD_PORT);
    }

    private static TargetException unreachable(String system, String what) {
        return new TargetException("unreachable or not answering while " + what + " on " + system, true);
    }

    private static TargetException classify(RedisError e, String system, String what) {
        String where = " while " + what + " on " + system + " (" + e.code() + ")";
        return switch (e.code()) {
            case "NOPERM", "NOAUTH" -> new TargetException("insufficient privilege" + where, false);
            case "WRONGPASS" -> new TargetException("login rejected" + where, false);
            case "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY" ->
                    new TargetException("not ready" + where, true);
            default -> new TargetException("refused" + where, false);
        };
    }
}
