package dev.rekey.notifier.delivery;

import java.util.Locale;

/** Where a message goes; the lower-case name is the {@code channel} column and metric label. */
public enum Channel {
    /** SMTP through Quarkus Mailer, plain text and HTML. */
    EMAIL,
    /** A Slack-compatible incoming webhook, its URL read from Vault. */
    SLACK,
    /** A generic webhook, signed per Standard Webhooks with a key read from Vault. */
    WEBHOOK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
