package dev.rekey.notifier.delivery;

import java.util.Objects;

/**
 * The result of handing one mail to the SMTP server.
 *
 * @param error why it was not accepted, null when it was; an SMTP or connection error, never mail content
 */
public record SendAttempt(OutgoingMail mail, String error) {

    private static final int MAX_ERROR_LENGTH = 1000;

    public SendAttempt {
        Objects.requireNonNull(mail, "mail");
    }

    static SendAttempt sent(OutgoingMail mail) {
        return new SendAttempt(mail, null);
    }

    static SendAttempt failed(OutgoingMail mail, Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
        return new SendAttempt(mail, message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH));
    }

    public boolean sent() {
        return error == null;
    }
}
