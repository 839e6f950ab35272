package dev.rekey.inventory.credential.service;

import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.credential.domain.Credential;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lists credentials by the filters of {@code GET /credentials} and {@code GET /reports/stale}, a page at a time. */
@ApplicationScoped
public class CredentialSearch {

    /**
     * Stale: without an owner, never rotated by rekey, or rotated longer ago than its policy's maximum age. The same
     * definition serves the {@code stale} filter and the stale report.
     */
    public static final String STALE = "(owner_id IS NULL OR last_rotated_at IS NULL"
            + " OR last_rotated_at < now() - make_interval(days => policy_max_age_days))";

    /**
     * The filters; null means "any".
     *
     * @param stale true: only stale credentials, false: only those that are not
     */
    public record Filter(String owner, String system, String tag, String exposedVia, String status, Boolean stale) {
    }

    /** One page of what the filter matches and the caller may see, ordered by id, with the total; needs a session. */
    public Uni<Result> find(Filter filter, Caller caller, PageRequest.Paging paging) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (caller.ownerOnly()) {
            condition(where, params, "owner_id = :caller", "caller", caller.subject());
        }
        condition(where, params, "owner_id = :owner", "owner", filter.owner());
        condition(where, params, "system_id = :system", "system", filter.system());
        condition(where, params, ":tag = ANY (tags)", "tag", filter.tag());
        condition(where, params, ":exposedVia = ANY (exposed_via)", "exposedVia", filter.exposedVia());
        condition(where, params, "status = :status", "status", filter.status());
        if (filter.stale() != null) {
            where.add(filter.stale() ? STALE : "NOT " + STALE);
        }
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return Panache.getSession().chain(session -> {
            var page = session.createNativeQuery("SELECT * FROM credentials" + clause
                    + " ORDER BY id LIMIT " + paging.size() + " OFFSET " + paging.offset(), Credential.class);
            var count = session.createNativeQuery("SELECT count(*) FROM credentials" + clause, Long.class);
            params.forEach((name, value) -> {
                page.setParameter(name, value);
                count.setParameter(name, value);
            });
            return page.getResultList().chain(items -> count.getSingleResult().map(total -> new Result(items, total)));
        });
    }

    /** A page of credentials and how many match in all pages. */
    public record Result(List<Credential> items, long total) {
    }

    private static void condition(List<String> where, Map<String, Object> params, String sql, String name,
                                  Object value) {
        if (value != null) {
            where.add(sql);
            params.put(name, value);
        }
    }
}
