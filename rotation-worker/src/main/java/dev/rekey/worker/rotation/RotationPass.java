package dev.rekey.worker.rotation;

import dev.rekey.events.OldCredential;
import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.rotation.RotationOutcome.FollowUp;
import dev.rekey.worker.rotation.PassResult.Committed;
import dev.rekey.worker.rotation.PassResult.Failed;
import dev.rekey.worker.rotation.PassResult.Restart;
import dev.rekey.worker.rotation.RotationRun.RecordState;
import dev.rekey.worker.secret.PasswordGenerator;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.vault.PendingRecord;
import dev.rekey.worker.vault.PendingSlot;
import dev.rekey.worker.vault.PendingStore;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import dev.rekey.worker.vault.VaultRejectedException;
import dev.rekey.worker.vault.VaultUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One pass of the rotation protocol (README, "The protocol"; checked by the model in {@code src/model}): read the
 * secret, prepare the pending record (create, claim or adopt), set, test, end sessions, record, commit, clean up.
 * It returns how it ended; a Vault or downstream error ends it where it happened (transient: the lease is released
 * and the record kept, its value may be in force; a refusal: settled so that Vault's value logs in).
 *
 * <p>Invariant: at every instant the downstream holds Vault's current value or the live pending record's value.
 * Guards that keep it: every write to the pending path is a check-and-set on the version just read; a run calls the
 * downstream or commits only while its lease holds; a record is created only when the tombstone it replaces does not
 * say the secret moved past the version this pass read; an own record is reused, never regenerated; another
 * rotation's abandoned record is finished (adopted), never dropped while its value may be in force.
 */
@ApplicationScoped
class RotationPass {

    static final String PASSWORD = "password";
    static final String USERNAME = "username";

    private final SecretStore secrets;
    private final PendingStore pendings;
    private final RotationRecords records;
    private final LeaseKeeper leases;
    private final DownstreamCalls downstream;
    private final SystemReachability reachability;
    private final PasswordGenerator generator;
    private final StepListener steps;
    private final Duration breachSwitchGrace;

    RotationPass(SecretStore secrets, PendingStore pendings, RotationRecords records, LeaseKeeper leases,
                 DownstreamCalls downstream, SystemReachability reachability, PasswordGenerator generator,
                 StepListener steps, WorkerConfig config) {
        this.breachSwitchGrace = config.breachSwitchGrace();
        this.secrets = secrets;
        this.pendings = pendings;
        this.records = records;
        this.leases = leases;
        this.downstream = downstream;
        this.reachability = reachability;
        this.generator = generator;
        this.steps = steps;
    }

    /** The state of one pass: the secret's version it read, and the users it works on. */
    private static final class Pass {
        final RotationRun run;
        final SecretVersion current;
        String activeUser;
        String targetUser;

        Pass(RotationRun run, SecretVersion current) {
            this.run = run;
            this.current = current;
        }

        /** Vault's current value, null when the secret has no password field. */
        SecretValue currentValue() {
            String password = current.field(PASSWORD);
            return password == null ? null : SecretValue.of(password);
        }
    }

    PassResult run(RotationRun run) {
        Pass pass = null;
        try {
            reached(run, Step.READ);
            Optional<SecretVersion> current = secrets.readCurrent(run.path);
            if (current.isEmpty()) {
                run.recordState(RecordState.NONE);
                return new Failed(Step.READ, "secret not found in Vault at " + run.path, true, OldCredential.UNKNOWN,
                        false);
            }
            pass = new Pass(run, current.get());
            return fromRead(pass);
        } catch (TargetException e) {
            return e.isTransient() ? unanswered(run, pass, e.getMessage(), false) : refused(pass, run, e.getMessage(), false);
        } catch (VaultUnavailableException e) {
            return unanswered(run, pass, e.getMessage(), true);
        } catch (VaultRejectedException e) {
            return refused(pass, run, e.getMessage(), true);
        }
    }

    private PassResult fromRead(Pass pass) {
        RotationRun run = pass.run;
        OptionalLong committed = records.committedVersion(run.path, pass.current, run.rotationId);
        if (committed.isPresent()) {
            return replay(pass, committed.getAsLong());
        }
        String problem = users(pass);
        if (problem != null) {
            run.recordState(RecordState.NONE);
            return new Failed(Step.READ, problem, true, OldCredential.UNKNOWN, false);
        }

        reached(run, Step.PREPARE);
        PendingSlot slot;
        if (!records.anyIn(pass.current) && !reachability.needsPrecheck(run.due.credential().systemId())) {
            // never rotated by rekey: its pending path usually has no version, and a blind create (cas 0) saves a
            // read. Not before a pre-check: a failed one must know whether a record of this rotation exists.
            PassResult created = create(pass, PendingSlot.empty(0));
            if (created != null) {
                return created;
            }
        }
        slot = pendings.read(run.path);
        if (slot.record().isEmpty()) {
            run.recordState(RecordState.NONE); // no value of this rotation exists yet
            PassResult created = create(pass, slot);
            return created != null ? created : Restart.now("the pending path changed while it was read");
        }
        PendingRecord record = slot.record().get();
        boolean own = run.rotationId.equals(record.rotationId());
        if (!own && records.committedVersion(run.path, pass.current, record.rotationId()).isPresent()) {
            pendings.tombstone(run.path, slot.version(), record.rotationId(), pass.current.version());
            return Restart.now("removed the pending record of committed rotation " + record.rotationId());
        }
        run.recordState(own ? RecordState.HELD : RecordState.NONE);
        if (record.heldByOtherThan(run.id, Instant.now())) {
            return new Restart("rotation " + record.rotationId() + " holds the pending record", record.leaseUntil());
        }
        Optional<PendingRecord> claimed = pendings.write(run.path, record.heldBy(run.id, leases.leaseEnd()),
                slot.version());
        if (claimed.isEmpty()) {
            return Restart.now("the pending record changed while it was read");
        }
        // an abandoned record of another rotation may be in force: this run finishes that rotation first
        run.recordState(RecordState.HELD);
        run.hold(leases.hold(run.path, claimed.get()));
        if (!own) {
            Log.infof("%s: finishing the abandoned rotation %s first", run, record.rotationId());
        }
        return setAndTest(pass, own);
    }

    /**
     * A new pending record over an empty slot or a tombstone, by check-and-set on its version.
     *
     * @return null when someone wrote the pending path since it was read
     */
    private PassResult create(Pass pass, PendingSlot slot) {
        RotationRun run = pass.run;
        if (slot.secretVersionAtLeast() > pass.current.version()) {
            return Restart.now("the secret moved on since it was read");
        }
        if (reachability.needsPrecheck(run.due.credential().systemId()) && pass.currentValue() != null) {
            reached(run, Step.PRECHECK);
            run.oldCredential(downstream.logsIn(run, pass.activeUser, pass.currentValue()));
        }
        SecretValue value;
        try {
            value = generator.generate(run.due.policy().generator());
        } catch (RuntimeException e) {
            return new Failed(Step.PREPARE, "the generator policy cannot be satisfied", true, run.oldCredential(),
                    false);
        }
        PendingRecord record = new PendingRecord(run.rotationId, pass.targetUser, value, pass.current.version(),
                run.id, leases.leaseEnd(), 0);
        Optional<PendingRecord> written = pendings.write(run.path, record, slot.version());
        if (written.isEmpty()) {
            return null;
        }
        run.recordState(RecordState.HELD);
        run.hold(leases.hold(run.path, written.get()));
        return setAndTest(pass, true);
    }

    /** Set and test the held record's value; a value that does not log in is settled so that Vault's value does. */
    private PassResult setAndTest(Pass pass, boolean own) {
        RotationRun run = pass.run;
        PendingRecord record = run.lease().record();
        reached(run, Step.SET);
        if (!run.lease().holds()) {
            return Restart.now("the lease on the pending record ran out");
        }
        try {
            apply(pass, record.username(), record.password());
        } catch (TargetException e) {
            if (e.isTransient()) {
                throw e;
            }
            return settle(pass, own, Step.SET, e.getMessage(), false);
        }
        reached(run, Step.TEST);
        if (!downstream.logsInSoon(run, record.username(), record.password())) {
            PassResult settled = doesNotLogIn(pass, own);
            if (settled != null) {
                return settled;
            }
        }
        if (run.due.terminateSessions()) {
            reached(run, Step.END_SESSIONS);
            downstream.endSessions(run, record.username());
        }
        return commit(pass, own);
    }

    /** The held value does not log in after the set: null when it does after a second set, else how it ended. */
    private PassResult doesNotLogIn(Pass pass, boolean own) {
        RotationRun run = pass.run;
        PendingRecord record = run.lease().record();
        if (!record.username().equals(pass.activeUser)) {
            // alternating: the rotated user is not the one Vault's value logs in as, nobody depends on it
            run.oldCredential(downstream.logsIn(run, pass.activeUser, pass.currentValue()));
            return drop(pass, own, Step.TEST, "the new value does not log in as " + record.username());
        }
        if (downstream.logsIn(run, record.username(), pass.currentValue())) {
            run.oldCredential(true);
            return drop(pass, own, Step.TEST, "the new value does not log in");
        }
        // neither logs in: set the pending value again, it is the one Vault keeps
        reached(run, Step.SET);
        if (!run.lease().holds()) {
            return Restart.now("the lease on the pending record ran out");
        }
        apply(pass, record.username(), record.password());
        reached(run, Step.TEST);
        if (downstream.logsInSoon(run, record.username(), record.password())) {
            return null;
        }
        return putBack(pass, own, Step.TEST, "the new value does not log in");
    }

    private PassResult commit(Pass pass, boolean own) {
        RotationRun run = pass.run;
        PendingRecord record = run.lease().record();
        reached(run, Step.RECORD);
        if (!run.lease().holds()) {
            return Restart.now("the lease on the pending record ran out");
        }
        records.record(run.path, pass.current, record.rotationId(), pass.current.version() + 1);
        reached(run, Step.COMMIT);
        if (!run.lease().holds()) {
            return Restart.now("the lease on the pending record ran out");
        }
        Map<String, String> changes = new HashMap<>();
        changes.put(PASSWORD, record.password().reveal());
        changes.put(RotationRecords.DATA_ROTATION_ID, record.rotationId());
        String storedUser = pass.current.field(USERNAME);
        if (storedUser != null && !storedUser.equals(record.username())) {
            changes.put(USERNAME, record.username()); // alternating: Vault's value switches to the rotated user
        }
        OptionalLong written = secrets.write(run.path, pass.current.dataWith(changes), pass.current.version());
        long version;
        if (written.isPresent()) {
            version = written.getAsLong();
        } else {
            // a mismatch: another run of the same rotation may have committed it just now
            Optional<SecretVersion> now = secrets.readCurrent(run.path);
            if (now.isEmpty() || !record.rotationId().equals(now.get().field(RotationRecords.DATA_ROTATION_ID))) {
                return Restart.now("the secret changed in Vault since it was read");
            }
            version = now.get().version();
        }
        reached(run, Step.CLEANUP);
        if (!run.lease().tombstone(version)) {
            Log.infof("%s: the pending record was claimed by another run after the commit", run);
        }
        run.recordState(RecordState.NONE);
        if (!own) {
            Log.infof("%s: committed the abandoned rotation %s as version %d", run, record.rotationId(), version);
            return Restart.now("committed the abandoned rotation " + record.rotationId() + " first");
        }
        FollowUp followUp = followUps(pass, pass.current, record.username(), false);
        reached(run, Step.REPORT);
        return new Committed(version, pass.current.version(), false, record.username(), followUp);
    }

    /**
     * A rotation committed before (a redelivery): finish what a crash may have left (the own pending record, the
     * steps after the commit) and report the commit again; nothing else changes.
     */
    private PassResult replay(Pass pass, long version) {
        RotationRun run = pass.run;
        run.recordState(RecordState.NONE);
        PendingSlot slot = pendings.read(run.path);
        if (slot.record().filter(r -> r.rotationId().equals(run.rotationId)).isPresent()) {
            reached(run, Step.CLEANUP);
            pendings.tombstone(run.path, slot.version(), run.rotationId, pass.current.version());
        }
        if (version != pass.current.version()) {
            // a later rotation committed on top: this one's follow-ups are that one's past
            String user = secrets.readVersion(run.path, version).map(v -> v.field(USERNAME))
                    .orElse(run.due.credential().username());
            return new Committed(version, version - 1, true, user == null ? run.due.credential().username() : user,
                    null);
        }
        String active = pass.current.field(USERNAME) != null && run.alternating
                ? pass.current.field(USERNAME) : run.due.credential().username();
        SecretVersion base = secrets.readVersion(run.path, version - 1).orElse(null);
        FollowUp followUp = base == null ? null : followUps(pass, base, active, true);
        reached(run, Step.REPORT);
        return new Committed(version, version - 1, true, active, followUp);
    }

    /**
     * What comes after a commit, all safe to repeat: revoke the replaced value where the target keeps it; for a
     * breach with the alternating strategy, give the previously active user a random value kept nowhere and end its
     * sessions (the attacker holds its value) -- after the switch grace, so that its consumers have moved to the
     * rotated user: the commit's run leaves that to its replay, which the grace's retry starts.
     *
     * @param replay this run found the rotation committed before
     * @return null when done, else what is left and when to run again
     */
    private FollowUp followUps(Pass pass, SecretVersion base, String activeUser, boolean replay) {
        RotationRun run = pass.run;
        boolean graced = !replay && !breachSwitchGrace.isZero();
        try {
            String replaced = base.field(PASSWORD);
            if (run.target.keepsReplacedValues(run.due) && replaced != null && !run.alternating) {
                reached(run, Step.RETIRE);
                downstream.retire(run, activeUser, SecretValue.of(replaced));
            }
            if (run.due.terminateSessions() && run.alternating && graced) {
                return new FollowUp("the previous user is ended after the switch grace", breachSwitchGrace);
            }
            if (run.due.terminateSessions() && run.alternating) {
                String previous = activeUser.equals(run.due.credential().username())
                        ? run.due.credential().alternateUsername() : run.due.credential().username();
                reached(run, Step.SCRAMBLE);
                downstream.apply(run, previous, generator.generate(run.due.policy().generator()));
                downstream.endSessions(run, previous);
            }
            return null;
        } catch (TargetException | VaultUnavailableException e) {
            Log.warnf("%s: committed, but %s", run, e.getMessage());
            return new FollowUp(e.getMessage(), null);
        }
    }

    /**
     * A refusal (not transient). Before any pending value: nothing changed, the rotation fails. With a held record
     * whose value may be in force: settled so that Vault's value logs in.
     */
    private PassResult refused(Pass pass, RotationRun run, String reason, boolean byVault) {
        Step at = run.step();
        if (pass == null || run.lease() == null || run.lease().lost() || !run.valueMayBeInForce()) {
            run.end();
            return new Failed(at, reason, true, run.oldCredential(), false);
        }
        try {
            return settle(pass, run.rotationId.equals(run.lease().record().rotationId()), at, reason, byVault);
        } catch (TargetException e) {
            return e.isTransient() ? unanswered(run, pass, e.getMessage(), false)
                    : giveUpHolding(run, at, reason + "; " + e.getMessage());
        } catch (VaultUnavailableException e) {
            return unanswered(run, pass, e.getMessage(), true);
        } catch (VaultRejectedException e) {
            return giveUpHolding(run, at, reason + "; " + e.getMessage());
        }
    }

    /**
     * The held value may or may not be in force and the run cannot go on as planned: Vault's current value logs in
     * (drop the pending one), or the pending one does (commit it, unless Vault refused that), or Vault's current value
     * is set again.
     */
    private PassResult settle(Pass pass, boolean own, Step at, String reason, boolean byVault) {
        RotationRun run = pass.run;
        PendingRecord record = run.lease().record();
        if (!record.username().equals(pass.activeUser)) {
            run.oldCredential(downstream.logsIn(run, pass.activeUser, pass.currentValue()));
            return drop(pass, own, at, reason);
        }
        if (downstream.logsIn(run, record.username(), pass.currentValue())) {
            run.oldCredential(true);
            return drop(pass, own, at, reason);
        }
        if (!byVault && downstream.logsIn(run, record.username(), record.password())) {
            return commit(pass, own); // an earlier run had set it: finish the rotation
        }
        return putBack(pass, own, at, reason);
    }

    /** Sets Vault's current value again, then drops the pending one; keeps the record if even that fails. */
    private PassResult putBack(Pass pass, boolean own, Step at, String reason) {
        RotationRun run = pass.run;
        PendingRecord record = run.lease().record();
        SecretValue previous = pass.currentValue();
        if (previous != null) {
            reached(run, Step.PUT_BACK);
            if (!run.lease().holds()) {
                return Restart.now("the lease on the pending record ran out");
            }
            apply(pass, record.username(), previous);
            if (downstream.logsInSoon(run, record.username(), previous)) {
                run.oldCredential(true);
                return drop(pass, own, at, reason + "; Vault's value was set again");
            }
        }
        run.oldCredential(false);
        run.lease().release(); // the record stays: a later run tries its value again
        return new Failed(at, reason + "; neither the new nor Vault's value logs in", true, OldCredential.INVALID, true);
    }

    /** Drops the held record (its value is not in force): a tombstone promising the record's base version. */
    private PassResult drop(Pass pass, boolean own, Step at, String reason) {
        RotationRun run = pass.run;
        PendingRecord record = run.lease().record();
        if (run.target.keepsReplacedValues(run.due)) {
            downstream.retire(run, record.username(), record.password()); // it may be valid beside the old one
        }
        reached(run, Step.CLEANUP);
        if (!run.lease().tombstone(record.baseVersion())) {
            return Restart.now("the pending record was claimed by another run");
        }
        run.recordState(RecordState.NONE);
        if (!own) {
            return Restart.now("dropped the value of abandoned rotation " + record.rotationId() + ": " + reason);
        }
        return new Failed(at, reason, true, run.oldCredential(), false);
    }

    /**
     * A transient error (a call not answered): the lease is released so that the next run may claim the record at
     * once; the record stays, its value may be in force.
     */
    private PassResult unanswered(RotationRun run, Pass pass, String reason, boolean vaultDown) {
        Step at = run.step();
        if (run.lease() != null) {
            try {
                run.lease().release();
            } catch (RuntimeException e) {
                run.end(); // Vault does not answer either: the lease runs out by itself
            }
        }
        if (vaultDown && pass != null && pass.activeUser != null && run.oldCredential() == OldCredential.UNKNOWN) {
            try {
                run.oldCredential(downstream.logsIn(run, pass.activeUser, pass.currentValue()));
            } catch (TargetException e) {
                // the downstream does not answer either: unknown
            }
        }
        return new Failed(at, reason, false, run.oldCredential(), run.valueMayBeInForce());
    }

    /** A refusal while settling: the record is released (not dropped) and the rotation fails for good. */
    private static PassResult giveUpHolding(RotationRun run, Step at, String reason) {
        try {
            run.lease().release();
        } catch (RuntimeException e) {
            run.end();
        }
        return new Failed(at, reason, true, run.oldCredential(), true);
    }

    /** The users of this pass; a problem (the alternating strategy's users do not fit the secret) as text. */
    private static String users(Pass pass) {
        RotationRun run = pass.run;
        String first = run.due.credential().username();
        if (!run.alternating) {
            pass.activeUser = first;
            pass.targetUser = first;
            return null;
        }
        String second = run.due.credential().alternateUsername();
        String named = pass.current.field(USERNAME);
        if (first.equals(named)) {
            pass.activeUser = first;
            pass.targetUser = second;
        } else if (second.equals(named)) {
            pass.activeUser = second;
            pass.targetUser = first;
        } else {
            return "the secret's username names neither " + first + " nor " + second;
        }
        return null;
    }

    /**
     * A set of the user Vault's value logs in as: what a login with Vault's value showed before no longer holds after
     * it (whether or not the call gets an answer).
     */
    private void apply(Pass pass, String user, SecretValue value) {
        if (user.equals(pass.activeUser)) {
            pass.run.oldCredentialUnknown();
        }
        downstream.apply(pass.run, user, value);
    }

    private void reached(RotationRun run, Step step) {
        run.at(step);
        steps.reached(step, run.due);
    }
}
