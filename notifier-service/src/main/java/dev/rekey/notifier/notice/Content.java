package dev.rekey.notifier.notice;

import java.util.Objects;

/**
 * A notice rendered for one channel, ready for the delivery log.
 *
 * @param body the plain text of a mail, or the JSON document to POST to a webhook
 * @param html the HTML alternative of a mail; null for other channels
 */
public record Content(String subject, String body, String html) {

    public Content {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
    }
}
