package dev.rekey.notifier.support;

import dev.rekey.events.BreachReported;
import dev.rekey.events.BreachSelector;
import dev.rekey.events.Cause;
import dev.rekey.events.OldCredential;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events of a test campaign, every id unique to the test that makes it (the servers are shared). */
public final class Campaigns {

    private Campaigns() {
    }

    /** A unique suffix for ids and addresses (lower case, as owner ids must be). */
    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    public static OwnerRef owner(String name) {
        String id = name + "-" + unique();
        return new OwnerRef(id, id + "@example.test");
    }

    public static BreachReported.OwnerCount share(OwnerRef owner, int count) {
        return new BreachReported.OwnerCount(owner.ownerId(), owner.email(), count);
    }

    public static BreachReported breach(UUID breachId, String title, BreachReported.OwnerCount... owners) {
        return breach(breachId, title, List.of(owners));
    }

    public static BreachReported breach(UUID breachId, String title, List<BreachReported.OwnerCount> owners) {
        int total = owners.stream().mapToInt(BreachReported.OwnerCount::count).sum();
        return new BreachReported(breachId, title, "support-system session tokens stolen",
                new BreachSelector(List.of("okta"), null, null, null, null, null, false), "incident-commander",
                Instant.now(), total, owners);
    }

    public static SecretRotated rotated(UUID breachId, OwnerRef owner, String credentialId, long version) {
        return rotated(Cause.breach(breachId), owner, credentialId, version);
    }

    public static SecretRotated rotated(Cause cause, OwnerRef owner, String credentialId, long version) {
        return new SecretRotated(UUID.randomUUID(), credentialId, "secret", "apps/" + credentialId, version,
                version - 1, null, cause, owner, Instant.now(), 42);
    }

    public static RotationFailed failed(UUID breachId, OwnerRef owner, String credentialId, boolean finalAttempt,
                                        boolean oldCredentialValid) {
        return failed(Cause.breach(breachId), owner, credentialId, finalAttempt,
                oldCredentialValid ? OldCredential.VALID : OldCredential.INVALID);
    }

    public static RotationFailed failed(Cause cause, OwnerRef owner, String credentialId, boolean finalAttempt,
                                        OldCredential oldCredential) {
        return new RotationFailed(UUID.randomUUID(), credentialId, "set", "connection refused by db.internal:5432",
                finalAttempt ? 5 : 1, finalAttempt, oldCredential, cause, owner, Instant.now());
    }
}
