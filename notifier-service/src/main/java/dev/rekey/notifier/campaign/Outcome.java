package dev.rekey.notifier.campaign;

import dev.rekey.events.CauseType;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The part of a result event that a breach campaign counts. Only breach rotations count, and of failures only the
 * final one: an intermediate failure is followed by another attempt.
 *
 * @param version            the new KV v2 version, when rotated
 * @param vaultPath          mount/path of the secret, when rotated
 * @param failedStep         the protocol step that failed, when failed
 * @param oldCredentialValid whether the value in use before the rotation still authenticates
 */
public record Outcome(UUID rotationId, UUID breachId, String ownerId, String credentialId, OutcomeKind kind,
                      Long version, String vaultPath, String failedStep, String reason, boolean oldCredentialValid,
                      Instant at) {

    static Optional<Outcome> of(SecretRotated event) {
        if (event.cause().type() != CauseType.BREACH) {
            return Optional.empty();
        }
        // an in-place rotation replaced the old value at the downstream system before Vault was committed
        return Optional.of(new Outcome(event.rotationId(), event.cause().breachId(), event.owner().ownerId(),
                event.credentialId(), OutcomeKind.ROTATED, event.version(),
                event.vaultMount() + "/" + event.vaultPath(), null, null, false, event.rotatedAt()));
    }

    static Optional<Outcome> of(RotationFailed event) {
        if (event.cause().type() != CauseType.BREACH || !event.finalAttempt()) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(event.rotationId(), event.cause().breachId(), event.owner().ownerId(),
                event.credentialId(), OutcomeKind.FAILED, null, null, event.step(), event.reason(),
                event.oldCredential() == dev.rekey.events.OldCredential.VALID, event.failedAt()));
    }
}
