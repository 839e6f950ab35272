package dev.rekey.client;

import dev.rekey.devstack.testing.SharedStack;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;

import java.util.Map;
import java.util.UUID;

/** Writes the secrets of a test into the devstack's Vault dev server, each test under its own path. */
final class TestVault {

    private final Vault vault;

    TestVault() {
        try {
            vault = Vault.create(new VaultConfig().address(SharedStack.vaultAddress())
                    .token(SharedStack.vaultToken()).engineVersion(2).build());
        } catch (VaultException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh credential id and secret path that no other test uses. */
    static WatchedCredential newCredential() {
        String id = "client-test-" + UUID.randomUUID().toString().substring(0, 8);
        return new WatchedCredential(id, "secret", "client-tests/" + id);
    }

    /** Writes the next version; returns its number. */
    long write(WatchedCredential w, String username, String password) {
        try {
            LogicalResponse response = vault.logical().write(w.location(),
                    Map.of("username", username, "password", password));
            check(response, 200);
            return response.getDataObject().get("version").asLong();
        } catch (VaultException e) {
            throw new IllegalStateException(e);
        }
    }

    void deleteVersion(WatchedCredential w, long version) {
        try {
            check(vault.logical().delete(w.location(), new int[]{(int) version}), 204);
        } catch (VaultException e) {
            throw new IllegalStateException(e);
        }
    }

    void undeleteVersion(WatchedCredential w, long version) {
        try {
            check(vault.logical().unDelete(w.location(), new int[]{(int) version}), 204);
        } catch (VaultException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(LogicalResponse response, int expected) {
        int status = response.getRestResponse().getStatus();
        if (status != expected && !(expected == 200 && status == 204)) {
            throw new IllegalStateException("Vault answered " + status);
        }
    }
}
