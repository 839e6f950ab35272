package dev.rekey.devstack.vault;

import dev.rekey.devstack.vault.VaultResponses.BadRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The named ACL policies, with Vault's two built-in ones: {@code root} (every capability, immutable, only on the root
 * token) and {@code default} (attached to every other token unless asked otherwise; can be changed, never deleted).
 * Names are lower-cased as Vault does. Merged access lists are cached per set of policy names until a policy changes.
 */
final class PolicyStore {

    static final String ROOT = "root";
    static final String DEFAULT = "default";

    /**
     * The part of Vault's built-in {@code default} policy that applies to what this server serves: a token may look
     * itself up, renew and revoke itself.
     */
    static final String DEFAULT_POLICY = """
            # Allow tokens to look up their own properties
            path "auth/token/lookup-self" {
                capabilities = ["read"]
            }

            # Allow tokens to renew themselves
            path "auth/token/renew-self" {
                capabilities = ["update"]
            }

            # Allow tokens to revoke themselves
            path "auth/token/revoke-self" {
                capabilities = ["update"]
            }
            """;

    /**
     * The policies and the access lists built from exactly them. A change replaces the whole snapshot, so a request
     * never gets an access list built from policies that have changed since.
     */
    private record Snapshot(Map<String, AclPolicy> policies, Map<List<String>, Acl> acls) {

        static Snapshot of(Map<String, AclPolicy> policies) {
            return new Snapshot(Map.copyOf(policies), new ConcurrentHashMap<>());
        }
    }

    private volatile Snapshot snapshot = Snapshot.of(Map.of(DEFAULT, PolicyParser.parse(DEFAULT, DEFAULT_POLICY)));

    private synchronized void change(Consumer<Map<String, AclPolicy>> change) {
        Map<String, AclPolicy> policies = new HashMap<>(snapshot.policies());
        change.accept(policies);
        snapshot = Snapshot.of(policies);
    }

    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** @throws BadRequest when the policy does not parse or is {@code root} */
    void put(String name, String text) {
        String normalised = normalise(name);
        if (normalised.equals(ROOT)) {
            throw new BadRequest("cannot update \"root\" policy");
        }
        AclPolicy policy = PolicyParser.parse(normalised, text);
        change(policies -> policies.put(normalised, policy));
    }

    AclPolicy get(String name) {
        return snapshot.policies().get(normalise(name));
    }

    boolean exists(String name) {
        String normalised = normalise(name);
        return normalised.equals(ROOT) || snapshot.policies().containsKey(normalised);
    }

    /** @throws BadRequest for {@code root} and {@code default}, which Vault never deletes */
    void delete(String name) {
        String normalised = normalise(name);
        if (normalised.equals(ROOT) || normalised.equals(DEFAULT)) {
            throw new BadRequest("cannot delete " + normalised + " policy");
        }
        change(policies -> policies.remove(normalised));
    }

    /** Every policy name, sorted, then {@code root}, as {@code LIST sys/policies/acl} answers. */
    List<String> names() {
        List<String> names = new ArrayList<>(new TreeSet<>(snapshot.policies().keySet()));
        names.add(ROOT);
        return names;
    }

    /** The merged access list of these policies; names of policies that do not exist grant nothing. */
    Acl acl(List<String> names) {
        Snapshot current = snapshot;
        return current.acls().computeIfAbsent(List.copyOf(names), key -> new Acl(key.stream()
                .map(current.policies()::get)
                .filter(Objects::nonNull)
                .toList()));
    }
}
