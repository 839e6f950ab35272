package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets a Vault up for rekey over Vault's HTTP API with an admin token: enables AppRole, writes the services' policies
 * ({@code deploy/vault/policies/<service>.hcl}, shipped in this jar) and one role per service, and hands out each
 * service's role id and a fresh secret id. Works against the dev server and a real Vault alike; running it again
 * updates the policies and roles and issues new secret ids (the old ones stay valid). {@code deploy/vault/setup.sh}
 * does the same with the {@code vault} CLI.
 *
 * <pre>{@code
 * Map<String, VaultSetup.AppRoleLogin> logins = VaultSetup.forVault(vault.address(), vault.rootToken()).apply();
 * VaultSetup.AppRoleLogin worker = logins.get("rotation-worker");
 * }</pre>
 */
public final class VaultSetup {

    /** The services that log in to Vault; each one's role and policy carry its name. */
    public static final List<String> SERVICES = List.of("inventory-service", "rotation-worker", "notifier-service");

    /** Tokens live 20 minutes and are renewed by the services; after 4 hours a service logs in again. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(20);
    public static final Duration DEFAULT_TOKEN_MAX_TTL = Duration.ofHours(4);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What a service logs in with ({@code VAULT_APPROLE_ROLE_ID}, {@code VAULT_APPROLE_SECRET_ID}). */
    public record AppRoleLogin(String roleId, String secretId) {

        public AppRoleLogin {
            Objects.requireNonNull(roleId, "roleId");
            Objects.requireNonNull(secretId, "secretId");
        }

        /** The secret id is a credential: never printed. */
        @Override
        public String toString() {
            return "AppRoleLogin[roleId=" + roleId + ", secretId=<redacted>]";
        }
    }

    private final String address;
    private final String adminToken;
    private final String mount;
    private final Duration tokenTtl;
    private final Duration tokenMaxTtl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private VaultSetup(String address, String adminToken, String mount, Duration tokenTtl, Duration tokenMaxTtl) {
        this.address = address.replaceAll("/+$", "");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        this.mount = mount;
        this.tokenTtl = tokenTtl;
        this.tokenMaxTtl = tokenMaxTtl;
    }

    /**
     * @param adminToken a token with {@code sudo} on {@code sys/auth/*} and write access to {@code sys/policies/acl/*}
     *                   and {@code auth/approle/*} (the root token in dev)
     */
    public static VaultSetup forVault(String address, String adminToken) {
        return new VaultSetup(address, adminToken, "approle", DEFAULT_TOKEN_TTL, DEFAULT_TOKEN_MAX_TTL);
    }

    /** The services' token TTL and maximum TTL (short ones for tests of renewal and re-login). */
    public VaultSetup tokenTtl(Duration ttl, Duration maxTtl) {
        return new VaultSetup(address, adminToken, mount, ttl, maxTtl);
    }

    /** Where AppRole is (or gets) enabled; {@code approle} by default. */
    public VaultSetup appRoleMount(String appRoleMount) {
        return new VaultSetup(address, adminToken, appRoleMount, tokenTtl, tokenMaxTtl);
    }

    /** Enables AppRole if needed, writes every service's policy and role; returns each service's login. */
    public Map<String, AppRoleLogin> apply() {
        enableAppRole();
        Map<String, AppRoleLogin> logins = new LinkedHashMap<>();
        for (String service : SERVICES) {
            logins.put(service, setUp(service));
        }
        return logins;
    }

    /** The HCL of a service's policy, as shipped from {@code deploy/vault/policies}. */
    public static String policy(String service) {
        String resource = "policies/" + service + ".hcl";
        try (InputStream in = VaultSetup.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no policy for " + service + " (" + resource + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void enableAppRole() {
        JsonNode auth = call("GET", "sys/auth", null);
        if (!auth.path("data").has(mount + "/")) {
            ObjectNode body = JSON.createObjectNode().put("type", "approle");
            call("POST", "sys/auth/" + mount, body);
        }
    }

    private AppRoleLogin setUp(String service) {
        call("PUT", "sys/policies/acl/" + service, JSON.createObjectNode().put("policy", policy(service)));
        ObjectNode role = JSON.createObjectNode();
        role.putArray("token_policies").add(service);
        role.put("token_ttl", tokenTtl.toSeconds());
        role.put("token_max_ttl", tokenMaxTtl.toSeconds());
        // The service logs in again with the same secret id whenever its token reaches its max TTL, so the secret
        // id neither expires nor runs out of uses; whoever holds it is trusted as the service.
        role.put("secret_id_ttl", 0);
        role.put("secret_id_num_uses", 0);
        role.put("bind_secret_id", true);
        String rolePath = "auth/" + mount + "/role/" + service;
        call("POST", rolePath, role);
        String roleId = call("GET", rolePath + "/role-id", null).path("data").path("role_id").asText();
        String secretId = call("POST", rolePath + "/secret-id", JSON.createObjectNode())
                .path("data").path("secret_id").asText();
        if (roleId.isEmpty() || secretId.isEmpty()) {
            throw new IllegalStateException("Vault gave no role id or secret id for " + service);
        }
        return new AppRoleLogin(roleId, secretId);
    }

    /** One request; a JSON answer or an empty object for 204. Errors name the call and Vault's messages. */
    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .timeout(TIMEOUT)
                .header("X-Vault-Token", adminToken)
                .header("X-Vault-Request", "true");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 204) {
                return JSON.createObjectNode();
            }
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                // Vault's error messages only: they name no secret.
                throw new IllegalStateException("Vault answered " + response.statusCode() + " to " + method + " "
                        + path + ": " + json.path("errors"));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Vault at " + address + " for " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting Vault up", e);
        }
    }
}
