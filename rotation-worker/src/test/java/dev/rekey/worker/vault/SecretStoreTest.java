package dev.rekey.worker.vault;

import dev.rekey.devstack.vault.VaultDevServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
        assertThat(store.write(path, data("password", "a"), 0)).hasValue(1);
        assertThat(store.write(path, data("password", "b"), 0)).isEmpty();
        SecretVersion current = store.readCurrent(path).orElseThrow();
        assertThat(current.version()).isEqualTo(1);
        assertThat(store.write(path, current.dataWith(Map.of("password", "c")), 1)).hasValue(2);
        assertThat(store.readCurrent(path).orElseThrow().field("password")).isEqualTo("c");
        assertThat(store.readVersion(path, 1).orElseThrow().field("password")).isEqualTo("a");
        assertThat(store.readVersion(path, 7)).isEmpty();
    }

    @Test
    void fieldsOtherThanThePasswordKeepTheirJsonTypes() {
        SecretPath path = newPath();
        ObjectNode typed = data("password", "a");
        typed.put("port", 5432);
        typed.put("tls", true);
        store.write(path, typed, 0);
        SecretVersion current = store.readCurrent(path).orElseThrow();
        store.write(path, current.dataWith(Map.of("password", "b")), current.version());
        SecretVersion next = store.readCurrent(path).orElseThrow();
        assertThat(next.dataWith(Map.of()).get("port").isInt()).isTrue();
        assertThat(next.dataWith(Map.of()).get("tls").isBoolean()).isTrue();
        assertThat(next.toString()).contains("password").doesNotContain("\"b\"");
    }

    @Test
    void customMetadataIsMergedKeyByKeyAndReadBackWithTheCurrentVersion() {
        SecretPath path = newPath();
        store.write(path, data("password", "a"), 0);
        store.mergeCustomMetadata(path, Map.of("rekey_r_1", "2", "team", "billing"));
        Map<String, String> changes = new java.util.HashMap<>();
        changes.put("rekey_r_1", null);
        changes.put("rekey_r_2", "3");
        store.mergeCustomMetadata(path, changes);
        assertThat(store.readCurrent(path).orElseThrow().customMetadata())
                .containsEntry("rekey_r_2", "3").containsEntry("team", "billing").doesNotContainKey("rekey_r_1");
    }

    @Test
    void serverErrorsAreTransientAndNeverQuoteTheResponse() {
        SecretPath path = newPath();
        store.write(path, data("password", "a"), 0);
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
        return new SecretStore(http(address, token));
    }

    static VaultHttp http(String address, String token) {
        VaultSettings settings = new VaultSettings() {
            public String addr() {
                return address;
            }

            public Optional<String> token() {
                return Optional.of(token);
            }

            public AppRole approle() {
                return new AppRole() {
                    public Optional<String> roleId() {
                        return Optional.empty();
                    }

                    public Optional<String> secretId() {
                        return Optional.empty();
                    }

                    public String mount() {
                        return "approle";
                    }
                };
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(5);
            }
        };
        return new VaultHttp(settings, () -> token);
    }

    static ObjectNode data(String field, String value) {
        ObjectNode data = VaultHttp.object();
        data.put(field, value);
        return data;
    }
}
