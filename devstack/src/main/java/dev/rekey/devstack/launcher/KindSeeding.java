package dev.rekey.devstack.launcher;

import dev.rekey.devstack.downstream.DownstreamAccounts;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo and {@code ./rekey bench} share to seed a kind of credential and to check it afterwards from the
 * outside: the system's registration with its admin login in Vault, each credential's secret, and the login check of
 * a rotated (or untouched) credential against Vault and the downstream. Every value it sees goes into
 * {@code secretValues}, for the leak checks.
 */
public final class KindSeeding {

    public static final String MOUNT = "secret";

    private final Vault vault;
    private final String vaultAddress;
    private final Set<String> secretValues;

    public KindSeeding(Vault vault, String vaultAddress, Set<String> secretValues) {
        this.vault = vault;
        this.vaultAddress = vaultAddress;
        this.secretValues = secretValues;
    }

    /**
     * Registers system {@code systemId} of {@code type}: its admin login (from {@code accounts}, null for vault-kv)
     * goes to {@code secret/rekey/admin/<systemId>}, where the worker's policy reads it.
     */
    public void registerSystem(InventoryClient admin, String type, String systemId, DownstreamAccounts accounts,
                               int maxConcurrentRotations, List<String> tags) throws Exception {
        // where rekey keeps admin logins (deploy/vault): the worker's policy reads secret/rekey/admin/*
        String adminSecret = MOUNT + "/rekey/admin/" + systemId;
        Map<String, Object> registration = new LinkedHashMap<>(Map.of("id", systemId, "type", type,
                "adminSecretPath", adminSecret, "maxConcurrentRotations", maxConcurrentRotations, "tags", tags));
        if (accounts != null) {
            registration.putAll(accounts.systemFields());
            secretValues.add(accounts.admin().password());
            write(adminSecret, accounts.admin().asVaultSecret());
        } else {
            // vault-kv: the secrets are the system; the worker reads no admin login for it
            URI vaultUri = URI.create(vaultAddress);
            registration.put("host", vaultUri.getHost());
            registration.put("port", vaultUri.getPort());
        }
        admin.post("/systems", registration);
    }

    /** Writes a credential's seeded secret ({@code username}, {@code password}) at {@code secret/<vaultPath>}. */
    public void writeCredential(String vaultPath, String username, String password) throws VaultException {
        secretValues.add(password);
        write(MOUNT + "/" + vaultPath, Map.of("username", username, "password", password));
    }

    public void write(String path, Map<String, Object> fields) throws VaultException {
        LogicalResponse response = vault.logical().write(path, fields);
        if (response.getRestResponse().getStatus() / 100 != 2) {
            throw new IllegalStateException("Vault answered " + response.getRestResponse().getStatus()
                    + " to a write of " + path);
        }
    }

    /**
     * {@code rotated} (Vault holds a new value that logs in, the seeded one does not), {@code untouched} (outside the
     * radius and unchanged, still logging in), or what is wrong. {@code accounts} is null for vault-kv, whose
     * rotated value must carry the worker's {@code rotation_id}.
     */
    public String check(String vaultPath, String username, String seeded, boolean inRadius,
                        DownstreamAccounts accounts) throws Exception {
        LogicalResponse current = vault.logical().read(MOUNT + "/" + vaultPath);
        if (current.getRestResponse().getStatus() != 200) {
            return "Vault answered " + current.getRestResponse().getStatus();
        }
        String inVault = current.getData().get("password");
        if (inVault == null) {
            return "Vault holds no password";
        }
        secretValues.add(inVault);
        boolean changed = !inVault.equals(seeded);
        if (!inRadius) {
            if (changed) {
                return "changed although it is outside the blast radius";
            }
            if (accounts != null && !accounts.logsIn(username, seeded)) {
                return "its value no longer logs in although it is outside the blast radius";
            }
            return "untouched";
        }
        if (!changed) {
            return "not rotated: Vault still holds the seeded value";
        }
        if (accounts == null) {
            // vault-kv: the value in Vault is the credential; the worker's commit names its rotation
            return current.getData().containsKey("rotation_id") ? "rotated" : "a new value without a rotation_id";
        }
        if (!accounts.logsIn(username, inVault)) {
            return "the value in Vault does not log in";
        }
        if (accounts.logsIn(username, seeded)) {
            return "the old value still logs in";
        }
        return "rotated";
    }
}
