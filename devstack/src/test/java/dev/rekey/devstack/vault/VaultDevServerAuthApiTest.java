package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw HTTP against the dev server's tokens, AppRole and ACL policies, held to the shapes, statuses and messages of
 * Vault's API documentation and source ({@code logical.HTTPAuth}, the token store's lookup, AppRole's login, the
 * system backend's policy endpoints, {@code request_handling.go}'s two forms of "permission denied").
 */
class VaultDevServerAuthApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACL_DENIED = "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}";
    private static final String TOKEN_DENIED = "{\"errors\":[\"permission denied\"]}";

    private static VaultDevServer server;
    private static HttpClient http;
    private static String root;

    @BeforeAll
    static void startServer() throws Exception {
        server = VaultDevServer.start(0, "root-" + UUID.randomUUID());
        root = server.rootToken();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        assertThat(call("POST", "sys/auth/approle", root, "{\"type\":\"approle\"}").statusCode()).isEqualTo(204);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // --- tokens ------------------------------------------------------------------------------------------------------

    @Test
    void tokenCreateAnswersVaultsAuthBlock() throws Exception {
        HttpResponse<String> created = call("POST", "auth/token/create", root,
                "{\"policies\":[\"web\",\"stage\"],\"meta\":{\"user\":\"armon\"},\"ttl\":\"1h\",\"renewable\":true}");
        JsonNode body = json(created);

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(names(body)).containsExactly("request_id", "lease_id", "renewable", "lease_duration", "data",
                "wrap_info", "warnings", "auth", "mount_type");
        assertThat(body.get("data").isNull()).isTrue();
        assertThat(body.get("warnings")).extracting(JsonNode::asText)
                .containsExactly("Policy \"stage\" does not exist", "Policy \"web\" does not exist");
        JsonNode auth = body.get("auth");
        assertThat(names(auth)).containsExactly("client_token", "accessor", "policies", "token_policies",
                "metadata", "lease_duration", "renewable", "entity_id", "token_type", "orphan", "mfa_requirement",
                "num_uses");
        assertThat(auth.get("client_token").asText()).startsWith("hvs.");
        assertThat(texts(auth.get("policies"))).containsExactly("default", "stage", "web");
        assertThat(texts(auth.get("token_policies"))).containsExactly("default", "stage", "web");
        assertThat(auth.at("/metadata/user").asText()).isEqualTo("armon");
        assertThat(auth.get("lease_duration").asLong()).isEqualTo(3600);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        assertThat(auth.get("token_type").asText()).isEqualTo("service");
        assertThat(auth.get("orphan").asBoolean()).isFalse();
        assertThat(body.get("mount_type").asText()).isEqualTo("token");
    }

    @Test
    void lookupSelfDescribesTheCallingToken() throws Exception {
        String token = createToken("{\"policies\":[\"p1\"],\"ttl\":\"10m\",\"explicit_max_ttl\":\"1h\"}");

        HttpResponse<String> lookup = call("GET", "auth/token/lookup-self", token, null);
        JsonNode data = json(lookup).get("data");

        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(names(data)).containsExactly("accessor", "creation_time", "creation_ttl", "display_name",
                "entity_id", "expire_time", "explicit_max_ttl", "id", "issue_time", "meta", "num_uses", "orphan",
                "path", "policies", "renewable", "ttl", "type");
        assertThat(data.get("id").asText()).isEqualTo(token);
        assertThat(data.get("creation_ttl").asLong()).isEqualTo(600);
        assertThat(data.get("explicit_max_ttl").asLong()).isEqualTo(3600);
        assertThat(data.get("ttl").asLong()).isBetween(590L, 600L);
        assertThat(data.get("path").asText()).isEqualTo("auth/token/create");
        assertThat(data.get("display_name").asText()).isEqualTo("token");
        assertThat(texts(data.get("policies"))).containsExactly("default", "p1");
        assertThat(data.get("meta").isNull()).isTrue();
        assertThat(data.get("expire_time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    }

    @Test
    void rootTokenLooksItselfUpWithoutExpiry() throws Exception {
        JsonNode data = json(call("GET", "auth/token/lookup-self", root, null)).get("data");

        assertThat(texts(data.get("policies"))).containsExactly("root");
        assertThat(data.get("path").asText()).isEqualTo("auth/token/root");
        assertThat(data.get("expire_time").isNull()).isTrue();
        assertThat(data.get("ttl").asLong()).isZero();
        assertThat(data.get("orphan").asBoolean()).isTrue();
        assertThat(data.has("renewable")).isFalse();
    }

    @Test
    void renewSelfIsCappedAtTheExplicitMaxTtlWithVaultsWarning() throws Exception {
        String token = createToken("{\"policies\":[\"p1\"],\"ttl\":\"60s\",\"explicit_max_ttl\":\"90s\"}");

        JsonNode first = json(call("POST", "auth/token/renew-self", token, "{\"increment\":\"30s\"}"));
        JsonNode capped = json(call("POST", "auth/token/renew-self", token, "{\"increment\":3600}"));

        assertThat(first.at("/auth/lease_duration").asLong()).isEqualTo(30);
        assertThat(first.get("warnings").isNull()).isTrue();
        assertThat(first.at("/auth/client_token").asText()).isEqualTo(token);
        assertThat(capped.at("/auth/lease_duration").asLong()).isBetween(85L, 90L);
        assertThat(capped.get("warnings").get(0).asText())
                .matches("TTL of \"1h0m0s\" exceeded the effective max_ttl of \"1m(2[5-9]|30)s\"; TTL value is capped"
                        + " accordingly");
        JsonNode lookup = json(call("GET", "auth/token/lookup-self", token, null)).get("data");
        assertThat(names(lookup)).contains("last_renewal", "last_renewal_time");
    }

    @Test
    void rootTokenIsNotRenewable() throws Exception {
        HttpResponse<String> renewed = call("POST", "auth/token/renew-self", root, "{}");

        assertThat(renewed.statusCode()).isEqualTo(400);
        assertThat(renewed.body()).isEqualTo("{\"errors\":[\"lease is not renewable\"]}");
    }

    @Test
    void expiredTokenIsDeniedLikeAnUnknownOne() throws Exception {
        String token = createToken("{\"policies\":[\"p1\"],\"ttl\":\"1s\"}");
        assertThat(call("GET", "auth/token/lookup-self", token, null).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> lookup = call("GET", "auth/token/lookup-self", token, null);
            assertThat(lookup.statusCode()).isEqualTo(403);
            assertThat(lookup.body()).isEqualTo(TOKEN_DENIED);
        });
    }

    @Test
    void revokeSelfEndsTheTokenAndItsChildren() throws Exception {
        writePolicy("parent-creator", "path \"auth/token/create\" { capabilities = [\"update\"] }");
        String parent = createToken("{\"policies\":[\"parent-creator\"],\"ttl\":\"1h\"}");
        String child = json(call("POST", "auth/token/create", parent, "{\"ttl\":\"1h\"}")).at("/auth/client_token")
                .asText();
        assertThat(call("GET", "auth/token/lookup-self", child, null).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = call("POST", "auth/token/revoke-self", parent, null);

        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(call("GET", "auth/token/lookup-self", parent, null).body()).isEqualTo(TOKEN_DENIED);
        assertThat(call("GET", "auth/token/lookup-self", child, null).body()).isEqualTo(TOKEN_DENIED);
    }

    @Test
    void childPoliciesMustBeASubsetUnlessTheParentHasSudo() throws Exception {
        writePolicy("creator", "path \"auth/token/create\" { capabilities = [\"update\"] }");
        writePolicy("super-creator", "path \"auth/token/create\" { capabilities = [\"update\", \"sudo\"] }");
        String plain = createToken("{\"policies\":[\"creator\"],\"ttl\":\"1h\"}");
        String sudo = createToken("{\"policies\":[\"super-creator\"],\"ttl\":\"1h\"}");

        HttpResponse<String> widened = call("POST", "auth/token/create", plain, "{\"policies\":[\"other\"]}");
        HttpResponse<String> subset = call("POST", "auth/token/create", plain, "{\"policies\":[\"creator\"]}");
        HttpResponse<String> bySudo = call("POST", "auth/token/create", sudo, "{\"policies\":[\"other\"]}");
        HttpResponse<String> rootChild = call("POST", "auth/token/create", sudo, "{\"policies\":[\"root\"]}");

        assertThat(widened.statusCode()).isEqualTo(400);
        assertThat(widened.body()).isEqualTo("{\"errors\":[\"child policies must be subset of parent\"]}");
        assertThat(subset.statusCode()).isEqualTo(200);
        assertThat(bySudo.statusCode()).isEqualTo(200);
        assertThat(rootChild.statusCode()).isEqualTo(400);
    }

    // --- ACL enforcement ---------------------------------------------------------------------------------------------

    @Test
    void requestOutsideThePolicyIsDeniedWithVaultsMultiError() throws Exception {
        writePolicy("reader", "path \"secret/data/acl/*\" { capabilities = [\"read\"] }");
        String token = createToken("{\"policies\":[\"reader\"],\"ttl\":\"1h\"}");
        call("POST", "secret/data/acl/x", root, "{\"data\":{\"v\":\"1\"}}");

        HttpResponse<String> allowed = call("GET", "secret/data/acl/x", token, null);
        HttpResponse<String> write = call("POST", "secret/data/acl/x", token, "{\"data\":{\"v\":\"2\"}}");
        HttpResponse<String> elsewhere = call("GET", "secret/data/other", token, null);
        HttpResponse<String> sys = call("GET", "sys/policies/acl/reader", token, null);

        assertThat(allowed.statusCode()).isEqualTo(200);
        for (HttpResponse<String> denied : List.of(write, elsewhere, sys)) {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo(ACL_DENIED);
        }
    }

    @Test
    void firstKvWriteNeedsCreateAndLaterOnesUpdate() throws Exception {
        writePolicy("creator-only", "path \"secret/data/cu/*\" { capabilities = [\"create\"] }");
        writePolicy("updater-only", "path \"secret/data/cu/*\" { capabilities = [\"update\"] }");
        String creator = createToken("{\"policies\":[\"creator-only\"],\"ttl\":\"1h\"}");
        String updater = createToken("{\"policies\":[\"updater-only\"],\"ttl\":\"1h\"}");

        assertThat(call("POST", "secret/data/cu/a", updater, "{\"data\":{\"v\":\"1\"}}").statusCode()).isEqualTo(403);
        assertThat(call("POST", "secret/data/cu/a", creator, "{\"data\":{\"v\":\"1\"}}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "secret/data/cu/a", creator, "{\"data\":{\"v\":\"2\"}}").statusCode()).isEqualTo(403);
        assertThat(call("POST", "secret/data/cu/a", updater, "{\"data\":{\"v\":\"2\"}}").statusCode()).isEqualTo(200);
    }

    @Test
    void patchDeleteAndListNeedTheirOwnCapabilities() throws Exception {
        writePolicy("rw", "path \"secret/+/pdl/*\" { capabilities = [\"create\", \"read\", \"update\"] }");
        String token = createToken("{\"policies\":[\"rw\"],\"ttl\":\"1h\"}");
        call("POST", "secret/data/pdl/a", token, "{\"data\":{\"v\":\"1\"}}");

        HttpResponse<String> patch = http.send(request("PATCH", "secret/data/pdl/a", token, "{\"data\":{\"v\":\"2\"}}")
                .header("Content-Type", "application/merge-patch+json").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> delete = call("DELETE", "secret/metadata/pdl/a", token, null);
        HttpResponse<String> list = call("LIST", "secret/metadata/pdl", token, null);

        assertThat(patch.statusCode()).isEqualTo(403);
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(call("GET", "secret/data/pdl/a", root, null).body()).contains("\"v\":\"1\"");
    }

    @Test
    void enablingAnAuthMethodNeedsSudo() throws Exception {
        writePolicy("auth-admin", "path \"sys/auth/*\" { capabilities = [\"create\", \"update\"] }");
        String token = createToken("{\"policies\":[\"auth-admin\"],\"ttl\":\"1h\"}");

        HttpResponse<String> enable = call("POST", "sys/auth/approle-nosudo", token, "{\"type\":\"approle\"}");

        assertThat(enable.statusCode()).isEqualTo(403);
        assertThat(enable.body()).isEqualTo(ACL_DENIED);
    }

    // --- policies ----------------------------------------------------------------------------------------------------

    @Test
    void policyIsWrittenReadListedAndDeleted() throws Exception {
        String hcl = "path \"secret/data/pol/*\" {\n  capabilities = [\"read\"]\n}\n";

        HttpResponse<String> written = call("PUT", "sys/policies/acl/Pol-Test", root,
                JSON.createObjectNode().put("policy", hcl).toString());
        HttpResponse<String> read = call("GET", "sys/policies/acl/pol-test", root, null);
        HttpResponse<String> list = call("LIST", "sys/policies/acl", root, null);
        HttpResponse<String> deleted = call("DELETE", "sys/policies/acl/pol-test", root, null);

        assertThat(written.statusCode()).isEqualTo(204);
        JsonNode body = json(read);
        assertThat(body.at("/data/name").asText()).isEqualTo("pol-test");
        assertThat(body.at("/data/policy").asText()).isEqualTo(hcl);
        assertThat(body.get("name").asText()).isEqualTo("pol-test"); // the system backend repeats data at the top
        assertThat(body.get("mount_type").asText()).isEqualTo("system");
        List<String> keys = texts(json(list).at("/data/keys"));
        assertThat(keys).contains("default", "pol-test");
        assertThat(keys.get(keys.size() - 1)).isEqualTo("root");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(call("GET", "sys/policies/acl/pol-test", root, null).statusCode()).isEqualTo(404);
    }

    @Test
    void badPoliciesAndBuiltInsAreRefusedWith400() throws Exception {
        HttpResponse<String> invalid = call("PUT", "sys/policies/acl/bad", root,
                "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"fly\\\"] }\"}");
        HttpResponse<String> empty = call("PUT", "sys/policies/acl/bad", root, "{\"policy\":\"\"}");
        HttpResponse<String> updateRoot = call("PUT", "sys/policies/acl/root", root,
                "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }\"}");
        HttpResponse<String> deleteDefault = call("DELETE", "sys/policies/acl/default", root, null);
        HttpResponse<String> deleteRoot = call("DELETE", "sys/policies/acl/root", root, null);

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body())
                .isEqualTo("{\"errors\":[\"failed to parse policy: path \\\"a\\\": invalid capability \\\"fly\\\"\"]}");
        assertThat(empty.body()).isEqualTo("{\"errors\":[\"'policy' parameter not supplied or empty\"]}");
        assertThat(updateRoot.body()).isEqualTo("{\"errors\":[\"cannot update \\\"root\\\" policy\"]}");
        assertThat(deleteDefault.body()).isEqualTo("{\"errors\":[\"cannot delete default policy\"]}");
        assertThat(deleteRoot.body()).isEqualTo("{\"errors\":[\"cannot delete root policy\"]}");
        assertThat(call("GET", "sys/policies/acl/bad", root, null).statusCode()).isEqualTo(404);
    }

    @Test
    void changedPolicyAppliesToTheNextRequest() throws Exception {
        writePolicy("changing", "path \"secret/data/chg\" { capabilities = [\"read\"] }");
        String token = createToken("{\"policies\":[\"changing\"],\"ttl\":\"1h\"}");
        call("POST", "secret/data/chg", root, "{\"data\":{\"v\":\"1\"}}");
        assertThat(call("GET", "secret/data/chg", token, null).statusCode()).isEqualTo(200);

        writePolicy("changing", "path \"secret/data/chg\" { capabilities = [\"deny\"] }");

        assertThat(call("GET", "secret/data/chg", token, null).statusCode()).isEqualTo(403);
    }

    // --- AppRole -----------------------------------------------------------------------------------------------------

    @Test
    void sysAuthListsTokenAndAppRole() throws Exception {
        JsonNode body = json(call("GET", "sys/auth", root, null));

        assertThat(body.at("/data/approle~1/type").asText()).isEqualTo("approle");
        assertThat(body.at("/data/token~1/type").asText()).isEqualTo("token");
        assertThat(body.at("/approle~1/type").asText()).isEqualTo("approle");
        HttpResponse<String> again = call("POST", "sys/auth/approle", root, "{\"type\":\"approle\"}");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).isEqualTo("{\"errors\":[\"path is already in use at approle/\"]}");
    }

    @Test
    void roleIsCreatedReadAndLoggedInWith() throws Exception {
        HttpResponse<String> created = call("POST", "auth/approle/role/App1", root,
                "{\"token_policies\":\"svc-a,svc-b\",\"token_ttl\":\"20m\",\"token_max_ttl\":1800,"
                        + "\"secret_id_num_uses\":40,\"secret_id_ttl\":\"10m\"}");
        JsonNode role = json(call("GET", "auth/approle/role/app1", root, null)).get("data");
        String roleId = json(call("GET", "auth/approle/role/app1/role-id", root, null)).at("/data/role_id").asText();
        JsonNode secret = json(call("POST", "auth/approle/role/app1/secret-id", root, "{}")).get("data");

        assertThat(created.statusCode()).isEqualTo(204);
        assertThat(role.get("token_ttl").asLong()).isEqualTo(1200);
        assertThat(role.get("token_max_ttl").asLong()).isEqualTo(1800);
        assertThat(role.get("secret_id_ttl").asLong()).isEqualTo(600);
        assertThat(role.get("secret_id_num_uses").asLong()).isEqualTo(40);
        assertThat(texts(role.get("token_policies"))).containsExactly("svc-a", "svc-b");
        assertThat(role.get("bind_secret_id").asBoolean()).isTrue();
        assertThat(names(secret)).containsExactly("secret_id_accessor", "secret_id", "secret_id_ttl",
                "secret_id_num_uses");
        assertThat(secret.get("secret_id_ttl").asLong()).isEqualTo(600);
        assertThat(secret.get("secret_id_num_uses").asLong()).isEqualTo(40);

        HttpResponse<String> login = call("POST", "auth/approle/login", null,
                JSON.createObjectNode().put("role_id", roleId).put("secret_id", secret.get("secret_id").asText())
                        .toString());
        JsonNode auth = json(login).get("auth");

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(texts(auth.get("policies"))).containsExactly("default", "svc-a", "svc-b");
        assertThat(texts(auth.get("token_policies"))).containsExactly("default", "svc-a", "svc-b");
        assertThat(auth.at("/metadata/role_name").asText()).isEqualTo("app1");
        assertThat(auth.get("lease_duration").asLong()).isEqualTo(1200);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        assertThat(auth.get("orphan").asBoolean()).isTrue();
        JsonNode lookup = json(call("GET", "auth/token/lookup-self", auth.get("client_token").asText(), null))
                .get("data");
        assertThat(lookup.get("path").asText()).isEqualTo("auth/approle/login");
        assertThat(lookup.at("/meta/role_name").asText()).isEqualTo("app1");
    }

    @Test
    void secretIdStopsWorkingAfterItsUses() throws Exception {
        call("POST", "auth/approle/role/limited", root, "{\"token_policies\":[\"x\"],\"secret_id_num_uses\":2}");
        String roleId = json(call("GET", "auth/approle/role/limited/role-id", root, null)).at("/data/role_id")
                .asText();
        String secretId = json(call("POST", "auth/approle/role/limited/secret-id", root, "{}")).at("/data/secret_id")
                .asText();
        String credentials = JSON.createObjectNode().put("role_id", roleId).put("secret_id", secretId).toString();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(call("POST", "auth/approle/login", null, credentials).statusCode());
        }
        HttpResponse<String> spent = call("POST", "auth/approle/login", null, credentials);

        assertThat(statuses).containsExactly(200, 200, 400);
        assertThat(spent.body()).isEqualTo("{\"errors\":[\"invalid role or secret ID\"]}");
        HttpResponse<String> tooMany = call("POST", "auth/approle/role/limited/secret-id", root, "{\"num_uses\":5}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("num_uses cannot be higher than the role's secret_id_num_uses");
    }

    @Test
    void secretIdStopsWorkingAfterItsTtl() throws Exception {
        call("POST", "auth/approle/role/short-lived", root, "{\"token_policies\":[\"x\"]}");
        String roleId = json(call("GET", "auth/approle/role/short-lived/role-id", root, null)).at("/data/role_id")
                .asText();
        String secretId = json(call("POST", "auth/approle/role/short-lived/secret-id", root, "{\"ttl\":\"1s\"}"))
                .at("/data/secret_id").asText();
        String credentials = JSON.createObjectNode().put("role_id", roleId).put("secret_id", secretId).toString();
        assertThat(call("POST", "auth/approle/login", null, credentials).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(call("POST", "auth/approle/login", null, credentials).body())
                        .isEqualTo("{\"errors\":[\"invalid role or secret ID\"]}"));
    }

    @Test
    void loginErrorsSayOnlyWhatIsMissingOrInvalid() throws Exception {
        call("POST", "auth/approle/role/errs", root, "{\"token_policies\":[\"x\"]}");
        String roleId = json(call("GET", "auth/approle/role/errs/role-id", root, null)).at("/data/role_id").asText();

        assertThat(call("POST", "auth/approle/login", null, "{}").body())
                .isEqualTo("{\"errors\":[\"missing role_id\"]}");
        assertThat(call("POST", "auth/approle/login", null, "{\"role_id\":\"" + roleId + "\"}").body())
                .isEqualTo("{\"errors\":[\"missing secret_id\"]}");
        assertThat(call("POST", "auth/approle/login", null, "{\"role_id\":\"nope\",\"secret_id\":\"nope\"}").body())
                .isEqualTo("{\"errors\":[\"invalid role or secret ID\"]}");
        assertThat(call("POST", "auth/approle/login", null,
                "{\"role_id\":\"" + roleId + "\",\"secret_id\":\"wrong\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void roleManagementNeedsCreateForANewRole() throws Exception {
        writePolicy("role-updater", "path \"auth/approle/role/*\" { capabilities = [\"update\", \"read\"] }");
        String token = createToken("{\"policies\":[\"role-updater\"],\"ttl\":\"1h\"}");
        call("POST", "auth/approle/role/existing", root, "{\"token_policies\":[\"x\"]}");

        assertThat(call("POST", "auth/approle/role/brand-new", token, "{\"token_policies\":[\"x\"]}").statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "auth/approle/role/existing", token, "{\"token_ttl\":60}").statusCode())
                .isEqualTo(204);
        HttpResponse<String> badTtl = call("POST", "auth/approle/role/existing", root,
                "{\"token_ttl\":120,\"token_max_ttl\":60}");
        assertThat(badTtl.statusCode()).isEqualTo(400);
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private static void writePolicy(String name, String hcl) throws Exception {
        HttpResponse<String> written = call("PUT", "sys/policies/acl/" + name, root,
                JSON.createObjectNode().put("policy", hcl).toString());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
    }

    private static String createToken(String body) throws Exception {
        HttpResponse<String> created = call("POST", "auth/token/create", root, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return json(created).at("/auth/client_token").asText();
    }

    private static HttpRequest.Builder request(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.address() + "/v1/" + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        return request;
    }

    private static HttpResponse<String> call(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return http.send(request(method, path, token, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
