package dev.rekey.inventory.audit;

import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.StoredInstant;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.List;

/**
 * Appends to the audit log inside the caller's transaction, so that a change and its record commit or roll back
 * together. A record names the fields a request set, never their values: no secret can reach the log.
 */
@ApplicationScoped
public class AuditLog {

    private static final String INSERT = "INSERT INTO audit_log"
            + " (at, actor, actor_roles, action, object_type, object_id, request_id, fields, detail)"
            + " VALUES (:at, :actor, string_to_array(:roles, ','), :action, :objectType, :objectId, :requestId,"
            + " string_to_array(:fields, ','), :detail)";
    private static final String INSERT_MANY = "INSERT INTO audit_log"
            + " (at, actor, actor_roles, action, object_type, object_id, request_id, fields, detail)"
            + " SELECT $1, $2, string_to_array($3, ','), $4, $5, id, $6, '{}', $7 FROM unnest($8::text[]) AS id";

    /** Records one write of the current Hibernate transaction. */
    public Uni<Void> record(Caller caller, AuditAction action, String objectId, List<String> fields, String detail) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                        .setParameter("at", StoredInstant.now().atOffset(ZoneOffset.UTC))
                        .setParameter("actor", caller.subject())
                        .setParameter("roles", String.join(",", caller.roles().stream().sorted().toList()))
                        .setParameter("action", action.wireName())
                        .setParameter("objectType", action.objectType())
                        .setParameter("objectId", objectId)
                        .setParameter("requestId", caller.requestId())
                        .setParameter("fields", String.join(",", fields))
                        .setParameter("detail", detail)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Records one write per object in a transaction of the plain SQL client (a bulk import). */
    public Uni<Void> recordAll(SqlConnection connection, Caller caller, AuditAction action, List<String> objectIds,
                               String detail) {
        return connection.preparedQuery(INSERT_MANY).execute(Tuple.tuple()
                        .addValue(StoredInstant.now().atOffset(ZoneOffset.UTC))
                        .addValue(caller.subject())
                        .addValue(String.join(",", caller.roles().stream().sorted().toList()))
                        .addValue(action.wireName())
                        .addValue(action.objectType())
                        .addValue(caller.requestId())
                        .addValue(detail)
                        .addValue(objectIds.toArray(String[]::new)))
                .replaceWithVoid();
    }
}
