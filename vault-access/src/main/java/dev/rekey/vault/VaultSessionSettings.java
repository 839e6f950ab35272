package dev.rekey.vault;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a service reaches Vault and logs in. AppRole is used whenever a role id is given; a static token only
 * otherwise (tests and the old dev path). Blank strings count as absent and {@code null} durations, mount or retry
 * settings take the defaults, so that a service can pass its {@code Optional} config values with {@code orElse(null)}.
 * {@link #toString()} never shows the secret id or the token.
 *
 * @param address        Vault's base URL, e.g. {@code https://vault.internal:8200} ({@code VAULT_ADDR})
 * @param roleId         the AppRole role id ({@code VAULT_APPROLE_ROLE_ID})
 * @param secretId       the AppRole secret id ({@code VAULT_APPROLE_SECRET_ID}); required with a role id
 * @param token          a static token ({@code VAULT_TOKEN}), used only without a role id
 * @param appRoleMount   where AppRole is enabled ({@code vault.approle.mount}), default {@code approle}
 * @param connectTimeout TCP connect timeout, default 5 s
 * @param requestTimeout timeout of one Vault request (whole seconds, at least 1), default 10 s
 * @param maxAttempts    tries of one login or renewal while Vault is unreachable or answers 5xx; {@link
 *                       VaultSession#open} gives up after them, the background renewal waits and starts over.
 *                       Default 6
 * @param initialBackoff the first wait between tries; it doubles up to 10 s. Default 200 ms
 */
public record VaultSessionSettings(String address, String roleId, String secretId, String token, String appRoleMount,
        Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration initialBackoff) {

    public static final String DEFAULT_APPROLE_MOUNT = "approle";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

    public VaultSessionSettings {
        address = blankToNull(address);
        roleId = blankToNull(roleId);
        secretId = blankToNull(secretId);
        token = blankToNull(token);
        appRoleMount = blankToNull(appRoleMount) == null ? DEFAULT_APPROLE_MOUNT
                : appRoleMount.trim().replaceAll("^/+|/+$", "");
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        maxAttempts = maxAttempts == 0 ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
        initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;

        Objects.requireNonNull(address, "a Vault address (vault.addr) is required");
        URI uri = URI.create(address);
        if (!uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("vault.addr must be an http or https URL, not " + address);
        }
        if (roleId != null && secretId == null) {
            throw new IllegalArgumentException("an AppRole role id needs its secret id (vault.approle.secret-id)");
        }
        if (roleId == null && token == null) {
            throw new IllegalArgumentException(
                    "no Vault login configured: set vault.approle.role-id and vault.approle.secret-id, or vault.token");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero() || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("Vault timeouts must be positive and the backoff not negative");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** AppRole login with the defaults for everything else. */
    public static VaultSessionSettings appRole(String address, String roleId, String secretId) {
        return new VaultSessionSettings(address, roleId, secretId, null, null, null, null, 0, null);
    }

    /** A static token, for tests and the old dev path. */
    public static VaultSessionSettings staticToken(String address, String token) {
        return new VaultSessionSettings(address, null, null, token, null, null, null, 0, null);
    }

    public VaultSessionSettings withAppRoleMount(String mount) {
        return new VaultSessionSettings(address, roleId, secretId, token, mount, connectTimeout, requestTimeout,
                maxAttempts, initialBackoff);
    }

    public VaultSessionSettings withTimeouts(Duration connect, Duration request) {
        return new VaultSessionSettings(address, roleId, secretId, token, appRoleMount, connect, request,
                maxAttempts, initialBackoff);
    }

    public VaultSessionSettings withRetries(int attempts, Duration firstBackoff) {
        return new VaultSessionSettings(address, roleId, secretId, token, appRoleMount, connectTimeout,
                requestTimeout, attempts, firstBackoff);
    }

    /** Whether the session logs in with AppRole (else it uses the static token). */
    public boolean usesAppRole() {
        return roleId != null;
    }

    @Override
    public String toString() {
        return "VaultSessionSettings[address=" + address + ", login="
                + (usesAppRole() ? "approle at " + appRoleMount + ", roleId=" + roleId + ", secretId=<redacted>"
                : "static token <redacted>")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
