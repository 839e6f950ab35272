package dev.rekey.inventory.campaign;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.campaign.domain.Breach;
import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.campaign.domain.BreachRetry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads campaigns: the breaches, their credentials by state, and the counts of each state. Needs a session. */
@ApplicationScoped
public class CampaignProgress {

    /**
     * How many credentials of one campaign are in each state.
     *
     * @param pending  not finished, no failed attempt yet
     * @param retrying not finished, at least one attempt failed that the worker tries again
     */
    public record Counts(long rotated, long failed, long retrying, long pending) {

        public static final Counts NONE = new Counts(0, 0, 0, 0);

        Counts plus(BreachCredentialStatus status, long n) {
            return switch (status) {
                case ROTATED -> new Counts(rotated + n, failed, retrying, pending);
                case FAILED -> new Counts(rotated, failed + n, retrying, pending);
                case RETRYING -> new Counts(rotated, failed, retrying + n, pending);
                case PENDING -> new Counts(rotated, failed, retrying, pending + n);
            };
        }

        Counts plus(Counts other) {
            return new Counts(rotated + other.rotated, failed + other.failed, retrying + other.retrying,
                    pending + other.pending);
        }
    }

    /** A breach, its counts and its retry passes (oldest first). */
    public record Campaign(Breach breach, Counts counts, List<Retry> retries) {

        public Campaign(Breach breach, Counts counts) {
            this(breach, counts, List.of());
        }
    }

    /**
     * One retry pass of a campaign.
     *
     * @param count how many failed credentials it rotated again
     */
    public record Retry(String retriedBy, Instant retriedAt, int count) {
    }


    /** The breach with this id, or a 404 problem. */
    public Uni<Breach> breach(UUID id) {
        return Breach.<Breach>findById(id).map(breach -> {
            if (breach == null) {
                throw ApiProblem.notFound("breach", id.toString());
            }
            return breach;
        });
    }

    /** One campaign with its counts, or a 404 problem. */
    public Uni<Campaign> campaign(UUID id) {
        return breach(id).chain(breach -> campaigns(List.of(breach))).map(list -> list.get(0));
    }

    /** These breaches as campaigns, in the same order. */
    private Uni<List<Campaign>> campaigns(List<Breach> breaches) {
        List<UUID> ids = breaches.stream().map(b -> b.id).toList();
        return of(ids).chain(counts -> retries(ids).map(retries -> breaches.stream()
                .map(b -> new Campaign(b, counts.getOrDefault(b.id, Counts.NONE), retries.getOrDefault(b.id, List.of())))
                .toList()));
    }

    /** The retry passes of these breaches, oldest first. */
    private static Uni<Map<UUID, List<Retry>>> retries(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return BreachRetry.<BreachRetry>list("breachId in ?1", Sort.by("retriedAt").and("id"), ids)
                .map(rows -> {
                    Map<UUID, List<Retry>> retries = new HashMap<>();
                    for (BreachRetry row : rows) {
                        retries.computeIfAbsent(row.breachId, k -> new ArrayList<>())
                                .add(new Retry(row.retriedBy, row.retriedAt, row.count));
                    }
                    return retries;
                });
    }

    /** A page of campaigns, the latest reported first. */
    public Uni<Page<Campaign>> page(PageRequest.Paging page) {
        var paged = Breach.<Breach>findAll(Sort.descending("reportedAt").and("id")).page(page.toPanache());
        return paged.list().chain(breaches -> campaigns(breaches)
                .chain(campaigns -> paged.count().map(total -> page.of(campaigns, total))));
    }

    /** A page of a campaign's credentials (all, or those in {@code status}), by credential id; 404 if unknown. */
    public Uni<Page<BreachCredential>> credentials(UUID id, BreachCredentialStatus status, PageRequest.Paging page) {
        return breach(id).chain(breach -> {
            var query = status == null
                    ? BreachCredential.<BreachCredential>find("breachId", Sort.by("credentialId"), id)
                    : BreachCredential.<BreachCredential>find("breachId = ?1 and status = ?2",
                    Sort.by("credentialId"), id, status);
            var paged = query.page(page.toPanache());
            return paged.list().chain(rows -> paged.count().map(total -> page.of(rows, total)));
        });
    }

    /** The counts of these breaches (absent from the map: no credentials). */
    public Uni<Map<UUID, Counts>> of(Collection<UUID> breachIds) {
        if (breachIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select bc.breachId, bc.status, count(*) from BreachCredential bc"
                                + " where bc.breachId in :ids group by bc.breachId, bc.status", Object[].class)
                .setParameter("ids", List.copyOf(breachIds))
                .getResultList())
                .map(rows -> {
                    Map<UUID, Counts> counts = new HashMap<>();
                    for (Object[] row : rows) {
                        counts.merge((UUID) row[0], Counts.NONE.plus((BreachCredentialStatus) row[1], (Long) row[2]),
                                Counts::plus);
                    }
                    return counts;
                });
    }
}
