package dev.rekey.events;

/**
 * A record's payload is not a valid event of the expected type. Consumers let it propagate so that the record is
 * dead-lettered with this message as the reason. The message never quotes the payload.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
