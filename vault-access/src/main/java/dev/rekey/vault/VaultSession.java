package dev.rekey.vault;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LookupResponse;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A service's one login to Vault, kept alive. {@link #open} logs in with AppRole (or takes the static token), then a
 * background thread renews the token ({@code renew-self}) when two thirds of its lease have passed, and logs in again
 * when a renewal is refused or Vault caps it at the token's max TTL. While Vault is unreachable or answers 5xx it
 * tries again with exponential backoff and keeps the current token. Callers take the current token for each request:
 * {@link #token()}, {@link #tokenSupplier()}, or the driver through {@link #vault()} / {@link #driverConfig()}, whose
 * {@code getToken()} the Vault Java Driver calls for every request.
 *
 * <p>Thread-safe. Never logs a token or a secret id (only what happened, lease lengths and HTTP statuses).
 * {@link #close()} stops the renewal and revokes a token it logged in for.
 *
 * <pre>{@code
 * try (VaultSession session = VaultSession.open(VaultSessionSettings.appRole(addr, roleId, secretId))) {
 *     LogicalResponse read = session.vault().logical().read("secret/apps/billing/db");
 * }
 * }</pre>
 */
public final class VaultSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VaultSession.class.getName());
    private static final double RENEW_AFTER = 2.0 / 3;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration MIN_DELAY = Duration.ofMillis(50);

    /**
     * The current token and what Vault said about it. {@code duration} 0 means it never expires; {@code increment} is
     * what renewals ask for (the lease of the login); {@code mustLogIn} is set when the token cannot be renewed any
     * further (refused, or capped at its max TTL).
     */
    private record Lease(String token, Instant obtainedAt, Duration duration, boolean renewable, boolean ownLogin,
            Duration increment, boolean mustLogIn) {

        Optional<Instant> expiresAt() {
            return duration.isZero() ? Optional.empty() : Optional.of(obtainedAt.plus(duration));
        }

        Instant refreshAt() {
            return obtainedAt.plusMillis((long) (duration.toMillis() * RENEW_AFTER));
        }

        Lease needingLogin() {
            return new Lease(token, obtainedAt, duration, renewable, ownLogin, increment, true);
        }
    }

    private final VaultSessionSettings settings;
    private final HttpClient http;
    private final VaultConfig config;
    private final Vault vault;
    private final ScheduledExecutorService scheduler;
    private volatile Lease lease;
    private volatile boolean closed;
    /** Touched only on the scheduler thread. */
    private ScheduledFuture<?> pending;

    private VaultSession(VaultSessionSettings settings) {
        this.settings = settings;
        // One client for every request; with it the driver ignores its own connect timeout, so it is set here.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        try {
            this.config = new SessionConfig(this::token)
                    .address(settings.address().replaceAll("/+$", ""))
                    .engineVersion(2)
                    .readTimeout((int) Math.max(1, settings.requestTimeout().toSeconds()))
                    .httpClient(http)
                    .build();
        } catch (VaultException e) {
            throw new IllegalArgumentException("invalid Vault settings: " + settings, e);
        }
        this.vault = Vault.create(config);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vault-session");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Logs in (or looks up the static token) and starts renewing.
     *
     * @throws VaultSessionException when Vault refuses the login, or stays unavailable for
     *                               {@link VaultSessionSettings#maxAttempts()} tries
     */
    public static VaultSession open(VaultSessionSettings settings) {
        VaultSession session = new VaultSession(settings);
        try {
            session.lease = session.firstLease();
            session.scheduler.execute(() -> session.schedule(session.lease));
            return session;
        } catch (RuntimeException e) {
            session.scheduler.shutdownNow();
            throw e;
        }
    }

    /** The current token, for one request. It changes over time: take it for each request, do not keep it. */
    public String token() {
        Lease current = lease;
        return current != null ? current.token() : settings.token();
    }

    /** {@link #token()} as a supplier, for clients that ask for the token per request. */
    public Supplier<String> tokenSupplier() {
        return this::token;
    }

    /**
     * A Vault Java Driver configuration (address, KV engine version 2, the session's HTTP client and timeouts) whose
     * {@code getToken()} returns the session's current token: the driver reads it for every request. Do not call its
     * {@code token(…)}: it would be ignored.
     */
    public VaultConfig driverConfig() {
        return config;
    }

    /** A driver on {@link #driverConfig()}; always the current token. */
    public Vault vault() {
        return vault;
    }

    /** The HTTP client the session's driver uses, for raw requests the driver has no API for (send the token). */
    public HttpClient httpClient() {
        return http;
    }

    /** Vault's base URL, without a trailing slash. */
    public String address() {
        return config.getAddress();
    }

    /** When the current token's lease ends as last renewed; empty when it never expires. */
    public Optional<Instant> expiresAt() {
        return lease.expiresAt();
    }

    /**
     * Renews now, or logs in again if the token was refused, and waits for it (a request got 403 and the token may
     * have expired meanwhile, e.g. after the process was suspended). Returns the token to retry with; if it is the
     * same token, the 403 was a real denial.
     */
    public String refresh() {
        if (closed) {
            throw new IllegalStateException("the Vault session is closed");
        }
        try {
            scheduler.submit(() -> {
                cancelPending();
                renewOrLogIn(0);
            }).get(settings.requestTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Vault token refresh did not finish: {0}", e.getClass().getName());
        }
        return token();
    }

    /** Stops renewing; revokes the token if the session logged in for it (a static token is left alone). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        Lease current = lease;
        if (current != null && current.ownLogin()) {
            try {
                vault.auth().revokeSelf();
            } catch (VaultException e) {
                LOG.log(System.Logger.Level.DEBUG, "revoking the Vault token on close failed (status {0})",
                        String.valueOf(e.getHttpStatusCode()));
            }
        }
    }

    // --- login and renewal ------------------------------------------------------------------------------------------

    private Lease firstLease() {
        int failures = 0;
        while (true) {
            try {
                return settings.usesAppRole() ? logIn() : inspectStaticToken();
            } catch (VaultException e) {
                int status = e.getHttpStatusCode();
                String step = settings.usesAppRole() ? "AppRole login at " + settings.appRoleMount()
                        : "looking up the Vault token";
                if (!transientFailure(status)) {
                    throw new VaultSessionException(step + " was refused by Vault (status " + status + ")", status,
                            null);
                }
                failures++;
                if (failures >= settings.maxAttempts()) {
                    throw new VaultSessionException(step + " failed: Vault unavailable after " + failures
                            + " attempts (last status " + status + ")", status, status == 0 ? e : null);
                }
                Duration delay = backoff(failures - 1);
                LOG.log(System.Logger.Level.WARNING, "{0}: Vault unavailable (status {1}), trying again in {2} ms",
                        step, String.valueOf(status), String.valueOf(delay.toMillis()));
                sleep(delay);
            }
        }
    }

    private Lease logIn() throws VaultException {
        Instant before = Instant.now();
        AuthResponse response = vault.auth().loginByAppRole(settings.appRoleMount(), settings.roleId(),
                settings.secretId());
        Duration duration = Duration.ofSeconds(response.getAuthLeaseDuration());
        LOG.log(System.Logger.Level.INFO, "logged in to Vault with AppRole at {0} (lease {1} s)",
                settings.appRoleMount(), String.valueOf(duration.toSeconds()));
        return new Lease(response.getAuthClientToken(), before, duration, response.isAuthRenewable(), true, duration,
                false);
    }

    /**
     * What Vault knows of the static token: its TTL left and whether it renews. A token without the default policy
     * cannot look itself up; it is then used as it is, without renewal.
     */
    private Lease inspectStaticToken() throws VaultException {
        Instant before = Instant.now();
        try {
            LookupResponse self = vault.auth().lookupSelf();
            Duration ttl = Duration.ofSeconds(self.getTTL());
            Duration increment = self.getCreationTTL() > 0 ? Duration.ofSeconds(self.getCreationTTL()) : ttl;
            return new Lease(settings.token(), before, ttl, self.isRenewable() && !ttl.isZero(), false, increment,
                    false);
        } catch (VaultException e) {
            if (e.getHttpStatusCode() != 403) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "the Vault token may not look itself up (no default policy?): "
                    + "using it without renewal");
            return new Lease(settings.token(), before, Duration.ZERO, false, false, Duration.ZERO, false);
        }
    }

    private Lease renew(Lease current) throws VaultException {
        Instant before = Instant.now();
        AuthResponse response = vault.auth().renewSelf(current.increment().toSeconds());
        Duration granted = Duration.ofSeconds(response.getAuthLeaseDuration());
        // Vault caps a renewal at the token's max TTL: a shorter lease than asked for means the end is near.
        boolean capped = granted.compareTo(current.increment()) < 0;
        LOG.log(System.Logger.Level.DEBUG, "Vault token renewed (lease {0} s{1})",
                String.valueOf(granted.toSeconds()), capped ? ", capped at its max TTL" : "");
        return new Lease(current.token(), before, granted, response.isAuthRenewable(), current.ownLogin(),
                current.increment(), capped && current.ownLogin());
    }

    /** Runs on the scheduler thread only. */
    private void renewOrLogIn(int failures) {
        if (closed) {
            return;
        }
        Lease current = lease;
        boolean logIn = settings.usesAppRole() && (current.mustLogIn() || !current.renewable()
                || current.expiresAt().map(end -> !Instant.now().isBefore(end)).orElse(false));
        try {
            Lease next = logIn ? logIn() : renew(current);
            lease = next;
            schedule(next);
        } catch (VaultException e) {
            int status = e.getHttpStatusCode();
            if (transientFailure(status) || logIn) {
                // Vault down, or the login refused: keep the current token and try again, never faster than backoff.
                Duration delay = backoff(failures);
                LOG.log(transientFailure(status) ? System.Logger.Level.WARNING : System.Logger.Level.ERROR,
                        "{0} failed (status {1}), trying again in {2} ms", logIn ? "Vault login" : "Vault renewal",
                        String.valueOf(status), String.valueOf(delay.toMillis()));
                pending = scheduler.schedule(() -> renewOrLogIn(failures + 1), delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else if (settings.usesAppRole()) {
                LOG.log(System.Logger.Level.INFO, "Vault refused to renew the token (status {0}): logging in again",
                        String.valueOf(status));
                lease = current.needingLogin();
                renewOrLogIn(failures);
            } else {
                LOG.log(System.Logger.Level.ERROR, "Vault refused to renew the static token (status {0}); it will "
                        + "not be renewed again", String.valueOf(status));
            }
        }
    }

    /** Plans the next renewal or login at two thirds of the lease; nothing for a token that never expires. */
    private void schedule(Lease next) {
        if (closed || next.duration().isZero() || (!next.renewable() && !next.ownLogin())) {
            return;
        }
        Duration delay = Duration.between(Instant.now(), next.refreshAt());
        if (delay.compareTo(MIN_DELAY) < 0) {
            delay = MIN_DELAY;
        }
        pending = scheduler.schedule(() -> renewOrLogIn(0), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** No answer at all, a 5xx, or Vault's "try again" statuses (429 rate limited, 412 not yet consistent). */
    private static boolean transientFailure(int status) {
        return status == 0 || status >= 500 || status == 429 || status == 412;
    }

    private Duration backoff(int failures) {
        Duration delay = settings.initialBackoff().multipliedBy(1L << Math.min(failures, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultSessionException("interrupted while waiting for Vault", 0, e);
        }
    }

    /** The driver's configuration with the token read from the session for every request. */
    private static final class SessionConfig extends VaultConfig {

        private static final long serialVersionUID = 1L;

        private final transient Supplier<String> token;

        SessionConfig(Supplier<String> token) {
            this.token = token;
        }

        @Override
        public String getToken() {
            return token.get();
        }
    }
}
