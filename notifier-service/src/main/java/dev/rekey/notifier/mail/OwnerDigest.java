package dev.rekey.notifier.mail;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The summary an owner gets once every one of their credentials in a breach is done: per credential its outcome,
 * the new Vault version or why it failed, and whether the old value still works; then the totals. It is built from
 * one owner's outcomes only, so it cannot name another owner's credentials.
 *
 * @param expected how many of the owner's credentials the breach concerns
 * @param outcomes the owner's outcomes in this breach; when a credential has several, the latest counts
 */
public record OwnerDigest(UUID breachId, String title, String ownerId, int expected, List<CredentialOutcome> outcomes) {

    public OwnerDigest {
        Objects.requireNonNull(breachId, "breachId");
        Objects.requireNonNull(ownerId, "ownerId");
        outcomes = latestPerCredential(outcomes);
    }

    /**
     * What happened to one credential.
     *
     * @param version            the new KV v2 version when rotated
     * @param vaultPath          mount/path of the secret when rotated
     * @param failedStep         the protocol step that failed, when failed
     * @param oldCredentialValid whether the value in use before the rotation still authenticates
     */
    public record CredentialOutcome(String credentialId, boolean rotated, Long version, String vaultPath,
                                    String failedStep, String reason, boolean oldCredentialValid, Instant at) {
    }

    public long rotated() {
        return outcomes.stream().filter(CredentialOutcome::rotated).count();
    }

    public long failed() {
        return outcomes.size() - rotated();
    }

    public MailContent compose() {
        String subject = "[rekey] Rotation summary: " + MailText.oneLine(title, 120) + " — " + rotated() + " rotated, "
                + failed() + " failed";
        StringBuilder body = new StringBuilder()
                .append("Hello ").append(MailText.oneLine(ownerId, 100)).append(",\n\n")
                .append("rekey has finished with your credentials in the breach \"").append(MailText.oneLine(title, 200))
                .append("\" (id ").append(breachId).append(").\n\n")
                .append("  Rotated: ").append(rotated()).append('\n')
                .append("  Failed:  ").append(failed()).append('\n')
                .append("  Total:   ").append(outcomes.size()).append(" of ").append(expected).append(" expected\n\n")
                .append("Credentials\n");
        outcomes.forEach(outcome -> describe(outcome, body));
        if (failed() > 0) {
            body.append("\nA failed credential is still exposed: rotate it again (POST /api/v1/credentials/{id}/rotate)"
                    + " once its cause is fixed, or revoke it.\n");
        }
        body.append("\nThis mail never contains a secret value. Look a credential up in Vault if you need it.\n");
        return new MailContent(subject, body.toString());
    }

    private static void describe(CredentialOutcome outcome, StringBuilder body) {
        body.append("- ").append(MailText.oneLine(outcome.credentialId(), 200));
        if (outcome.rotated()) {
            body.append(": ROTATED\n")
                    .append("    new value: Vault ").append(MailText.oneLine(outcome.vaultPath(), 300))
                    .append(", version ").append(outcome.version()).append('\n')
                    .append("    old value: replaced, no longer accepted by the system\n");
        } else {
            body.append(": FAILED\n")
                    .append("    reason: ").append(MailText.oneLine(outcome.reason(), 500))
                    .append(" (step ").append(MailText.oneLine(outcome.failedStep(), 40)).append(")\n")
                    .append(outcome.oldCredentialValid()
                            ? "    old value: still valid, so nothing is locked out, but it is still exposed\n"
                            : "    old value: NO LONGER VALID; the new value is kept pending in Vault, ask the operators"
                            + " to finish the rotation\n");
        }
    }

    private static List<CredentialOutcome> latestPerCredential(List<CredentialOutcome> outcomes) {
        Map<String, CredentialOutcome> latest = new LinkedHashMap<>();
        Objects.requireNonNull(outcomes, "outcomes").stream()
                .sorted(Comparator.comparing(CredentialOutcome::credentialId).thenComparing(CredentialOutcome::at))
                .forEach(outcome -> latest.put(outcome.credentialId(), outcome));
        return List.copyOf(latest.values());
    }
}
