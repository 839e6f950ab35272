package dev.rekey.notifier.mail;

import dev.rekey.events.BreachReported;
import dev.rekey.events.BreachSelector;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BreachAlertTest {

    private static final BreachReported.OwnerCount TEAM_A = new BreachReported.OwnerCount("team-a", "a@example.test", 3);
    private static final BreachReported.OwnerCount TEAM_B = new BreachReported.OwnerCount("team-b", "b@example.test", 1);

    private static BreachReported breach(String title) {
        return new BreachReported(UUID.randomUUID(), title, "tokens stolen from the support system",
                new BreachSelector(List.of("okta"), null, null, null, null, null, false), "ic-1",
                Instant.parse("2026-01-01T10:00:00Z"), 4, List.of(TEAM_A, TEAM_B));
    }

    @Test
    void tellsTheOwnerTheirOwnCountAndWhatToExpect() {
        MailContent mail = new BreachAlert(breach("Okta support breach"), TEAM_A).compose();

        assertThat(mail.subject()).isEqualTo("[rekey] Breach reported: Okta support breach — 3 credentials of yours will be rotated");
        assertThat(mail.body()).contains("Hello team-a,", "Reason:       tokens stolen from the support system",
                "Yours in its blast radius: 3 credentials", "one summary mail when all 3 are done");
        assertThat(mail.body()).doesNotContain("team-b", "b@example.test");
    }

    @Test
    void aSingleCredentialReadsInTheSingular() {
        MailContent mail = new BreachAlert(breach("Okta"), TEAM_B).compose();

        assertThat(mail.subject()).endsWith("1 credential of yours will be rotated");
        assertThat(mail.body()).contains("one summary mail when it is done");
    }

    @Test
    void aTitleWithLineBreaksStaysOnTheSubjectLine() {
        MailContent mail = new BreachAlert(breach("Okta\nX-Injected: yes"), TEAM_A).compose();

        assertThat(mail.subject()).doesNotContain("\n").contains("Okta X-Injected: yes");
    }
}
