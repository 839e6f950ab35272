package dev.rekey.devstack.vault;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import io.github.jopenlibs.vault.rest.Rest;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The services' policies from {@code deploy/vault/policies}, set up by {@link VaultSetup} and used as the services
 * use them: an AppRole login through the Vault Java Driver, then the requests each service makes — and the ones it
 * must not be able to make.
 */
class ServicePoliciesTest {

    private static final String CREDENTIAL = "secret/apps/billing/db";
    private static final String PENDING = "secret/rekey-pending/apps/billing/db";
    private static final String ADMIN = "secret/rekey/admin/pg-billing";
    private static final String OWNER = "secret/rekey/owners/team-billing";

    private static VaultDevServer server;
    private static Vault root;
    private static Map<String, VaultSetup.AppRoleLogin> logins;

    @BeforeAll
    static void setUp() throws VaultException {
        server = VaultDevServer.start(0, "root-" + UUID.randomUUID());
        root = driver(server.rootToken());
        logins = VaultSetup.forVault(server.address(), server.rootToken()).apply();
        root.logical().write(CREDENTIAL, Map.of("username", "billing", "password", "old-value"));
        root.logical().write(ADMIN, Map.of("username", "postgres", "password", "admin-value"));
        root.logical().write(OWNER, Map.of("slack_webhook", "https://hooks.example/abc"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyServiceLogsInWithItsRoleAndGetsItsPolicyAndDefault() throws VaultException {
        for (String service : VaultSetup.SERVICES) {
            Vault vault = loggedIn(service);

            LookupResponse self = vault.auth().lookupSelf();

            assertThat(self.getPolicies()).containsExactly("default", service);
            assertThat(self.getPath()).isEqualTo("auth/approle/login");
            assertThat(self.isRenewable()).isTrue();
            assertThat(self.getTTL()).isBetween(1190L, 1200L);
            assertThat(vault.auth().renewSelf(600).getAuthLeaseDuration()).isEqualTo(600);
        }
    }

    @Test
    void workerRotatesACredentialUnderItsPolicy() throws Exception {
        Vault worker = loggedIn("rotation-worker");

        LogicalResponse current = worker.logical().read(CREDENTIAL);
        LogicalResponse pending = worker.logical().write(PENDING, Map.of("rotation_id", "r1", "password", "new-value"),
                2, new WriteOptions().checkAndSet(0L).build());
        LogicalResponse committed = worker.logical().write(CREDENTIAL,
                Map.of("username", "billing", "password", "new-value"), 2,
                new WriteOptions().checkAndSet(current.getDataMetadata().getVersion()).build());
        RestResponse metadata = customMetadata(tokenOf(worker), "apps/billing/db", "{\"rotation_id\":\"r1\"}");
        // the pending record is replaced by a tombstone (check-and-set on its version), never deleted
        LogicalResponse removed = worker.logical().write(PENDING, Map.of("done_rotation_id", "r1",
                "secret_version_at_least", "2"), 2, new WriteOptions().checkAndSet(1L).build());
        int delete = statusOf(() -> worker.logical().delete(PENDING));
        LogicalResponse admin = worker.logical().read(ADMIN);

        assertThat(current.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(pending.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(committed.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(metadata.getStatus()).isEqualTo(204);
        assertThat(removed.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(delete).as("no delete anywhere").isEqualTo(403);
        assertThat(admin.getData()).containsEntry("username", "postgres");
        LogicalResponse after = root.logical().read(CREDENTIAL);
        assertThat(after.getData()).containsEntry("password", "new-value");
        assertThat(after.getDataMetadata().getMetadataMap().get("custom_metadata")).contains("r1");
        assertThat(root.logical().read(PENDING).getData()).doesNotContainKey("password");
    }

    @Test
    void workerIsDeniedTheOwnersSecretsAndAnythingElseOfRekeys() throws VaultException {
        Vault worker = loggedIn("rotation-worker");

        assertThat(status(worker.logical().read(OWNER))).isEqualTo(403);
        assertThat(status(worker.logical().write(OWNER, Map.of("slack_webhook", "https://evil.example"))))
                .isEqualTo(403);
        assertThat(status(worker.logical().write(ADMIN, Map.of("password", "mine")))).isEqualTo(403);
        assertThat(status(worker.logical().read("secret/rekey/other"))).isEqualTo(403);
        assertThat(statusOf(() -> worker.logical().delete(CREDENTIAL))).isEqualTo(403);
        assertThat(listStatus(worker, "secret/apps")).isEqualTo(403);
        assertThat(root.logical().read(OWNER).getData()).containsEntry("slack_webhook", "https://hooks.example/abc");
        assertThat(body(worker.logical().read(OWNER).getRestResponse()))
                .isEqualTo("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}");
    }

    @Test
    void inventoryListsAndReadsMetadataButNoValueAndNotRekeysOwnEntries() throws Exception {
        Vault inventory = loggedIn("inventory-service");
        String token = tokenOf(inventory);

        LogicalResponse top = inventory.logical().list("secret");
        LogicalResponse apps = inventory.logical().list("secret/apps/billing");
        RestResponse metadata = raw("GET", "secret/metadata/apps/billing/db", token, null);

        assertThat(top.getListData()).contains("apps/", "rekey/");
        assertThat(apps.getListData()).containsExactly("db");
        assertThat(metadata.getStatus()).isEqualTo(200);
        assertThat(status(inventory.logical().read(CREDENTIAL))).isEqualTo(403);
        assertThat(listStatus(inventory, "secret/rekey")).isEqualTo(403);
        assertThat(listStatus(inventory, "secret/rekey/owners")).isEqualTo(403);
        assertThat(listStatus(inventory, "secret/rekey-pending")).isEqualTo(403);
        assertThat(raw("GET", "secret/metadata/rekey/owners/team-billing", token, null).getStatus()).isEqualTo(403);
        assertThat(status(inventory.logical().write("secret/apps/new", Map.of("password", "x")))).isEqualTo(403);
    }

    @Test
    void notifierReadsOnlyTheOwnersSecrets() throws VaultException {
        Vault notifier = loggedIn("notifier-service");

        assertThat(notifier.logical().read(OWNER).getData())
                .containsEntry("slack_webhook", "https://hooks.example/abc");
        assertThat(status(notifier.logical().read(CREDENTIAL))).isEqualTo(403);
        assertThat(status(notifier.logical().read(ADMIN))).isEqualTo(403);
        assertThat(listStatus(notifier, "secret/rekey/owners")).isEqualTo(403);
        assertThat(status(notifier.logical().write(OWNER, Map.of("slack_webhook", "x")))).isEqualTo(403);
    }

    @Test
    void runningTheSetupAgainKeepsRoleIdsAndIssuesFreshSecretIdsBothValid() throws VaultException {
        Map<String, VaultSetup.AppRoleLogin> again = VaultSetup.forVault(server.address(), server.rootToken())
                .apply();

        for (String service : VaultSetup.SERVICES) {
            assertThat(again.get(service).roleId()).isEqualTo(logins.get(service).roleId());
            assertThat(again.get(service).secretId()).isNotEqualTo(logins.get(service).secretId());
            assertThat(login(again.get(service)).getAuthClientToken()).isNotBlank();
            assertThat(login(logins.get(service)).getAuthClientToken()).isNotBlank();
        }
        assertThat(again.get("rotation-worker").toString()).doesNotContain(again.get("rotation-worker").secretId());
    }

    @Test
    void wrongSecretIdIsRefusedByTheDriverWith400() {
        VaultSetup.AppRoleLogin worker = logins.get("rotation-worker");

        assertThatThrownBy(() -> login(new VaultSetup.AppRoleLogin(worker.roleId(), "not-the-secret-id")))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.getHttpStatusCode()).isEqualTo(400));
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private static Vault loggedIn(String service) throws VaultException {
        return driver(login(logins.get(service)).getAuthClientToken());
    }

    private static AuthResponse login(VaultSetup.AppRoleLogin login) throws VaultException {
        return driver(null).auth().loginByAppRole("approle", login.roleId(), login.secretId());
    }

    private static Vault driver(String token) throws VaultException {
        VaultConfig config = new VaultConfig().address(server.address()).engineVersion(2);
        if (token != null) {
            config.token(token);
        }
        return Vault.create(config.build());
    }

    private static String tokenOf(Vault vault) throws VaultException {
        return vault.auth().lookupSelf().getId();
    }

    private static RestResponse customMetadata(String token, String path, String values) throws RestException {
        return raw("POST", "secret/metadata/" + path, token, "{\"custom_metadata\":" + values + "}");
    }

    private static RestResponse raw(String method, String path, String token, String body) throws RestException {
        Rest rest = new Rest().url(server.address() + "/v1/" + path).header("X-Vault-Token", token);
        if (body != null) {
            rest.body(body.getBytes(StandardCharsets.UTF_8));
        }
        return method.equals("POST") ? rest.post() : rest.get();
    }

    private interface Call {
        LogicalResponse run() throws VaultException;
    }

    /** The driver throws for a LIST or DELETE that fails, where a read or write returns the response. */
    private static int statusOf(Call call) {
        try {
            return status(call.run());
        } catch (VaultException e) {
            return e.getHttpStatusCode();
        }
    }

    private static int listStatus(Vault vault, String path) {
        return statusOf(() -> vault.logical().list(path));
    }

    private static int status(LogicalResponse response) {
        return response.getRestResponse().getStatus();
    }

    private static String body(RestResponse response) {
        return new String(response.getBody(), StandardCharsets.UTF_8);
    }
}
