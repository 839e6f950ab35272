package dev.rekey.client;

import dev.rekey.events.SecretRotated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The watched credentials and what the client holds of each. Everything that reads Vault or changes what is held runs
 * on one thread, so per credential the versions only go forward and the listener hears them in order; readers of
 * {@link #current} see a volatile snapshot.
 *
 * <p>Two things make a credential reload: an event naming a version newer than any seen (read exactly that version),
 * and a check of Vault's current version (at start, after each assignment of the feed's partitions, after the feed
 * recovers, periodically). A read that fails is tried again with exponential backoff until it succeeds or a newer
 * version supersedes it; every failure is reported to the listener and counted, in one log line without a stack trace.
 */
final class CredentialReloads implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RekeyClient.class.getName());

    private final VaultKv vault;
    private final CredentialListener listener;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, Tracked> tracked;
    private final ScheduledExecutorService executor;
    final AtomicLong eventsIgnored = new AtomicLong();
    final AtomicLong checks = new AtomicLong();

    /** One watched credential. Fields other than {@code held} are touched only on the executor's thread. */
    private static final class Tracked {
        final WatchedCredential watched;
        volatile Credential held;
        /** The newest version an event named; above {@code held.version()} while it is still to be read. */
        long wanted;
        /** The {@code activeUsername} of the event that named {@code wanted}. */
        String wantedUsername;
        /** Vault's current version is to be checked. */
        boolean checkCurrent;
        int failuresInARow;
        ScheduledFuture<?> retry;
        final AtomicLong reloads = new AtomicLong();
        final AtomicLong reloadFailures = new AtomicLong();

        Tracked(WatchedCredential watched) {
            this.watched = watched;
        }

        String id() {
            return watched.credentialId();
        }
    }

    CredentialReloads(List<WatchedCredential> watched, VaultKv vault, CredentialListener listener,
                      Duration initialBackoff, Duration maxBackoff) {
        this.vault = vault;
        this.listener = listener;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        Map<String, Tracked> byId = new LinkedHashMap<>();
        for (WatchedCredential w : watched) {
            if (byId.put(w.credentialId(), new Tracked(w)) != null) {
                throw new IllegalArgumentException("credential " + w.credentialId() + " is watched twice");
            }
        }
        this.tracked = Map.copyOf(byId);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rekey-client-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    boolean watches(String credentialId) {
        return tracked.containsKey(credentialId);
    }

    /**
     * Reads the current version of every credential, on the caller's thread, trying again with backoff until
     * {@code timeout}; the client does not start without them.
     *
     * @throws IllegalStateException naming the credentials that could not be read, and why
     */
    void loadAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> problems = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            for (int attempt = 1; t.held == null; attempt++) {
                String failure = readAndAdopt(t, 0, null);
                if (failure == null) {
                    break;
                }
                Duration delay = backoff(attempt);
                if (System.nanoTime() + delay.toNanos() > deadline) {
                    problems.add(t.id() + " (" + t.watched.location() + "): " + failure);
                    break;
                }
                report(t, new ReloadFailure(t.id(), 0, failure, attempt, delay));
                sleep(delay);
            }
        }
        checks.incrementAndGet();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot read the watched credentials from Vault: " + problems);
        }
    }

    Credential current(String credentialId) {
        Tracked t = tracked.get(credentialId);
        if (t == null) {
            throw new IllegalArgumentException("credential " + credentialId + " is not watched");
        }
        return t.held;
    }

    /** A {@code secret-rotated} event for a watched credential (the feed filters the others). */
    void onEvent(SecretRotated event) {
        executor.execute(() -> apply(event));
    }

    /** Checks Vault's current version of every credential soon. */
    void checkCurrent(String why) {
        executor.execute(() -> {
            checks.incrementAndGet();
            LOG.log(INFO, "checking the current versions in Vault ({0})", why);
            for (Tracked t : tracked.values()) {
                t.checkCurrent = true;
                cancelRetry(t);
                attempt(t);
            }
        });
    }

    /** Checks Vault's current versions every {@code interval}, in case an event was lost on the way. */
    void checkPeriodically(Duration interval) {
        executor.scheduleWithFixedDelay(() -> checkCurrent("periodic check"), interval.toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    Map<String, ClientStats.CredentialStats> stats() {
        Map<String, ClientStats.CredentialStats> stats = new LinkedHashMap<>();
        tracked.values().forEach(t -> stats.put(t.id(), new ClientStats.CredentialStats(
                t.held == null ? 0 : t.held.version(), t.reloads.get(), t.reloadFailures.get(), t.failuresInARow > 0)));
        return stats;
    }

    private void apply(SecretRotated event) {
        Tracked t = tracked.get(event.credentialId());
        if (t == null) {
            eventsIgnored.incrementAndGet();
            return;
        }
        WatchedCredential w = t.watched;
        if (!w.vaultMount().equals(event.vaultMount()) || !w.vaultPath().equals(event.vaultPath())) {
            eventsIgnored.incrementAndGet();
            LOG.log(WARNING, "credential {0}: an event names {1}/{2}, but it is watched at {3}; ignored",
                    t.id(), event.vaultMount(), event.vaultPath(), w.location());
            return;
        }
        if (event.version() <= Math.max(t.held.version(), t.wanted)) {
            // a duplicate, or an event that arrived after a newer one or after the check that found it
            eventsIgnored.incrementAndGet();
            return;
        }
        t.wanted = event.version();
        t.wantedUsername = event.activeUsername();
        t.failuresInARow = 0;
        cancelRetry(t);
        attempt(t);
    }

    /** Reads what is due for {@code t}; on failure schedules the next try and reports it. */
    private void attempt(Tracked t) {
        t.retry = null;
        long asked = 0;
        String failure = null;
        if (t.wanted > t.held.version()) {
            asked = t.wanted;
            failure = readAndAdopt(t, asked, t.wantedUsername);
        }
        if (failure == null && t.checkCurrent) {
            asked = 0;
            failure = readAndAdopt(t, 0, null);
            t.checkCurrent = failure != null;
        }
        if (failure == null) {
            t.failuresInARow = 0;
            return;
        }
        t.failuresInARow++;
        Duration delay = backoff(t.failuresInARow);
        t.retry = executor.schedule(() -> attempt(t), delay.toMillis(), TimeUnit.MILLISECONDS);
        report(t, new ReloadFailure(t.id(), asked, failure, t.failuresInARow, delay));
    }

    /**
     * Reads {@code version} (0: the current one) and takes it if it is newer than what is held.
     *
     * @return null when done (taken, or nothing newer), else why it could not be read
     */
    private String readAndAdopt(Tracked t, long version, String activeUsername) {
        VaultKv.Read read = vault.read(t.watched, version);
        if (read instanceof VaultKv.Unreadable unreadable) {
            return unreadable.reason();
        }
        VaultKv.Found found = (VaultKv.Found) read;
        Credential previous = t.held;
        if (previous != null && found.version() <= previous.version()) {
            return null;
        }
        String secret = found.data().get(t.watched.secretField());
        if (secret == null || secret.isEmpty()) {
            return "version " + found.version() + " has no '" + t.watched.secretField() + "' field";
        }
        String username = found.data().getOrDefault(t.watched.usernameField(), activeUsername);
        if (username == null || username.isEmpty()) {
            return "version " + found.version() + " has no '" + t.watched.usernameField() + "' field";
        }
        Credential next = new Credential(t.id(), found.version(), username, Secret.of(secret));
        t.held = next;
        if (previous == null) {
            LOG.log(INFO, "credential {0}: version {1} (user {2}) from Vault at {3}", t.id(), next.version(),
                    username, t.watched.location());
            return null;
        }
        t.reloads.incrementAndGet();
        LOG.log(INFO, "credential {0}: reloaded version {1} (user {2}), replacing version {3}", t.id(),
                next.version(), username, previous.version());
        try {
            listener.rotated(next, previous);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "credential {0}: the listener failed on version {1}: {2}", t.id(), next.version(),
                    e.getClass().getName());
        }
        return null;
    }

    private void report(Tracked t, ReloadFailure failure) {
        t.reloadFailures.incrementAndGet();
        LOG.log(WARNING, "credential {0}: {1}; keeping version {2}, attempt {3}, next in {4} ms", t.id(),
                failure.reason(), t.held == null ? "none" : String.valueOf(t.held.version()), failure.attempt(),
                failure.retryIn().toMillis());
        try {
            listener.reloadFailed(failure);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "credential {0}: the listener failed on a reload failure: {1}", t.id(),
                    e.getClass().getName());
        }
    }

    private static void cancelRetry(Tracked t) {
        if (t.retry != null) {
            t.retry.cancel(false);
            t.retry = null;
        }
    }

    /** Exponential with equal jitter, so that many instances retrying together spread out. */
    private Duration backoff(int attempt) {
        long max = maxBackoff.toMillis();
        long delay = Math.min(max, initialBackoff.toMillis() << Math.min(20, attempt - 1));
        return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the watched credentials");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
