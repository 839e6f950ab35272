package dev.rekey.notifier.mail;

import dev.rekey.notifier.mail.OwnerDigest.CredentialOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OwnerDigestTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static CredentialOutcome rotated(String id, long version, Instant at) {
        return new CredentialOutcome(id, true, version, "secret/apps/" + id, null, null, false, at);
    }

    private static CredentialOutcome failed(String id, boolean oldValid, Instant at) {
        return new CredentialOutcome(id, false, null, null, "test", "login with the new value refused", oldValid, at);
    }

    @Test
    void totalsCountEachCredentialOnceByItsLatestOutcome() {
        OwnerDigest digest = new OwnerDigest(UUID.randomUUID(), "Okta", "team-a", 2, List.of(
                rotated("db", 5, T0.plusSeconds(60)), failed("db", true, T0), failed("cache", false, T0)));

        MailContent mail = digest.compose();

        assertThat(digest.rotated()).isEqualTo(1);
        assertThat(digest.failed()).isEqualTo(1);
        assertThat(mail.subject()).isEqualTo("[rekey] Rotation summary: Okta — 1 rotated, 1 failed");
        assertThat(mail.body()).contains("Total:   2 of 2 expected", "- db: ROTATED", "Vault secret/apps/db, version 5",
                "- cache: FAILED", "login with the new value refused (step test)", "old value: NO LONGER VALID",
                "rotate it again");
        assertThat(mail.body()).doesNotContain("- db: FAILED");
    }

    @Test
    void aTitleWithLineBreaksCannotForgeHeadersOrBreakTheLayout() {
        OwnerDigest digest = new OwnerDigest(UUID.randomUUID(), "Breach\r\nBcc: attacker@example.test", "team-a", 1,
                List.of(rotated("db", 2, T0)));

        MailContent mail = digest.compose();

        assertThat(mail.subject()).doesNotContain("\r", "\n").contains("Breach Bcc: attacker@example.test");
        assertThat(mail.body()).contains("\"Breach Bcc: attacker@example.test\"");
    }

    @Test
    void anAllRotatedDigestHasNoFailureAdvice() {
        MailContent mail = new OwnerDigest(UUID.randomUUID(), "Okta", "team-a", 1, List.of(rotated("db", 2, T0)))
                .compose();

        assertThat(mail.body()).contains("Failed:  0", "old value: replaced").doesNotContain("rotate it again");
    }
}
