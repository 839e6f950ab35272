package dev.rekey.notifier.delivery;

/**
 * What one attempt at a delivery came to.
 *
 * @param error     why it was not accepted, null when it was; never message content nor a secret
 * @param permanent the attempt can never succeed (a refused destination): no retry
 */
public record SendResult(String error, boolean permanent) {

    private static final int MAX_ERROR_LENGTH = 500;
    public static final SendResult SENT = new SendResult(null, false);

    public static SendResult retryable(String error) {
        return new SendResult(bounded(error), false);
    }

    public static SendResult permanent(String error) {
        return new SendResult(bounded(error), true);
    }

    public boolean sent() {
        return error == null;
    }

    private static String bounded(String error) {
        String text = error == null || error.isBlank() ? "unknown error" : error;
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
