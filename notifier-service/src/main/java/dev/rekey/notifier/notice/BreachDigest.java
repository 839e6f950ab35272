package dev.rekey.notifier.notice;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Told to an owner once every one of their credentials in a breach is done: the totals, what failed and why, what to
 * do. Built from this owner's outcomes only.
 *
 * @param expected how many of the owner's credentials the breach concerns
 * @param outcomes the latest outcome of each credential, by credential id
 */
public record BreachDigest(UUID breachId, String title, String ownerId, int expected, List<CredentialOutcome> outcomes)
        implements Notice {

    private static final int CHAT_LIST_LIMIT = 20;

    public BreachDigest {
        Objects.requireNonNull(breachId, "breachId");
        title = Text.line(title, 200);
        ownerId = Text.line(ownerId, 100);
        outcomes = latestPerCredential(outcomes);
    }

    @Override
    public String kind() {
        return "breach-digest";
    }

    @Override
    public String subject() {
        return "[rekey] Rotation summary: " + Text.line(title, 120) + " — " + rotatedCount() + " rotated, "
                + failedCount() + " failed";
    }

    /** The last of the owner's outcomes: the digest is due from then on. */
    @Override
    public Instant eventAt() {
        return outcomes.stream().map(CredentialOutcome::at).max(Comparator.naturalOrder()).orElse(Instant.now());
    }

    public long rotatedCount() {
        return outcomes.stream().filter(CredentialOutcome::rotated).count();
    }

    public long failedCount() {
        return outcomes.size() - rotatedCount();
    }

    public List<CredentialOutcome> failures() {
        return outcomes.stream().filter(o -> !o.rotated()).toList();
    }

    /** The failures a chat message lists; the mail lists them all. */
    public List<CredentialOutcome> firstFailures() {
        return failures().stream().limit(CHAT_LIST_LIMIT).toList();
    }

    public long moreFailures() {
        return Math.max(0, failedCount() - CHAT_LIST_LIMIT);
    }

    public List<CredentialOutcome> rotations() {
        return outcomes.stream().filter(CredentialOutcome::rotated).toList();
    }

    public boolean anyLockedOut() {
        return outcomes.stream().anyMatch(CredentialOutcome::lockedOut);
    }

    static List<CredentialOutcome> latestPerCredential(List<CredentialOutcome> outcomes) {
        Map<String, CredentialOutcome> latest = new LinkedHashMap<>();
        Objects.requireNonNull(outcomes, "outcomes").stream()
                .sorted(Comparator.comparing(CredentialOutcome::credentialId).thenComparing(CredentialOutcome::at))
                .forEach(outcome -> latest.put(outcome.credentialId(), outcome));
        return List.copyOf(latest.values());
    }
}
