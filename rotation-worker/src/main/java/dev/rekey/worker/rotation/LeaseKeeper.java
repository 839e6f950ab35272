package dev.rekey.worker.rotation;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.vault.PendingRecord;
import dev.rekey.worker.vault.PendingStore;
import dev.rekey.worker.vault.SecretPath;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out {@link Lease}s and renews them in the background (two threads: a renewal is one Vault request). */
@ApplicationScoped
public class LeaseKeeper {

    private final PendingStore store;
    private final WorkerConfig.Lease config;
    private final ScheduledExecutorService timer;

    public LeaseKeeper(PendingStore store, WorkerConfig config) {
        this.store = store;
        this.config = config.lease();
        AtomicInteger threads = new AtomicInteger();
        this.timer = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "lease-renewal-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** When a lease taken now runs out. */
    Instant leaseEnd() {
        return Instant.now().plus(config.duration());
    }

    /** Holds {@code record}, which this run has just written (created or claimed), and renews it from now on. */
    Lease hold(SecretPath secret, PendingRecord record) {
        Lease lease = new Lease(store, secret, record, config);
        long every = config.renewEvery().toMillis();
        lease.renewEvery(timer.scheduleWithFixedDelay(() -> renew(lease, secret), every, every, TimeUnit.MILLISECONDS));
        return lease;
    }

    private static void renew(Lease lease, SecretPath secret) {
        try {
            if (!lease.renew()) {
                lease.stopRenewing();
                Log.warnf("the pending record of %s was claimed by another run while this one worked on it", secret);
            }
        } catch (RuntimeException e) {
            // Vault did not answer: the lease shortens, and the run's next holds() renews or stops it
            Log.debugf("renewing the lease on the pending record of %s: %s", secret, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
