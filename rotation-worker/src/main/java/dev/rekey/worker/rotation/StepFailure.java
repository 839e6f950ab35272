package dev.rekey.worker.rotation;

/**
 * A rotation cannot complete and retrying will not help. The message is the event's reason: short, no secret.
 * {@code oldCredentialValid} null means unknown: the protocol then checks the value in Vault itself.
 */
final class StepFailure extends RuntimeException {

    final String step;
    final Boolean oldCredentialValid;

    StepFailure(String step, String reason, Boolean oldCredentialValid) {
        super(reason, null, false, false);
        this.step = step;
        this.oldCredentialValid = oldCredentialValid;
    }
}
