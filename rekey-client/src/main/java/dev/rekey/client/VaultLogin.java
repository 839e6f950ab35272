package dev.rekey.client;

/**
 * Where the client's Vault token comes from. The seam for the shared {@code vault-access} module (AppRole login and
 * renewal, {@code dev.rekey.vault.VaultSession}); until that module is available, {@link #token(String)} gives a
 * static token.
 */
@FunctionalInterface
public interface VaultLogin {

    /** The token to send now; called before every request, so a renewed or new token is picked up. */
    String currentToken();

    /** Vault answered 403 with the token {@link #currentToken()} gave: a session may log in again here. */
    default void rejected() {
    }

    /** A fixed token ({@code VAULT_TOKEN}): for tests and development. */
    static VaultLogin token(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a Vault token is required");
        }
        return () -> token;
    }
}
