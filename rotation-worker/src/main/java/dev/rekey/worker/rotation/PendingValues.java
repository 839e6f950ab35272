package dev.rekey.worker.rotation;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.secret.PasswordGenerator;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.vault.PendingRecord;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The prepare step (write-ahead): the rotation's new value is in the pending record before the downstream is
 * touched. A record of the same rotation is reused, never regenerated. A record of another rotation is only dropped
 * once a value in Vault is confirmed to log in: if its value works, it is committed first (adopted), otherwise it is
 * replaced while the current value is confirmed to work.
 */
@ApplicationScoped
class PendingValues {

    private static final int MAX_LOOKS = 4;
    private static final long LEASE_POLL_MS = 250;

    @Inject
    SecretStore store;

    @Inject
    PasswordGenerator generator;

    @Inject
    LoginProbe probe;

    @Inject
    SecretCommit commit;

    @Inject
    WorkerConfig config;

    /** The value this rotation will set, stored in the pending record. */
    SecretValue prepare(RotationRun run, SecretVersion current) {
        for (int look = 0; look < MAX_LOOKS; look++) {
            // check-and-set 0 creates the record only where there is none: the common case costs one request
            SecretValue fresh = generator.generate(run.due.policy().generator());
            if (store.writePending(run.path, run.rotationId, fresh, 0).isPresent()) {
                return fresh;
            }
            Optional<PendingRecord> pending = store.readPending(run.path);
            if (pending.isEmpty()) {
                continue; // removed in between: try to create it again
            }
            PendingRecord record = pending.get();
            if (run.rotationId.equals(record.rotationId()) && record.password() != null) {
                return record.password();
            }
            if (leaseHeld(record)) {
                awaitLease(run, record);
                continue;
            }
            Optional<SecretValue> replaced = takeOver(run, current, record);
            if (replaced.isPresent()) {
                return replaced.get();
            }
        }
        throw new StepFailure(RotationRun.PREPARE, "the pending record kept changing under the rotation", null);
    }

    private Optional<SecretValue> takeOver(RotationRun run, SecretVersion current, PendingRecord other) {
        SecretValue candidate = other.password();
        if (probe.works(run, candidate)) {
            throw adopt(run, current, other); // the downstream holds the other rotation's value
        }
        SecretValue old = current(current);
        if (probe.works(run, old)) {
            // the other value was never in force: replacing its record loses nothing
            Log.infof("%s: replacing the abandoned pending record of rotation %s", run, other.rotationId());
            SecretValue fresh = generator.generate(run.due.policy().generator());
            return store.writePending(run.path, run.rotationId, fresh, other.version()).map(written -> fresh);
        }
        if (candidate != null && PasswordGenerator.isAlphanumeric(candidate)) {
            // neither logs in: put the pending value in force again, as the protocol's failure rule says
            run.step(RotationRun.SET);
            run.target.apply(run.due, run.due.credential().username(), candidate);
            if (probe.worksSoon(run, candidate)) {
                throw adopt(run, current, other);
            }
        }
        throw new StepFailure(RotationRun.PREPARE,
                "neither the current value nor the pending value of another rotation logs in", false);
    }

    /** Commits the other rotation's working value, then restarts so that this rotation derives from it. */
    private Restart adopt(RotationRun run, SecretVersion current, PendingRecord other) {
        run.step(RotationRun.COMMIT);
        String otherId = other.rotationId() == null ? "unknown" : other.rotationId();
        long version = commit.commit(run.path, current, other.password(), otherId);
        Log.infof("%s: committed the pending value of rotation %s as version %d", run, otherId, version);
        return new Restart(Restart.Why.PENDING_ADOPTED);
    }

    private boolean leaseHeld(PendingRecord record) {
        return record.createdAt().plus(config.pendingLease()).isAfter(Instant.now());
    }

    /** Waits until the other rotation's record changes, disappears or its lease runs out. */
    private void awaitLease(RotationRun run, PendingRecord record) {
        Log.infof("%s: waiting for rotation %s of the same credential", run, record.rotationId());
        Instant deadline = record.createdAt().plus(config.pendingLease());
        while (Instant.now().isBefore(deadline)) {
            Pause.sleep(Math.min(LEASE_POLL_MS, Duration.between(Instant.now(), deadline).toMillis() + 1));
            Optional<PendingRecord> now = store.readPending(run.path);
            if (now.isEmpty() || now.get().version() != record.version()) {
                return;
            }
        }
    }

    private static SecretValue current(SecretVersion version) {
        String password = version.field(SecretCommit.DATA_PASSWORD);
        return password == null ? null : SecretValue.of(password);
    }
}
