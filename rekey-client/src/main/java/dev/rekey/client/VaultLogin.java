package dev.rekey.client;

import dev.rekey.vault.VaultSession;

/**
 * Where the client's Vault token comes from: a {@link VaultSession} of the shared {@code vault-access} module
 * (AppRole login, renewal, login again when needed), or a static token for tests and development.
 */
@FunctionalInterface
public interface VaultLogin {

    /** The token to send now; called before every request, so a renewed or new token is picked up. */
    String currentToken();

    /** Vault answered 403 with the token {@link #currentToken()} gave: a session may renew or log in again here. */
    default void rejected() {
    }

    /** The session's current token for every request; a 403 makes it renew or log in again. */
    static VaultLogin session(VaultSession session) {
        return new VaultLogin() {
            @Override
            public String currentToken() {
                return session.token();
            }

            @Override
            public void rejected() {
                session.refresh();
            }
        };
    }

    /** A fixed token ({@code VAULT_TOKEN}): for tests and development. */
    static VaultLogin token(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a Vault token is required");
        }
        return () -> token;
    }
}
