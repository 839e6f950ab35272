package dev.rekey.inventory.campaign;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.campaign.domain.Breach;
import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads campaigns: the breaches, their credentials by state, and the counts of each state. Needs a session. */
@ApplicationScoped
public class CampaignProgress {

    /** How many credentials of one campaign are rotated, failed and still pending. */
    public record Counts(long rotated, long failed, long pending) {

        public static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(BreachCredentialStatus status, long n) {
            return switch (status) {
                case ROTATED -> new Counts(rotated + n, failed, pending);
                case FAILED -> new Counts(rotated, failed + n, pending);
                case PENDING -> new Counts(rotated, failed, pending + n);
            };
        }

        Counts plus(Counts other) {
            return new Counts(rotated + other.rotated, failed + other.failed, pending + other.pending);
        }
    }

    /** A breach and its counts. */
    public record Campaign(Breach breach, Counts counts) {
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
        return breach(id).chain(breach -> of(List.of(id))
                .map(counts -> new Campaign(breach, counts.getOrDefault(id, Counts.NONE))));
    }

    /** A page of campaigns, the latest reported first. */
    public Uni<Page<Campaign>> page(PageRequest.Paging page) {
        var paged = Breach.<Breach>findAll(Sort.descending("reportedAt").and("id")).page(page.toPanache());
        return paged.list().chain(breaches -> of(breaches.stream().map(b -> b.id).toList())
                .chain(counts -> paged.count().map(total -> page.of(breaches.stream()
                        .map(b -> new Campaign(b, counts.getOrDefault(b.id, Counts.NONE)))
                        .toList(), total))));
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
