package dev.rekey.worker.vault;

/** The token the worker sends to Vault ({@link VaultSessionLogin} in the service; tests may pass their own). */
public interface VaultLogin {

    /** The token to send with the next request. */
    String token();

    /** After a 403 that may mean "the token is gone": the token to retry with (the same one: a real refusal). */
    default String refresh() {
        return token();
    }
}
