package dev.rekey.notifier.notice;

import java.time.Instant;
import java.util.List;

/**
 * Told to an owner once per period (a day by default) about the scheduled and manual rotations of their credentials
 * in it: never one message per rotation.
 *
 * @param periodEnd the end of the period the digest closes; outcomes recorded before it are in it
 */
public record RoutineDigest(String ownerId, Instant periodEnd, List<CredentialOutcome> outcomes) implements Notice {

    private static final int CHAT_LIST_LIMIT = 20;

    public RoutineDigest {
        ownerId = Text.line(ownerId, 100);
        outcomes = BreachDigest.latestPerCredential(outcomes);
    }

    @Override
    public String kind() {
        return "routine-digest";
    }

    @Override
    public String subject() {
        return "[rekey] Scheduled rotations up to " + periodEnd + ": " + rotatedCount() + " rotated, " + failedCount()
                + " failed";
    }

    @Override
    public Instant eventAt() {
        return periodEnd;
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
}
