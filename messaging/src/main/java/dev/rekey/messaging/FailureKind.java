package dev.rekey.messaging;

import dev.rekey.events.MalformedEventException;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Why a record's transaction failed, which decides what {@link TransactionalConsumer} does next. */
public enum FailureKind {

    /** The record is not a valid event: dead-lettered at once, never retried. */
    MALFORMED,
    /**
     * Not the record's fault: the database or the way to it is away or overloaded, or the transaction lost a race
     * (deadlock, serialization). Retried until it works: dead-lettering would lose a good record.
     */
    INFRASTRUCTURE,
    /** Anything else, possibly caused by the record's content: retried a few times, then dead-lettered. */
    OTHER;

    // SQL states of failures that say nothing about the record (PostgreSQL appendix A): connection exceptions,
    // insufficient resources, operator intervention (admin shutdown, crash, cannot connect now), serialization
    // failure, deadlock, lock not available, read-only transaction (a fail-over in progress).
    private static final Set<String> INFRASTRUCTURE_STATE_CLASSES = Set.of("08", "53", "57");
    private static final Set<String> INFRASTRUCTURE_STATES = Set.of("40001", "40P01", "55P03", "25006");

    /** Classifies a failure by the first cause in its chain that says something. */
    public static FailureKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedEventException) {
                return MALFORMED;
            }
            String state = sqlState(t);
            if (state != null) {
                return infrastructureState(state) ? INFRASTRUCTURE : OTHER;
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof ClosedConnectionException
                    || isPoolOrConnectionFailure(t)) {
                return INFRASTRUCTURE;
            }
        }
        return OTHER;
    }

    private static String sqlState(Throwable t) {
        if (t instanceof DatabaseException db) {
            return db.getSqlState();
        }
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        return null;
    }

    private static boolean infrastructureState(String state) {
        return state.length() >= 2 && (INFRASTRUCTURE_STATE_CLASSES.contains(state.substring(0, 2))
                || INFRASTRUCTURE_STATES.contains(state));
    }

    // Vert.x reports a pool that cannot hand out a connection, or a connection that went away, as a bare
    // VertxException (NoStackTraceThrowable) with only a message.
    private static boolean isPoolOrConnectionFailure(Throwable t) {
        if (!(t instanceof VertxException) || t.getMessage() == null) {
            return false;
        }
        String message = t.getMessage().toLowerCase(java.util.Locale.ROOT);
        return message.contains("connection") || message.contains("timeout") || message.contains("pool closed");
    }
}
