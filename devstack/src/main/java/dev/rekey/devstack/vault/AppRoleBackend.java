package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rekey.devstack.vault.KvV2Routes.Operation;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;
import dev.rekey.devstack.vault.VaultResponses.Reply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static dev.rekey.devstack.vault.VaultResponses.envelope;
import static dev.rekey.devstack.vault.VaultResponses.object;

/**
 * One AppRole auth method mount ({@code auth/<mount>/}): roles, their role ids and secret ids, and login, with the
 * rules of Vault's {@code builtin/credential/approle}: a secret id expires after its TTL and after its number of uses
 * (the last use still logs in); a failed login says only "invalid role or secret ID"; tokens carry the role's
 * policies plus {@code default}, its {@code token_ttl} and {@code token_max_ttl}, and {@code role_name} metadata.
 * Secret ids are kept only as SHA-256 digests. One lock for the whole mount: logins are rare.
 */
final class AppRoleBackend {

    private static final String MOUNT_TYPE = "approle";
    private static final String INVALID = "invalid role or secret ID";

    /** A role as stored; durations of 0 mean "the system's" ({@code token_*}) or "never" ({@code secret_id_ttl}). */
    record Role(String name, String roleId, boolean bindSecretId, long secretIdNumUses, Duration secretIdTtl,
            List<String> tokenPolicies, Duration tokenTtl, Duration tokenMaxTtl, Duration tokenExplicitMaxTtl,
            boolean tokenNoDefaultPolicy) {
    }

    /** A secret id's accessor and limits; {@code remainingUses} 0 = unlimited, {@code expiresAt} null = never. */
    private static final class SecretId {
        final String accessor = UUID.randomUUID().toString();
        long remainingUses;
        final Instant expiresAt;

        SecretId(long uses, Instant expiresAt) {
            this.remainingUses = uses;
            this.expiresAt = expiresAt;
        }
    }

    private final String mount;
    private final TokenStore tokens;
    private final Map<String, Role> roles = new HashMap<>();
    /** Per role name: secret id digest → its entry. */
    private final Map<String, Map<String, SecretId>> secretIds = new HashMap<>();
    private final String accessor = "auth_approle_" + TokenStore.randomId(8).toLowerCase(Locale.ROOT);
    private final String uuid = UUID.randomUUID().toString();

    AppRoleBackend(String mount, TokenStore tokens) {
        this.mount = mount;
        this.tokens = tokens;
    }

    String mount() {
        return mount;
    }

    /** Its entry in {@code GET sys/auth}. */
    ObjectNode describe() {
        return SysRoutes.authMount(accessor, "", MOUNT_TYPE, uuid, true);
    }

    /** Writes to {@code role/:name} create when the role does not exist (AppRole's existence check). */
    synchronized boolean creates(String path) {
        String[] parts = path.split("/", -1);
        return parts.length == 2 && parts[0].equals("role") && !parts[1].isEmpty()
                && !roles.containsKey(parts[1].toLowerCase(Locale.ROOT));
    }

    /** @param path below {@code auth/<mount>/} */
    synchronized Reply handle(VaultRequest request, String path) {
        String[] parts = path.split("/", -1);
        if (parts[0].equals("role")) {
            if (parts.length == 1 || (parts.length == 2 && parts[1].isEmpty())) {
                return request.operation() == Operation.LIST ? listRoles() : KvV2Routes.unsupportedOperation();
            }
            String name = roleName(parts[1]);
            if (parts.length == 2) {
                return role(request, name);
            }
            if (parts.length == 3 && parts[2].equals("role-id")) {
                return request.operation() == Operation.READ ? roleId(name) : KvV2Routes.unsupportedOperation();
            }
            if (parts.length == 3 && parts[2].equals("secret-id")) {
                return request.operation() == Operation.UPDATE ? newSecretId(name, request.body())
                        : KvV2Routes.unsupportedOperation();
            }
        }
        return KvV2Routes.unsupportedPath();
    }

    /** {@code POST auth/<mount>/login}: unauthenticated. */
    synchronized Reply login(Operation operation, JsonNode body) {
        if (operation != Operation.UPDATE) {
            return KvV2Routes.unsupportedOperation();
        }
        String roleId = body.path("role_id").asText("").trim();
        if (roleId.isEmpty()) {
            throw new BadRequest("missing role_id");
        }
        Role role = roles.values().stream().filter(r -> r.roleId().equals(roleId)).findFirst().orElse(null);
        if (role == null) {
            throw new BadRequest(INVALID);
        }
        if (role.bindSecretId()) {
            String secretId = body.path("secret_id").asText("").trim();
            if (secretId.isEmpty()) {
                throw new BadRequest("missing secret_id");
            }
            useSecretId(role, secretId);
        }
        List<String> policies = AuthInputs.sanitisePolicies(role.tokenPolicies(), !role.tokenNoDefaultPolicy());
        if (policies.contains(PolicyStore.ROOT)) {
            throw new BadRequest("auth methods cannot create root tokens");
        }
        TokenStore.Issued issued = tokens.issue(new TokenStore.Spec(policies, "auth/" + mount + "/login", mount,
                TokenJson.roleMetadata(role.name()), null, role.tokenTtl(), role.tokenExplicitMaxTtl(),
                role.tokenMaxTtl(), true, mount + "/" + role.name()));
        return Reply.ok(envelope(null, TokenJson.auth(issued.token(), issued.token().creationTtl()),
                issued.warnings(), MOUNT_TYPE));
    }

    /** The role's current limits for renewing a token it issued; the role must still exist. */
    synchronized TokenRoutes.RenewalLimits renewalLimits(String roleName) {
        Role role = roles.get(roleName);
        if (role == null) {
            throw new BadRequest("role \"" + roleName + "\" does not exist during renewal");
        }
        return new TokenRoutes.RenewalLimits(role.tokenTtl(), role.tokenMaxTtl());
    }

    private void useSecretId(Role role, String secretId) {
        Map<String, SecretId> issued = secretIds.getOrDefault(role.name(), Map.of());
        String digest = digest(secretId);
        SecretId entry = issued.get(digest);
        if (entry == null) {
            throw new BadRequest(INVALID);
        }
        if (entry.expiresAt != null && !Instant.now().isBefore(entry.expiresAt)) {
            issued.remove(digest);
            throw new BadRequest(INVALID);
        }
        if (entry.remainingUses == 1) {
            issued.remove(digest); // the last use logs in; the next one finds nothing
        } else if (entry.remainingUses > 1) {
            entry.remainingUses--;
        }
    }

    private Reply role(VaultRequest request, String name) {
        return switch (request.operation()) {
            case READ -> roles.containsKey(name) ? Reply.ok(envelope(roleJson(roles.get(name)), MOUNT_TYPE))
                    : Reply.notFound();
            case UPDATE -> writeRole(name, request.body());
            case DELETE -> {
                roles.remove(name); // deleting a role that is not there is fine, as in Vault
                secretIds.remove(name);
                yield Reply.noContent();
            }
            default -> KvV2Routes.unsupportedOperation();
        };
    }

    private Reply writeRole(String name, JsonNode body) {
        Role existing = roles.get(name);
        Role base = existing != null ? existing : new Role(name, UUID.randomUUID().toString(), true, 0, Duration.ZERO,
                List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO, false);
        for (String field : List.of("secret_id_bound_cidrs", "token_bound_cidrs", "bound_cidr_list")) {
            if (body.hasNonNull(field) && !AuthInputs.strings(body.get(field), field).stream()
                    .allMatch(String::isBlank)) {
                throw new BadRequest("\"" + field + "\" is not supported by the rekey dev server");
            }
        }
        for (String field : List.of("token_period", "period", "token_num_uses")) {
            if (body.hasNonNull(field) && !body.get(field).asText().equals("0")) {
                throw new BadRequest("\"" + field + "\" is not supported by the rekey dev server");
            }
        }
        if (body.hasNonNull("token_type") && !List.of("default", "service", "default-service")
                .contains(body.get("token_type").asText())) {
            throw new BadRequest("\"token_type\" other than service is not supported by the rekey dev server");
        }
        long numUses = body.hasNonNull("secret_id_num_uses")
                ? KvInputs.integer(body.get("secret_id_num_uses"), "secret_id_num_uses")
                : base.secretIdNumUses();
        if (numUses < 0) {
            throw new BadRequest("secret_id_num_uses cannot be negative");
        }
        JsonNode policies = body.hasNonNull("token_policies") ? body.get("token_policies") : body.get("policies");
        Role role = new Role(name, base.roleId(),
                body.hasNonNull("bind_secret_id") ? KvInputs.bool(body.get("bind_secret_id"), "bind_secret_id")
                        : base.bindSecretId(),
                numUses,
                duration(body, "secret_id_ttl", base.secretIdTtl()),
                policies == null || policies.isNull() ? base.tokenPolicies()
                        : AuthInputs.sanitisePolicies(AuthInputs.strings(policies, "token_policies"), false),
                duration(body, "token_ttl", base.tokenTtl()),
                duration(body, "token_max_ttl", base.tokenMaxTtl()),
                duration(body, "token_explicit_max_ttl", base.tokenExplicitMaxTtl()),
                body.hasNonNull("token_no_default_policy")
                        ? KvInputs.bool(body.get("token_no_default_policy"), "token_no_default_policy")
                        : base.tokenNoDefaultPolicy());
        if (!role.bindSecretId()) {
            throw new BadRequest("at least one constraint should be enabled on the role");
        }
        if (!role.tokenMaxTtl().isZero() && role.tokenTtl().compareTo(role.tokenMaxTtl()) > 0) {
            throw new BadRequest("token_ttl should not be greater than token_max_ttl");
        }
        roles.put(name, role);
        return Reply.noContent();
    }

    private Reply roleId(String name) {
        Role role = roles.get(name);
        if (role == null) {
            return Reply.notFound();
        }
        ObjectNode data = object();
        data.put("role_id", role.roleId());
        return Reply.ok(envelope(data, MOUNT_TYPE));
    }

    private Reply newSecretId(String name, JsonNode body) {
        Role role = roles.get(name);
        if (role == null) {
            throw new BadRequest("role \"" + name + "\" does not exist");
        }
        long uses = body.hasNonNull("num_uses") ? KvInputs.integer(body.get("num_uses"), "num_uses")
                : role.secretIdNumUses();
        if (uses < 0) {
            throw new BadRequest("num_uses cannot be negative");
        }
        if (role.secretIdNumUses() > 0 && (uses == 0 || uses > role.secretIdNumUses())) {
            throw new BadRequest("num_uses cannot be higher than the role's secret_id_num_uses");
        }
        Duration ttl = duration(body, "ttl", role.secretIdTtl());
        if (!role.secretIdTtl().isZero() && (ttl.isZero() || ttl.compareTo(role.secretIdTtl()) > 0)) {
            throw new BadRequest("ttl cannot be longer than the role's secret_id_ttl");
        }
        String secretId = UUID.randomUUID().toString();
        SecretId entry = new SecretId(uses, ttl.isZero() ? null : Instant.now().plus(ttl));
        secretIds.computeIfAbsent(name, n -> new HashMap<>()).put(digest(secretId), entry);
        ObjectNode data = object();
        data.put("secret_id_accessor", entry.accessor);
        data.put("secret_id", secretId);
        data.put("secret_id_ttl", ttl.toSeconds());
        data.put("secret_id_num_uses", uses);
        return Reply.ok(envelope(data, MOUNT_TYPE));
    }

    private Reply listRoles() {
        if (roles.isEmpty()) {
            return Reply.notFound();
        }
        ObjectNode data = object();
        ArrayNode keys = data.putArray("keys");
        new TreeSet<>(roles.keySet()).forEach(keys::add);
        return Reply.ok(envelope(data, MOUNT_TYPE));
    }

    /** Sorted keys, as Vault's role read answers (the deprecated {@code policies} and {@code period} left out). */
    private static ObjectNode roleJson(Role role) {
        ObjectNode data = object();
        data.put("bind_secret_id", role.bindSecretId());
        data.put("local_secret_ids", false);
        data.putArray("secret_id_bound_cidrs");
        data.put("secret_id_num_uses", role.secretIdNumUses());
        data.put("secret_id_ttl", role.secretIdTtl().toSeconds());
        data.putArray("token_bound_cidrs");
        data.put("token_explicit_max_ttl", role.tokenExplicitMaxTtl().toSeconds());
        data.put("token_max_ttl", role.tokenMaxTtl().toSeconds());
        data.put("token_no_default_policy", role.tokenNoDefaultPolicy());
        data.put("token_num_uses", 0);
        data.put("token_period", 0);
        TokenJson.strings(data.putArray("token_policies"), role.tokenPolicies());
        data.put("token_ttl", role.tokenTtl().toSeconds());
        data.put("token_type", "default");
        return data;
    }

    private static Duration duration(JsonNode body, String field, Duration otherwise) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? otherwise : AuthInputs.duration(value, field);
    }

    /** Vault keeps role names in lower case; letters, digits, space, hyphen, underscore and periods. */
    private static String roleName(String name) {
        if (!name.matches("[A-Za-z0-9 ._-]{1,4095}")) {
            throw new BadRequest("invalid role name \"" + name.replaceAll("[^A-Za-z0-9 ._/-]", "?") + "\"");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String digest(String secretId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secretId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
