package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rekey.devstack.vault.KvV2Routes.Operation;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;
import dev.rekey.devstack.vault.VaultResponses.Reply;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static dev.rekey.devstack.vault.VaultResponses.object;
import static dev.rekey.devstack.vault.VaultResponses.sysEnvelope;

/**
 * The system backend's auth-method and policy endpoints: {@code sys/auth} (list), {@code sys/auth/:path} (enable an
 * AppRole mount, read, disable; root-protected, so {@code sudo} is needed) and {@code sys/policies/acl[/:name]}.
 * Answers carry the system backend's envelope, with {@code data} repeated at the top level.
 */
final class SysRoutes {

    private static final String PLUGIN_VERSION = "v1.19.0+builtin.vault";

    private final Map<String, AppRoleBackend> appRoles;
    private final TokenStore tokens;
    private final PolicyStore policies;
    private final String tokenAccessor = "auth_token_" + TokenStore.randomId(8).toLowerCase(Locale.ROOT);
    private final String tokenUuid = UUID.randomUUID().toString();

    /** @param appRoles the server's AppRole mounts by path, changed here when methods are enabled or disabled */
    SysRoutes(Map<String, AppRoleBackend> appRoles, TokenStore tokens, PolicyStore policies) {
        this.appRoles = appRoles;
        this.tokens = tokens;
        this.policies = policies;
    }

    /** Paths Vault's system backend marks root-protected, of those served here. */
    static boolean rootProtected(String path) {
        return path.startsWith("sys/auth/") && path.length() > "sys/auth/".length();
    }

    /** @param path below {@code sys/} */
    Reply handle(VaultRequest request, String path) {
        Operation operation = request.operation();
        if (path.equals("auth") || path.equals("auth/")) {
            return operation == Operation.READ ? Reply.ok(sysEnvelope(authMounts()))
                    : KvV2Routes.unsupportedOperation();
        }
        if (path.startsWith("auth/")) {
            return authMount(operation, trimSlashes(path.substring("auth/".length())), request.body());
        }
        if (path.equals("policies/acl") || path.equals("policies/acl/")) {
            return operation == Operation.LIST ? listPolicies() : KvV2Routes.unsupportedOperation();
        }
        if (path.startsWith("policies/acl/")) {
            return policy(operation, path.substring("policies/acl/".length()), request.body());
        }
        return KvV2Routes.unsupportedPath();
    }

    private ObjectNode authMounts() {
        Map<String, ObjectNode> mounts = new TreeMap<>();
        mounts.put("token/", authMount(tokenAccessor, "token based credentials", "token", tokenUuid, false));
        appRoles.forEach((mount, backend) -> mounts.put(mount + "/", backend.describe()));
        ObjectNode data = object();
        mounts.forEach(data::set);
        return data;
    }

    private Reply authMount(Operation operation, String mount, JsonNode body) {
        if (mount.isEmpty() || mount.contains("..")) {
            throw new BadRequest("invalid path \"" + mount + "\"");
        }
        return switch (operation) {
            case UPDATE -> enable(mount, body);
            case READ -> {
                if (mount.equals("token")) {
                    yield Reply.ok(sysEnvelope(authMount(tokenAccessor, "token based credentials", "token",
                            tokenUuid, false)));
                }
                AppRoleBackend backend = appRoles.get(mount);
                yield backend == null ? Reply.error(400, "No auth engine at " + mount + "/")
                        : Reply.ok(sysEnvelope(backend.describe()));
            }
            case DELETE -> {
                if (mount.equals("token")) {
                    throw new BadRequest("token credential backend cannot be disabled");
                }
                appRoles.remove(mount);
                yield Reply.noContent();
            }
            default -> KvV2Routes.unsupportedOperation();
        };
    }

    private Reply enable(String mount, JsonNode body) {
        String type = body.path("type").asText("");
        if (type.isEmpty()) {
            throw new BadRequest("backend type must be specified as a string");
        }
        if (mount.equals("token") || appRoles.containsKey(mount)) {
            throw new BadRequest("path is already in use at " + mount + "/");
        }
        if (!type.equals("approle")) {
            throw new BadRequest("plugin not found in the catalog: " + type);
        }
        if (appRoles.putIfAbsent(mount, new AppRoleBackend(mount, tokens)) != null) {
            throw new BadRequest("path is already in use at " + mount + "/");
        }
        return Reply.noContent();
    }

    private Reply listPolicies() {
        ObjectNode data = object();
        ArrayNode keys = data.putArray("keys");
        policies.names().forEach(keys::add);
        return Reply.ok(sysEnvelope(data));
    }

    private Reply policy(Operation operation, String rawName, JsonNode body) {
        String name = PolicyStore.normalise(trimSlashes(rawName));
        if (name.isEmpty()) {
            throw new BadRequest("policy name must be provided in the URL");
        }
        return switch (operation) {
            case READ -> {
                AclPolicy policy = policies.get(name);
                if (policy == null && !name.equals(PolicyStore.ROOT)) {
                    yield Reply.notFound();
                }
                ObjectNode data = object();
                data.put("name", name);
                data.put("policy", policy == null ? "" : policy.raw());
                yield Reply.ok(sysEnvelope(data));
            }
            case UPDATE -> {
                String text = body.path("policy").asText("");
                if (text.isEmpty()) {
                    throw new BadRequest("'policy' parameter not supplied or empty");
                }
                policies.put(name, base64OrText(text));
                yield Reply.noContent();
            }
            case DELETE -> {
                policies.delete(name);
                yield Reply.noContent();
            }
            default -> KvV2Routes.unsupportedOperation();
        };
    }

    /** Vault accepts a policy base64-encoded, and uses the text as given when it does not decode. */
    private static String base64OrText(String text) {
        if (!text.matches("[A-Za-z0-9+/]+={0,2}") || text.length() % 4 != 0) {
            return text;
        }
        try {
            return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** One entry of {@code GET sys/auth}, keys sorted as Vault's map marshals them. */
    static ObjectNode authMount(String accessor, String description, String type, String uuid,
            boolean deprecationStatus) {
        ObjectNode mount = object();
        mount.put("accessor", accessor);
        ObjectNode config = mount.putObject("config");
        config.put("default_lease_ttl", 0);
        config.put("force_no_cache", false);
        config.put("max_lease_ttl", 0);
        config.put("token_type", "default-service");
        if (deprecationStatus) {
            mount.put("deprecation_status", "supported");
        }
        mount.put("description", description);
        mount.put("external_entropy_access", false);
        mount.put("local", false);
        mount.putNull("options");
        mount.put("plugin_version", "");
        mount.put("running_plugin_version", PLUGIN_VERSION);
        mount.put("running_sha256", "");
        mount.put("seal_wrap", false);
        mount.put("type", type);
        mount.put("uuid", uuid);
        return mount;
    }

    private static String trimSlashes(String path) {
        return path.replaceAll("^/+|/+$", "");
    }
}
