package dev.rekey.devstack.launcher;

import dev.rekey.devstack.downstream.DownstreamAccounts;
import dev.rekey.devstack.downstream.DownstreamUnavailable;
import dev.rekey.devstack.downstream.MariaDbAccounts;
import dev.rekey.devstack.downstream.PostgresAccounts;
import dev.rekey.devstack.downstream.RabbitMqAccounts;
import dev.rekey.devstack.downstream.RedisAccounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kinds of system the demo rotates: the stack's embedded PostgreSQL and {@code vault-kv} always; the machine's
 * MariaDB, Redis and RabbitMQ when a server answers on its standard port and lets the demo make an admin for rekey.
 * Closing removes the admins (the demo removes its users before).
 */
public final class DemoKinds implements AutoCloseable {

    /** Every kind, in the order of the demo's output. */
    public static final List<String> TYPES = List.of("postgresql", "vault-kv", "mariadb", "redis", "rabbitmq");

    /**
     * One kind: {@code accounts} makes and checks its users (null for vault-kv, which has no downstream, and for a
     * skipped kind), {@code skipReason} is null when the kind is used.
     */
    public record Kind(String type, DownstreamAccounts accounts, String where, String skipReason) {

        public boolean used() {
            return skipReason == null;
        }

        public String label() {
            return DemoKinds.label(type);
        }
    }

    private final List<Kind> kinds;

    private DemoKinds(List<Kind> kinds) {
        this.kinds = kinds;
    }

    /** Finds out which kinds this machine has; {@code skip} names kinds not to use even if present. */
    public static DemoKinds open(LocalStack stack, String userPrefix, Set<String> skip) {
        List<Kind> kinds = new ArrayList<>();
        for (String type : TYPES) {
            if (skip.contains(type) && !type.equals("postgresql") && !type.equals("vault-kv")) {
                kinds.add(new Kind(type, null, null, "REKEY_DEMO_SKIP names it"));
                continue;
            }
            try {
                DownstreamAccounts accounts = switch (type) {
                    case "postgresql" -> PostgresAccounts.open(stack.postgres(), LocalStack.DOWNSTREAM_DATABASE,
                            userPrefix);
                    case "mariadb" -> MariaDbAccounts.open(userPrefix);
                    case "redis" -> RedisAccounts.open(userPrefix);
                    case "rabbitmq" -> RabbitMqAccounts.open(userPrefix);
                    default -> null;
                };
                String where = accounts == null ? "secrets in the stack's Vault, no downstream" : accounts.describe();
                kinds.add(new Kind(type, accounts, where, null));
            } catch (DownstreamUnavailable e) {
                kinds.add(new Kind(type, null, null, e.getMessage()));
            }
        }
        return new DemoKinds(List.copyOf(kinds));
    }

    public List<Kind> all() {
        return kinds;
    }

    public List<String> usedTypes() {
        return kinds.stream().filter(Kind::used).map(Kind::type).toList();
    }

    public Kind get(String type) {
        return kinds.stream().filter(k -> k.type().equals(type)).findFirst().orElseThrow();
    }

    public static String label(String type) {
        return switch (type) {
            case "postgresql" -> "PostgreSQL";
            case "mariadb" -> "MariaDB";
            case "redis" -> "Redis";
            case "rabbitmq" -> "RabbitMQ";
            default -> type;
        };
    }

    /** The first part of the demo's credential ids and system ids. */
    static String shortName(String type) {
        return switch (type) {
            case "postgresql" -> "pg";
            case "vault-kv" -> "kv";
            default -> type;
        };
    }

    static String systemId(String type) {
        return shortName(type) + "-demo";
    }

    /** The credential's {@code kind} in the inventory. */
    public static String credentialKind(String type) {
        return switch (type) {
            case "postgresql" -> "postgresql-role";
            case "mariadb" -> "mariadb-user";
            case "redis" -> "redis-acl-user";
            case "rabbitmq" -> "rabbitmq-user";
            default -> "api-token";
        };
    }

    @Override
    public void close() {
        kinds.stream().filter(k -> k.accounts() != null).forEach(k -> k.accounts().close());
    }
}
