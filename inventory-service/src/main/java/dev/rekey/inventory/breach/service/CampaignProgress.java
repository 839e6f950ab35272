package dev.rekey.inventory.breach.service;

import dev.rekey.inventory.breach.domain.BreachCredentialStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Counts each campaign's credentials by state. */
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
    }

    /** The counts of these breaches (absent from the map: no credentials); needs a session. */
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
                                (a, b) -> new Counts(a.rotated() + b.rotated(), a.failed() + b.failed(),
                                        a.pending() + b.pending()));
                    }
                    return counts;
                });
    }
}
