package dev.rekey.devstack.downstream;

import java.util.Map;

/** A user name and its password; {@link #toString()} leaves the password out, so a log line cannot carry it. */
public record Login(String username, String password) {

    /** The fields of an admin secret in Vault, as the worker reads them. */
    public Map<String, Object> asVaultSecret() {
        return Map.of("username", username, "password", password);
    }

    @Override
    public String toString() {
        return "Login[username=" + username + ", password=(redacted)]";
    }
}
