package dev.rekey.worker.vault;

import dev.rekey.vault.VaultSession;
import dev.rekey.vault.VaultSessionException;
import dev.rekey.vault.VaultSessionSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The worker's Vault login, through the shared {@code vault-access} session: AppRole {@code rotation-worker} (renewed
 * in the background, logged in again when it must) whenever {@code vault.approle.role-id} is set, else the static
 * {@code vault.token}. Opened on first use, so that a Vault that is away at start only delays the first rotation; a
 * login Vault does not answer is a transient error, a refused one a refusal, both without a token in the message.
 */
@ApplicationScoped
public class VaultSessionLogin implements VaultLogin {

    private final VaultSettings settings;
    private volatile VaultSession session;

    public VaultSessionLogin(VaultSettings settings) {
        this.settings = settings;
    }

    @Override
    public String token() {
        VaultSession open = session;
        return open != null ? open.token() : session().token();
    }

    @Override
    public String refresh() {
        return session().refresh();
    }

    private synchronized VaultSession session() {
        if (session == null) {
            try {
                session = VaultSession.open(new VaultSessionSettings(settings.addr(),
                        settings.approle().roleId().orElse(null), settings.approle().secretId().orElse(null),
                        settings.token().orElse(null), settings.approle().mount(), settings.connectTimeout(),
                        settings.requestTimeout(), 0, null));
            } catch (VaultSessionException e) {
                int status = e.status();
                throw status == 400 || status == 401 || status == 403
                        ? new VaultRejectedException("the worker's login", status)
                        : new VaultUnavailableException("logging in", status);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("no Vault login: set VAULT_APPROLE_ROLE_ID and VAULT_APPROLE_SECRET_ID"
                        + " (or VAULT_TOKEN for tests)");
            }
        }
        return session;
    }

    @PreDestroy
    void close() {
        if (session != null) {
            session.close();
        }
    }
}
