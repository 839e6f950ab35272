package dev.rekey.notifier.mail;

import java.util.Objects;

/** A composed plain-text mail, ready for the delivery log. It never holds a secret value: its inputs carry none. */
public record MailContent(String subject, String body) {

    public MailContent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
    }
}
