package dev.rekey.inventory.api;

import io.vertx.pgclient.PgException;
import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import java.util.List;
import java.util.Map;

/**
 * Turns a database constraint that refused a write into the problem the client gets, by SQL state and constraint
 * name, never by the database's message (which quotes the values). The services check first; these answer the
 * races between two requests that both passed the checks.
 */
public final class StoreConstraints {

    /** Unique constraints and which request field their value comes from. */
    private static final Map<String, Problem.FieldError> UNIQUE = Map.of(
            "owners_pkey", new Problem.FieldError("id", "an owner with this id exists already"),
            "systems_pkey", new Problem.FieldError("id", "a system with this id exists already"),
            "credentials_pkey", new Problem.FieldError("id", "a credential with this id exists already"),
            "credentials_vault_secret_unique", new Problem.FieldError("vaultPath",
                    "another credential is registered for this Vault secret"),
            "downstream_accounts_unique", new Problem.FieldError("username",
                    "another credential is registered for this account (systemId and username)"));

    private StoreConstraints() {
    }

    /** What the database said about a refused statement, from the reactive client or from Hibernate's wrapper. */
    private record Refusal(String sqlState, String constraint, String column) {
    }

    /** The problem for a refused write, or null when {@code failure} is not one the client caused. */
    public static ApiProblem problemFor(Throwable failure) {
        Refusal refusal = refusalIn(failure);
        if (refusal == null || refusal.sqlState() == null) {
            return null;
        }
        String state = refusal.sqlState();
        if (state.equals("23505")) {
            Problem.FieldError error = UNIQUE.get(refusal.constraint());
            return ApiProblem.conflict("an object with this identity exists already",
                    error == null ? List.of() : List.of(error));
        }
        if (state.equals("23503")) {
            return ApiProblem.unresolvable(List.of());
        }
        if (state.startsWith("22")) {
            // data exception: a value the validation let through but the column refuses
            return ApiProblem.invalid(List.of(new Problem.FieldError(refusal.column() == null ? "" : refusal.column(),
                    "holds a value the inventory cannot store")));
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return new ApiProblem(503, "retry", "Try again", "a concurrent change interfered; send the request again",
                    List.of());
        }
        return null;
    }

    /** Whether {@code failure} is a foreign key refusing a delete or an insert. */
    public static boolean isForeignKeyViolation(Throwable failure) {
        Refusal refusal = refusalIn(failure);
        return refusal != null && "23503".equals(refusal.sqlState());
    }

    private static Refusal refusalIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return new Refusal(pg.getSqlState(), pg.getConstraint(), pg.getColumn());
            }
            if (t instanceof ConstraintViolationException violation) {
                return new Refusal(violation.getSQLState(), violation.getConstraintName(), null);
            }
            if (t instanceof JDBCException jdbc && jdbc.getSQLState() != null) {
                return new Refusal(jdbc.getSQLState(), null, null);
            }
        }
        return null;
    }
}
