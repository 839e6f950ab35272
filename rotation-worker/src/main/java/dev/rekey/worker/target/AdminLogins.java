package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads a system's admin login from Vault at {@code target.adminSecretPath} (fields {@code username} and
 * {@code password}), for every target type that needs one. It is read for every operation, so that a login changed
 * in Vault is used at once. Vault errors pass through as the protocol knows them (unavailable: transient; refused:
 * final); a missing secret or field is a final {@link TargetException}.
 */
@ApplicationScoped
public class AdminLogins {

    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";

    private final SecretStore store;

    public AdminLogins(SecretStore store) {
        this.store = store;
    }

    /** @param system how error messages name the system, e.g. {@code PostgreSQL system db-1 at host:5432} */
    public AdminLogin read(RotationDue due, String system) {
        SecretPath path;
        try {
            path = SecretPath.parse(due.target().adminSecretPath());
        } catch (IllegalArgumentException e) {
            throw new TargetException("invalid admin secret path for " + system, false);
        }
        SecretVersion secret = store.readCurrent(path).orElseThrow(() -> new TargetException(
                "admin login for " + system + " not found in Vault at " + path, false));
        String username = secret.field(USERNAME);
        String password = secret.field(PASSWORD);
        if (username == null || password == null) {
            throw new TargetException("admin login for " + system + " in Vault at " + path
                    + " lacks a string field '" + (username == null ? USERNAME : PASSWORD) + "'", false);
        }
        return new AdminLogin(username, password);
    }
}
