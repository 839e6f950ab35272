package dev.rekey.inventory.audit;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.PlainText;
import dev.rekey.inventory.api.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The audit log, newest first. Read-only: there is no endpoint that changes or deletes an entry. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
public class AuditResource {

    private static final String COLUMNS = "id, at, actor, actor_roles, action, object_type, object_id, request_id,"
            + " fields, detail";

    private final Pool pool;

    AuditResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Uni<Page<AuditEntryView>> list(
            @QueryParam("actor") @Size(max = 200) @PlainText String actor,
            @QueryParam("objectType") @Pattern(regexp = "owner|system|credential|breach",
                    message = "must be owner, system, credential or breach") String objectType,
            @QueryParam("objectId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String objectId,
            @QueryParam("action") @Pattern(regexp = "[a-z]{1,20}\\.[a-z]{1,20}", message = "must be like credential.updated")
            String action,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Valid @BeanParam PageRequest page) {
        PageRequest.Paging paging = page.paging();
        List<String> where = new ArrayList<>();
        Tuple params = Tuple.tuple();
        condition(where, params, "actor = $", actor);
        condition(where, params, "object_type = $", objectType);
        condition(where, params, "object_id = $", objectId);
        condition(where, params, "action = $", action);
        condition(where, params, "at >= $", instant("from", from));
        condition(where, params, "at < $", instant("to", to));
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Tuple pageParams = Tuple.tuple();
        for (int i = 0; i < params.size(); i++) {
            pageParams.addValue(params.getValue(i));
        }
        pageParams.addValue(paging.size()).addValue((long) paging.offset());
        String select = "SELECT " + COLUMNS + " FROM audit_log" + filter + " ORDER BY at DESC, id DESC LIMIT $"
                + (params.size() + 1) + " OFFSET $" + (params.size() + 2);
        return pool.preparedQuery(select).execute(pageParams)
                .chain(rows -> pool.preparedQuery("SELECT count(*) FROM audit_log" + filter).execute(params)
                        .map(count -> {
                            List<AuditEntryView> items = new ArrayList<>();
                            rows.forEach(row -> items.add(view(row)));
                            return paging.of(items, count.iterator().next().getLong(0));
                        }));
    }

    private static void condition(List<String> where, Tuple params, String clause, Object value) {
        if (value != null) {
            params.addValue(value);
            where.add(clause + params.size());
        }
    }

    private static OffsetDateTime instant(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(name, "must be an ISO-8601 instant like 2026-12-01T00:00:00Z");
        }
    }

    private static AuditEntryView view(Row row) {
        return new AuditEntryView(row.getLong("id"), row.getOffsetDateTime("at").toInstant(), row.getString("actor"),
                Arrays.asList(row.getArrayOfStrings("actor_roles")), row.getString("action"),
                row.getString("object_type"), row.getString("object_id"), row.getString("request_id"),
                Arrays.asList(row.getArrayOfStrings("fields")), row.getString("detail"));
    }
}
