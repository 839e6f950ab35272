package dev.rekey.worker.rotation;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises rotations of one credential inside this worker: records are processed out of order across partitions
 * and topics (a scheduled and a breach rotation of one credential may arrive together). Striped locks: two
 * credentials rarely share a stripe, and if they do they merely wait for each other. Across workers, check-and-set
 * on the secret and on the pending record keeps them apart.
 */
@ApplicationScoped
public class CredentialLocks {

    private static final int STRIPES = 4096;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public CredentialLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    <T> T withLock(String key, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(key.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
