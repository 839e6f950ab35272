package dev.rekey.notifier.mail;

import dev.rekey.events.BreachReported;

import java.util.Objects;

/**
 * The mail an owner gets when a breach that concerns some of their credentials is reported: what happened, how many
 * of their credentials will be rotated, and what to expect. It names no credential and no other owner: the event
 * only carries this owner's count.
 */
public record BreachAlert(BreachReported breach, BreachReported.OwnerCount owner) {

    public BreachAlert {
        Objects.requireNonNull(breach, "breach");
        Objects.requireNonNull(owner, "owner");
    }

    public MailContent compose() {
        return new MailContent(subject(), body());
    }

    private String subject() {
        return "[rekey] Breach reported: " + MailText.oneLine(breach.title(), 120) + " — " + credentials(owner.count())
                + " of yours will be rotated";
    }

    private String body() {
        int count = owner.count();
        return """
                Hello %s,

                A breach was reported that may have exposed credentials you own.

                  Breach:       %s
                  Reason:       %s
                  Reported by:  %s
                  Reported at:  %s
                  Breach id:    %s
                  Yours in its blast radius: %s

                What happens next
                - rekey rotates each of these credentials now: it generates a new value, sets it on the system the
                  credential opens, logs in with it, and only then writes it to Vault as a new version.
                - Applications that read the credential from Vault get the new value from that version; services
                  that cache it reload it when they see the rekey.secret-rotated event.
                - If a rotation fails, the old value stays in place wherever it still works, so nothing is locked out.
                - You will get one summary mail when %s, with the outcome of each credential.

                This mail never contains a secret value. Look a credential up in Vault if you need it.
                """.formatted(MailText.oneLine(owner.ownerId(), 100), MailText.oneLine(breach.title(), 200),
                MailText.oneLine(breach.reason(), 500), MailText.oneLine(breach.reportedBy(), 100),
                breach.reportedAt(), breach.breachId(), credentials(count),
                count == 1 ? "it is done" : "all " + count + " are done");
    }

    static String credentials(int count) {
        return count == 1 ? "1 credential" : count + " credentials";
    }
}
