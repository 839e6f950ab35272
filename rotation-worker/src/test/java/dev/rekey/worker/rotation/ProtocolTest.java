package dev.rekey.worker.rotation;

import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.rotation.RotationOutcome.Deferred;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.testing.TestTarget;
import dev.rekey.worker.vault.PendingRecord;
import dev.rekey.worker.vault.PendingStore;
import dev.rekey.worker.vault.VaultHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol's decisions at exact faults, wired by hand against a private Vault dev server and a test target.
 * After every run Vault's current value logs in, and at every step the invariant holds.
 */
class ProtocolTest {

    private PlainProtocol plain;

    @BeforeEach
    void wire() {
        plain = new PlainProtocol();
    }

    @AfterEach
    void close() {
        plain.close();
    }

    @Test
    void aRotationCommitsTheNewValueAndTheInvariantHoldsAtEveryStep() {
        PlainProtocol.Credential credential = plain.credential("sys-a");
        AtomicBoolean held = new AtomicBoolean(true);
        plain.onStep.add((step, due) -> held.compareAndSet(true, plain.invariantHolds(credential)));

        Rotated rotated = (Rotated) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(rotated.version()).isEqualTo(2);
        assertThat(rotated.replayed()).isFalse();
        assertThat(held).as("invariant at every step").isTrue();
        assertThat(plain.target.logsIn("sys-a", credential.user(), plain.current(credential).field("password")))
                .isTrue();
        assertThat(plain.pendingValue(credential)).isNull();
    }

    @Test
    void vaultRefusingTheFirstReadFailsFinalWithItsStatusAndChangesNothing() {
        PlainProtocol.Credential credential = plain.credential("sys-b");
        plain.vault.failNext(1, 403);

        Failed failed = (Failed) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).isEqualTo("vault refused reading " + credential.path() + " (HTTP 403)");
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.UNKNOWN);
        assertThat(plain.target.applies("sys-b")).isZero();
        assertThat(plain.current(credential).version()).isEqualTo(1);
    }

    @Test
    void vaultRefusingTheCommitPutsVaultsValueBackAndDropsThePendingOne() {
        PlainProtocol.Credential credential = plain.credential("sys-c");
        plain.onStep.add((step, due) -> {
            if (step == Step.COMMIT) {
                plain.vault.failNext(1, 403); // the commit's write
            }
        });

        Failed failed = (Failed) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(failed.permanent()).isTrue();
        assertThat(failed.step()).isEqualTo(Step.COMMIT);
        assertThat(failed.reason()).startsWith("vault refused writing " + credential.path() + " (HTTP 403)")
                .endsWith("Vault's value was set again");
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.VALID);
        assertThat(plain.target.logsIn("sys-c", credential.user(), credential.initialPassword())).isTrue();
        assertThat(plain.current(credential).version()).isEqualTo(1);
        assertThat(plain.pendingValue(credential)).isNull();
    }

    @Test
    void aValueTheDownstreamRefusesFailsFinalWithVaultsValueStillValid() {
        PlainProtocol.Credential credential = plain.credential("sys-d");
        plain.target.refuseValues("sys-d", true);

        Failed failed = (Failed) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(failed.permanent()).isTrue();
        assertThat(failed.step()).isEqualTo(Step.SET);
        assertThat(failed.reason()).isEqualTo("the system refused the new value");
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.VALID);
        assertThat(plain.pendingValue(credential)).isNull();
        assertThat(plain.current(credential).version()).isEqualTo(1);
    }

    @Test
    void aDownstreamThatStopsAnsweringAfterTheSetKeepsThePendingValueAndTheRetryCommitsIt() {
        PlainProtocol.Credential credential = plain.credential("sys-e");
        plain.onStep.add((step, due) -> {
            if (step == Step.TEST) {
                plain.target.pause("sys-e");
            }
        });
        UUID rotationId = UUID.randomUUID();

        Failed failed = (Failed) plain.rotate(credential.due(rotationId));

        assertThat(failed.permanent()).isFalse();
        assertThat(failed.valueMayBeInForce()).as("the set went through: this rotation must not end yet").isTrue();
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.UNKNOWN);
        String pending = plain.pendingValue(credential);
        assertThat(plain.target.passwordOf("sys-e", credential.user())).isEqualTo(pending);

        plain.onStep.clear();
        plain.target.resume("sys-e");
        Rotated rotated = (Rotated) plain.rotate(credential.due(rotationId));

        assertThat(plain.current(credential).field("password")).as("the same value, not a new one").isEqualTo(pending);
        assertThat(rotated.version()).isEqualTo(2);
    }

    @Test
    void aRecordHeldByAnotherRunDefersTheRotationUntilItsLeaseRunsOut() {
        PlainProtocol.Credential credential = plain.credential("sys-f");
        Instant leaseUntil = Instant.now().plusSeconds(2);
        PendingStore pendings = new PendingStore(http());
        pendings.write(credential.path(), new PendingRecord(UUID.randomUUID().toString(), credential.user(),
                SecretValue.of("TheirValue123"), 1, "another-run", leaseUntil, 0), 0).orElseThrow();

        Deferred deferred = (Deferred) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(deferred.notBefore()).isEqualTo(leaseUntil);
        assertThat(plain.target.applies("sys-f")).isZero();
    }

    @Test
    void aValueThatDoesNotLogInIsDroppedWhileVaultsValueStillWorks() {
        PlainProtocol.Credential credential = plain.credential("sys-g");
        plain.target.swallowValues("sys-g", true);

        Failed failed = (Failed) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(failed.step()).isEqualTo(Step.TEST);
        assertThat(failed.reason()).isEqualTo("the new value does not log in");
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.VALID);
        assertThat(plain.pendingValue(credential)).isNull();
    }

    @Test
    void whenNeitherValueLogsInThePendingOneIsKeptReportedInvalidAndTheNextRotationFinishesIt() {
        PlainProtocol.Credential credential = plain.credential("sys-h");
        plain.target.createUser("sys-h", credential.user(), "ChangedByHand1"); // someone changed it outside
        plain.target.swallowValues("sys-h", true);
        UUID first = UUID.randomUUID();

        Failed failed = (Failed) plain.rotate(credential.due(first));

        assertThat(failed.permanent()).isTrue();
        assertThat(failed.oldCredential()).as("someone must act now").isEqualTo(OldCredential.INVALID);
        assertThat(failed.reason()).endsWith("neither the new nor Vault's value logs in");
        String kept = plain.pendingValue(credential);
        assertThat(kept).as("kept: it is the value Vault would have").isNotNull();

        plain.target.swallowValues("sys-h", false);
        Rotated next = (Rotated) plain.rotate(credential.due(UUID.randomUUID()));

        assertThat(next.version()).as("the kept value first (version 2), then this rotation's").isEqualTo(3);
        assertThat(plain.secrets.readVersion(credential.path(), 2).orElseThrow().field("password")).isEqualTo(kept);
        assertThat(plain.target.logsIn("sys-h", credential.user(), plain.current(credential).field("password")))
                .isTrue();
    }

    @Test
    void aRedeliveryAfterALaterRotationIsReplayedNotRunAgain() {
        PlainProtocol.Credential credential = plain.credential("sys-i");
        UUID first = UUID.randomUUID();
        plain.rotate(credential.due(first));
        plain.rotate(credential.due(UUID.randomUUID()));

        Rotated again = (Rotated) plain.rotate(credential.due(first));

        assertThat(again.replayed()).isTrue();
        assertThat(again.version()).isEqualTo(2);
        assertThat(plain.current(credential).version()).isEqualTo(3);
    }

    @Test
    void badRequestsFailFinalBeforeAnythingIsTouched() {
        PlainProtocol.Credential credential = plain.credential("sys-j");
        UUID id = UUID.randomUUID();
        assertRefused(credential.due(id, "password:32", "in-place", null, "mainframe", null),
                "unsupported target type mainframe");
        assertRefused(credential.due(id, "password:8", "in-place", null, TestTarget.TYPE, null),
                "invalid generator policy: length must be between 16 and 256");
        assertRefused(credential.due(id, "password:32", "sideways", null, TestTarget.TYPE, null),
                "unknown rotation strategy sideways");
        assertRefused(credential.due(id, "password:32", "alternating", null, TestTarget.TYPE, null),
                "the alternating strategy needs credential.alternateUsername, a second user");
        assertRefused(credential.due(id, "password:32", "in-place", null, TestTarget.TYPE, TestTarget.BAD_SETTINGS),
                "settings do not fit a test-target system: database bad-settings");
        PlainProtocol.Credential strangers = new PlainProtocol.Credential("sys-j", "someone", "unused",
                credential.path());
        assertRefused(strangers.due(id, "password:32", "alternating", "someone_else", TestTarget.TYPE, null),
                "the secret's username names neither someone nor someone_else");
        assertThat(plain.target.applies("sys-j")).isZero();
        assertThat(plain.current(credential).version()).isEqualTo(1);
        assertThat(plain.pendingValue(credential)).isNull();
    }

    private void assertRefused(RotationDue due, String reason) {
        Failed failed = (Failed) plain.rotate(due);
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).isEqualTo(reason);
        assertThat(failed.valueMayBeInForce()).isFalse();
    }

    private VaultHttp http() {
        var settings = PlainProtocol.config(java.util.Map.of("vault.addr", plain.vault.address(), "vault.token",
                PlainProtocol.TOKEN)).getConfigMapping(dev.rekey.worker.vault.VaultSettings.class);
        return new VaultHttp(settings, () -> PlainProtocol.TOKEN);
    }
}
