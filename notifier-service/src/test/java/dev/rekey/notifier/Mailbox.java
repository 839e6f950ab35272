package dev.rekey.notifier;

import dev.rekey.devstack.smtp.SmtpCapture.CapturedMail;
import dev.rekey.devstack.testing.SharedStack;

import java.util.List;

/** One recipient's view of the shared SMTP capture. */
public record Mailbox(String address) {

    public static final String REPORTED = "[rekey] Breach reported: ";
    public static final String SUMMARY = "[rekey] Rotation summary: ";

    /** Every mail delivered to this address so far, in delivery order. */
    public List<CapturedMail> all() {
        return SharedStack.mail().stream().filter(mail -> mail.recipient().equalsIgnoreCase(address)).toList();
    }

    public List<CapturedMail> reported() {
        return all().stream().filter(mail -> mail.subject().startsWith(REPORTED)).toList();
    }

    public List<CapturedMail> summaries() {
        return all().stream().filter(mail -> mail.subject().startsWith(SUMMARY)).toList();
    }
}
