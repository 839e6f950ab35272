package dev.rekey.worker.vault;

import dev.rekey.devstack.vault.VaultDevServer;
import dev.rekey.worker.secret.SecretValue;
import io.github.jopenlibs.vault.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Vault wrapper against a private Vault dev server, whose failures can be injected. */
class SecretStoreTest {

    private static VaultDevServer server;
    private static SecretStore store;

    @BeforeAll
    static void start() {
        server = VaultDevServer.start(0, "store-test-token");
        store = storeFor(server.address(), "store-test-token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void checkAndSetWriteOnlySucceedsOnTheVersionThatWasRead() {
        SecretPath path = newPath();
        assertThat(store.readCurrent(path)).isEmpty();
        assertThat(store.write(path, Map.of("password", "a"), 0)).hasValue(1);
        assertThat(store.write(path, Map.of("password", "b"), 0)).isEmpty();
        SecretVersion current = store.readCurrent(path).orElseThrow();
        assertThat(current.version()).isEqualTo(1);
        assertThat(store.write(path, current.dataWith(Map.of("password", "c")), 1)).hasValue(2);
        assertThat(store.readCurrent(path).orElseThrow().field("password")).isEqualTo("c");
    }

    @Test
    void fieldsOtherThanThePasswordKeepTheirJsonTypes() {
        SecretPath path = newPath();
        store.write(path, Map.of("password", "a", "port", Json.value(5432), "tls", Json.TRUE), 0);
        SecretVersion current = store.readCurrent(path).orElseThrow();
        store.write(path, current.dataWith(Map.of("password", "b")), current.version());
        SecretVersion next = store.readCurrent(path).orElseThrow();
        assertThat(next.dataWith(Map.of()).get("port").toString()).isEqualTo("5432");
        assertThat(next.dataWith(Map.of()).get("tls").toString()).isEqualTo("true");
        assertThat(next.toString()).contains("password").doesNotContain("\"b\"");
    }

    @Test
    void customMetadataIsReadBackWithTheCurrentVersion() {
        SecretPath path = newPath();
        store.write(path, Map.of("password", "a"), 0);
        store.writeCustomMetadata(path, Map.of("rekey_rotation_id", "r-1", "team", "billing"));
        assertThat(store.readCurrent(path).orElseThrow().customMetadata())
                .containsEntry("rekey_rotation_id", "r-1").containsEntry("team", "billing");
    }

    @Test
    void pendingRecordIsCreatedOnceReadBackAndDeleted() {
        SecretPath path = newPath();
        assertThat(store.writePending(path, "r-1", SecretValue.of("First1"), 0)).isPresent();
        assertThat(store.writePending(path, "r-2", SecretValue.of("Second2"), 0)).isEmpty();
        PendingRecord pending = store.readPending(path).orElseThrow();
        assertThat(pending.rotationId()).isEqualTo("r-1");
        assertThat(pending.password()).isEqualTo(SecretValue.of("First1"));
        assertThat(store.writePending(path, "r-2", SecretValue.of("Second2"), pending.version())).isPresent();
        store.deletePending(path);
        assertThat(store.readPending(path)).isEmpty();
        assertThat(store.readCurrent(new SecretPath("secret", SecretPath.PENDING_PREFIX + path.path()))).isEmpty();
    }

    @Test
    void serverErrorsAreTransientAndNeverQuoteTheResponse() {
        SecretPath path = newPath();
        store.write(path, Map.of("password", "a"), 0);
        server.failNext(1, 503);
        assertThatThrownBy(() -> store.readCurrent(path)).isInstanceOf(VaultUnavailableException.class)
                .hasMessage("vault unavailable (HTTP 503) reading " + path);
        assertThat(store.readCurrent(path)).isPresent();
    }

    @Test
    void anUnreachableVaultIsTransient() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SecretStore nowhere = storeFor("http://127.0.0.1:" + port, "t");
        assertThatThrownBy(() -> nowhere.readCurrent(newPath())).isInstanceOf(VaultUnavailableException.class);
    }

    @Test
    void aRefusedTokenIsNotRetried() {
        SecretStore wrongToken = storeFor(server.address(), "not-the-token");
        assertThatThrownBy(() -> wrongToken.readCurrent(newPath())).isInstanceOf(VaultRejectedException.class)
                .hasMessageContaining("403");
    }

    private static SecretPath newPath() {
        return new SecretPath("secret", "store-test/" + UUID.randomUUID());
    }

    static SecretStore storeFor(String address, String token) {
        VaultClients clients = new VaultClients();
        clients.settings = new VaultSettings() {
            public String addr() {
                return address;
            }

            public String token() {
                return token;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(5);
            }
        };
        clients.start();
        SecretStore store = new SecretStore();
        store.clients = clients;
        return store;
    }
}
