package dev.rekey.worker.vault;

/**
 * The token the worker sends to Vault. A seam: the shared {@code vault-access} module ({@code VaultSession}: AppRole
 * login and renewal) plugs in here; until it is on the classpath the worker uses the static token of
 * {@link StaticTokenLogin}.
 */
public interface VaultLogin {

    /** The token to send with the next request. */
    String token();
}
