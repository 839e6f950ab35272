package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.rest.Rest;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dev server driven through the client the rotation worker uses, the Vault Java Driver 6.2.0: whatever the driver
 * makes of a real Vault's answers, it must make of ours.
 */
class VaultDevServerDriverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static VaultDevServer server;
    private static Vault vault;

    @BeforeAll
    static void startServer() throws VaultException {
        server = VaultDevServer.start(0, "root-" + UUID.randomUUID());
        vault = Vault.create(new VaultConfig().address(server.address()).token(server.rootToken())
                .engineVersion(2).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void writtenSecretReadsBackWithItsVersion() throws VaultException {
        LogicalResponse written = vault.logical().write("secret/driver/app/db", Map.of("password", "s3cret"));
        LogicalResponse read = vault.logical().read("secret/driver/app/db");

        assertThat(written.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(read.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(read.getData()).containsExactly(Map.entry("password", "s3cret"));
        assertThat(read.getDataMetadata().getVersion()).isEqualTo(1L);
        assertThat(read.getLeaseId()).isEmpty();
        assertThat(read.getRenewable()).isFalse();
    }

    @Test
    void readWithVersionReturnsThatVersionsData() throws VaultException {
        vault.logical().write("secret/driver/versioned", Map.of("password", "one"));
        vault.logical().write("secret/driver/versioned", Map.of("password", "two"));

        LogicalResponse first = vault.logical().read("secret/driver/versioned", false, 1);
        LogicalResponse latest = vault.logical().read("secret/driver/versioned");

        assertThat(first.getData()).containsEntry("password", "one");
        assertThat(first.getDataMetadata().getVersion()).isEqualTo(1L);
        assertThat(latest.getData()).containsEntry("password", "two");
        assertThat(latest.getDataMetadata().getVersion()).isEqualTo(2L);
    }

    @Test
    void readOfAbsentSecretIsReturnedAs404NotThrown() throws VaultException {
        LogicalResponse read = vault.logical().read("secret/driver/never-written");

        assertThat(read.getRestResponse().getStatus()).isEqualTo(404);
        assertThat(read.getData()).isEmpty();
    }

    @Test
    void checkAndSetWithCurrentVersionWritesNextVersion() throws VaultException {
        vault.logical().write("secret/driver/cas-ok", Map.of("password", "v1"));

        LogicalResponse written = vault.logical().write("secret/driver/cas-ok", Map.of("password", "v2"), null,
                new WriteOptions().checkAndSet(1L).build());

        assertThat(written.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(body(written.getRestResponse()).at("/data/version").asLong()).isEqualTo(2);
        assertThat(vault.logical().read("secret/driver/cas-ok").getData()).containsEntry("password", "v2");
    }

    @Test
    void checkAndSetWithStaleVersionIsRejectedWith400AndVaultsMessage() throws VaultException {
        vault.logical().write("secret/driver/cas-stale", Map.of("password", "v1"));
        vault.logical().write("secret/driver/cas-stale", Map.of("password", "v2"));

        LogicalResponse stale = vault.logical().write("secret/driver/cas-stale", Map.of("password", "lost"), null,
                new WriteOptions().checkAndSet(1L).build());

        assertThat(stale.getRestResponse().getStatus()).isEqualTo(400);
        assertThat(body(stale.getRestResponse()).get("errors").get(0).asText())
                .isEqualTo("check-and-set parameter did not match the current version");
        assertThat(vault.logical().read("secret/driver/cas-stale").getData()).containsEntry("password", "v2");
    }

    @Test
    void checkAndSetZeroCreatesOnlyWhenAbsent() throws VaultException {
        WriteOptions onlyIfAbsent = new WriteOptions().checkAndSet(0L).build();

        LogicalResponse created = vault.logical().write("secret/driver/cas-zero", Map.of("k", "first"), null,
                onlyIfAbsent);
        LogicalResponse again = vault.logical().write("secret/driver/cas-zero", Map.of("k", "second"), null,
                onlyIfAbsent);

        assertThat(created.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(again.getRestResponse().getStatus()).isEqualTo(400);
        assertThat(vault.logical().read("secret/driver/cas-zero").getData()).containsEntry("k", "first");
    }

    @Test
    void listShowsDirectChildrenWithFoldersEndingInSlash() throws VaultException {
        vault.logical().write("secret/driver-list/alpha", Map.of("k", "v"));
        vault.logical().write("secret/driver-list/folder/inner", Map.of("k", "v"));
        vault.logical().write("secret/driver-list/folder/deeper/leaf", Map.of("k", "v"));

        assertThat(vault.logical().list("secret/driver-list").getListData()).containsExactly("alpha", "folder/");
        assertThat(vault.logical().list("secret/driver-list/folder").getListData())
                .containsExactly("deeper/", "inner");
        assertThat(vault.logical().list("secret/driver-list/nothing-here").getListData()).isEmpty();
    }

    @Test
    void deletedVersionReads404WithMetadataAndUndeleteRestoresIt() throws VaultException {
        String path = "secret/driver/soft-delete";
        vault.logical().write(path, Map.of("password", "one"));
        vault.logical().write(path, Map.of("password", "two"));

        assertThat(vault.logical().delete(path, new int[] {1}).getRestResponse().getStatus()).isEqualTo(204);
        LogicalResponse deleted = vault.logical().read(path, false, 1);
        assertThat(deleted.getRestResponse().getStatus()).isEqualTo(404);
        assertThat(deleted.getData()).isEmpty();
        assertThat(deleted.getDataMetadata().getMetadataMap().get("deletion_time")).isNotEmpty();
        assertThat(vault.logical().read(path).getData()).containsEntry("password", "two");

        assertThat(vault.logical().unDelete(path, new int[] {1}).getRestResponse().getStatus()).isEqualTo(204);
        assertThat(vault.logical().read(path, false, 1).getData()).containsEntry("password", "one");
    }

    @Test
    void destroyedVersionIsGoneForGoodAndUndeleteCannotBringItBack() throws VaultException {
        String path = "secret/driver/destroy";
        vault.logical().write(path, Map.of("password", "one"));

        assertThat(vault.logical().destroy(path, new int[] {1}).getRestResponse().getStatus()).isEqualTo(204);
        vault.logical().unDelete(path, new int[] {1});
        LogicalResponse read = vault.logical().read(path, false, 1);

        assertThat(read.getRestResponse().getStatus()).isEqualTo(404);
        assertThat(read.getData()).isEmpty();
        assertThat(read.getDataMetadata().getMetadataMap()).containsEntry("destroyed", "true");
    }

    @Test
    void deleteOfPathRemovesAllVersionsAndMetadata() throws Exception {
        String path = "secret/driver-gone/secret";
        vault.logical().write(path, Map.of("password", "one"));
        vault.logical().write(path, Map.of("password", "two"));

        assertThat(vault.logical().delete(path).getRestResponse().getStatus()).isEqualTo(204);

        assertThat(vault.logical().read(path).getRestResponse().getStatus()).isEqualTo(404);
        assertThat(vault.logical().read(path, false, 1).getRestResponse().getStatus()).isEqualTo(404);
        assertThat(vault.logical().list("secret/driver-gone").getListData()).isEmpty();
        assertThat(metadata(path).getStatus()).isEqualTo(404);
    }

    @Test
    void wrongTokenIsRefusedWith403PermissionDenied() throws VaultException {
        vault.logical().write("secret/driver/guarded", Map.of("password", "one"));
        Vault intruder = Vault.create(new VaultConfig().address(server.address()).token("not-the-root-token")
                .engineVersion(2).build());

        LogicalResponse read = intruder.logical().read("secret/driver/guarded");

        assertThat(read.getRestResponse().getStatus()).isEqualTo(403);
        assertThat(read.getData()).isEmpty();
        assertThat(body(read.getRestResponse()).get("errors").get(0).asText()).isEqualTo("permission denied");
        assertThatThrownBy(() -> intruder.logical().delete("secret/driver/guarded"))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.getHttpStatusCode()).isEqualTo(403));
    }

    @Test
    void customMetadataWrittenThroughRestIsReadBackFromMetadataAndData() throws Exception {
        String path = "secret/driver/with-custom-metadata";
        vault.logical().write(path, Map.of("password", "one"));
        byte[] payload = "{\"custom_metadata\":{\"rotation_id\":\"r-42\",\"owner\":\"team-a\"}}"
                .getBytes(StandardCharsets.UTF_8);

        RestResponse written = new Rest().url(server.address() + "/v1/secret/metadata/driver/with-custom-metadata")
                .header("X-Vault-Token", server.rootToken()).body(payload).post();
        RestResponse metadata = metadata(path);
        LogicalResponse read = vault.logical().read(path);

        assertThat(written.getStatus()).isEqualTo(204);
        assertThat(metadata.getStatus()).isEqualTo(200);
        JsonNode custom = body(metadata).at("/data/custom_metadata");
        assertThat(custom.get("rotation_id").asText()).isEqualTo("r-42");
        assertThat(custom.get("owner").asText()).isEqualTo("team-a");
        assertThat(JSON.readTree(read.getDataMetadata().getMetadataMap().get("custom_metadata")).get("rotation_id")
                .asText()).isEqualTo("r-42");
    }

    @Test
    void healthReportsAnInitializedUnsealedActiveNode() throws VaultException {
        HealthResponse health = vault.debug().health();

        assertThat(health.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(health.getInitialized()).isTrue();
        assertThat(health.getSealed()).isFalse();
        assertThat(health.getStandby()).isFalse();
        assertThat(health.getServerTimeUTC()).isBetween(Instant.now().getEpochSecond() - 60,
                Instant.now().getEpochSecond() + 60);
    }

    @Test
    void driverRetriesThroughInjectedSealedResponses() throws VaultException {
        vault.logical().write("secret/driver/retried", Map.of("password", "one"));
        Vault retrying = Vault.create(new VaultConfig().address(server.address()).token(server.rootToken())
                .engineVersion(2).build()).withRetries(3, 10);
        server.failNext(2, 503);

        LogicalResponse read = retrying.logical().read("secret/driver/retried");

        assertThat(read.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(read.getData()).containsEntry("password", "one");
        assertThat(read.getRetries()).isEqualTo(2);
    }

    private static RestResponse metadata(String path) throws RestException {
        String rest = path.substring("secret/".length());
        return new Rest().url(server.address() + "/v1/secret/metadata/" + rest)
                .header("X-Vault-Token", server.rootToken()).get();
    }

    private static JsonNode body(RestResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(response.getBody(), StandardCharsets.UTF_8), e);
        }
    }
}
