package dev.rekey.notifier.vault;

import dev.rekey.vault.VaultSession;
import dev.rekey.vault.VaultSessionSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The token the notifier reads Vault with, from the shared {@code vault-access} session (AppRole login and renewal,
 * or a static token). The session is opened on first use, off the event loop: the notifier mails without Vault, so
 * Vault being away at start must not keep it from starting; a failed opening is tried again on the next send.
 */
@ApplicationScoped
public class VaultToken {

    private final VaultConfig config;
    private final Vertx vertx;
    private volatile VaultSession session;

    VaultToken(VaultConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** The current token; take it per request. */
    public Uni<String> current() {
        VaultSession open = session;
        return open != null ? Uni.createFrom().item(open.token()) : blocking(() -> session().token());
    }

    /** After a 403 that may mean "token gone": renews or logs in again; the token to retry with. */
    public Uni<String> refreshed() {
        return blocking(() -> session().refresh());
    }

    private synchronized VaultSession session() {
        if (session == null) {
            session = VaultSession.open(new VaultSessionSettings(config.addr(),
                    config.approle().roleId().orElse(null), config.approle().secretId().orElse(null),
                    config.token().orElse(null), config.approle().mount(), null, config.timeout(), 0, null));
        }
        return session;
    }

    private Uni<String> blocking(java.util.function.Supplier<String> call) {
        return vertx.executeBlocking(Uni.createFrom().item(call), false);
    }

    @PreDestroy
    void close() {
        if (session != null) {
            session.close();
        }
    }
}
