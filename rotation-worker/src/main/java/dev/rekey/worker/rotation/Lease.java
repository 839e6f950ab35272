package dev.rekey.worker.rotation;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.vault.PendingRecord;
import dev.rekey.worker.vault.PendingStore;
import dev.rekey.worker.vault.SecretPath;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * A run's hold on a pending record. Renewed in the background while the run works ({@link LeaseKeeper}); before a
 * downstream call or the commit the run asks {@link #holds()}: the lease must have more left than such a call can
 * take, so that no call of this run lands after another run has claimed the record. Every write is a check-and-set
 * on the version this run last wrote: a record someone else has claimed is never written again ({@link #lost()}).
 */
final class Lease {

    private final PendingStore store;
    private final SecretPath secret;
    private final WorkerConfig.Lease config;
    private PendingRecord record;
    private boolean lost;
    private ScheduledFuture<?> renewal;

    Lease(PendingStore store, SecretPath secret, PendingRecord record, WorkerConfig.Lease config) {
        this.store = store;
        this.secret = secret;
        this.record = record;
        this.config = config;
    }

    synchronized PendingRecord record() {
        return record;
    }

    synchronized boolean lost() {
        return lost;
    }

    /** Whether the run may make its next call: the lease is its own and runs long enough (renewed now if needed). */
    synchronized boolean holds() {
        if (lost) {
            return false;
        }
        if (Duration.between(Instant.now(), record.leaseUntil()).compareTo(config.minRemaining()) >= 0) {
            return true;
        }
        return renew();
    }

    /** Extends the lease by check-and-set on the version last written; false (and lost) when someone claimed it. */
    synchronized boolean renew() {
        if (lost) {
            return false;
        }
        var renewed = store.write(secret, record.heldBy(record.holder(), Instant.now().plus(config.duration())),
                record.version());
        if (renewed.isEmpty()) {
            lost = true;
            return false;
        }
        record = renewed.get();
        return true;
    }

    /** Replaces the record by a tombstone; false when it is no longer this run's (nothing is written then). */
    synchronized boolean tombstone(long secretVersionAtLeast) {
        stopRenewing();
        if (lost) {
            return false;
        }
        lost = !store.tombstone(secret, record.version(), record.rotationId(), secretVersionAtLeast);
        return !lost;
    }

    /** Ends the lease now, keeping the record: its value may be in force, and any run may claim it at once. */
    synchronized void release() {
        stopRenewing();
        if (!lost) {
            store.write(secret, record.heldBy(record.holder(), Instant.now()), record.version())
                    .ifPresentOrElse(released -> record = released, () -> lost = true);
        }
    }

    synchronized void renewEvery(ScheduledFuture<?> renewal) {
        this.renewal = renewal;
    }

    /** The run is over (or stopped): nothing renews the lease any more, so it runs out by itself. */
    synchronized void stopRenewing() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }
}
