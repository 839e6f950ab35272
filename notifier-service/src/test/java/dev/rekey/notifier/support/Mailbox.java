package dev.rekey.notifier.support;

import dev.rekey.devstack.smtp.SmtpCapture.CapturedMail;
import dev.rekey.devstack.testing.SharedStack;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One recipient's view of the shared SMTP capture. */
public record Mailbox(String address) {

    public static final String REPORTED = "[rekey] Breach reported: ";
    public static final String SUMMARY = "[rekey] Rotation summary: ";
    public static final String URGENT = "[rekey] URGENT: ";
    public static final String ROUTINE = "[rekey] Scheduled rotations ";
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");

    /** Every mail delivered to this address so far, in delivery order. */
    public List<CapturedMail> all() {
        return SharedStack.mail().stream().filter(mail -> mail.recipient().equalsIgnoreCase(address)).toList();
    }

    public List<CapturedMail> reported() {
        return withSubject(REPORTED);
    }

    public List<CapturedMail> summaries() {
        return withSubject(SUMMARY);
    }

    public List<CapturedMail> urgent() {
        return withSubject(URGENT);
    }

    public List<CapturedMail> routine() {
        return withSubject(ROUTINE);
    }

    private List<CapturedMail> withSubject(String prefix) {
        return all().stream().filter(mail -> mail.subject().startsWith(prefix)).toList();
    }

    /** The Message-ID header of a captured mail. */
    public static String messageId(CapturedMail mail) {
        Matcher matcher = MESSAGE_ID.matcher(mail.raw());
        return matcher.find() ? matcher.group(1) : null;
    }
}
