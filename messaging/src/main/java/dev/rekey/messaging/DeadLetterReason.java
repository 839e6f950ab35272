package dev.rekey.messaging;

/**
 * The reason a record is dead-lettered with, as SmallRye's {@code dead-letter-reason} header. It carries no cause
 * and never quotes the payload or a driver's message (which may quote values): only what the event contract's
 * {@link dev.rekey.events.MalformedEventException} says, or the failure's type and SQL state.
 */
public final class DeadLetterReason extends RuntimeException {

    DeadLetterReason(String reason) {
        super(reason, null, false, false);
    }

    static DeadLetterReason of(Throwable failure, FailureKind kind, int attempts) {
        if (kind == FailureKind.MALFORMED) {
            return new DeadLetterReason(rootOf(failure).getMessage());
        }
        Throwable root = rootOf(failure);
        String state = root instanceof io.vertx.sqlclient.DatabaseException db ? " (SQL state " + db.getSqlState() + ")"
                : root instanceof java.sql.SQLException sql ? " (SQL state " + sql.getSQLState() + ")" : "";
        return new DeadLetterReason("gave up after " + attempts + " attempts: " + root.getClass().getName() + state);
    }

    private static Throwable rootOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.rekey.events.MalformedEventException || t.getCause() == null || t.getCause() == t) {
                return t;
            }
        }
        return failure;
    }
}
