package dev.rekey.inventory.breach.service;

import dev.rekey.events.BreachSelector;
import dev.rekey.inventory.credential.domain.Credential;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The credentials a selector names directly, and for each the selector clauses that matched it. The closure over
 * {@code exposedVia}/{@code grantsAccessTo} edges is not computed yet: only direct matches are in the radius.
 */
@ApplicationScoped
public class BlastRadius {

    /** A credential in the blast radius and why it is there. */
    public record Match(Credential credential, List<MatchReason> matchedBy) {
    }

    /**
     * One reason: a selector clause and the values of it that the credential matched.
     *
     * @param clause credentialIds, systems, providers, tags, owners or all
     */
    public record MatchReason(String clause, List<String> values) {
    }

    /** The direct matches of a non-empty selector, ordered by credential id; needs a session. */
    public Uni<List<Match>> of(BreachSelector selector) {
        List<String> anyOf = new ArrayList<>();
        Parameters params = new Parameters();
        clause(anyOf, params, "c.id in :credentialIds", "credentialIds", selector.credentialIds());
        clause(anyOf, params, "c.systemId in :systems", "systems", selector.systems());
        clause(anyOf, params, "array_overlaps(c.exposedVia, :providers)", "providers", selector.providers());
        clause(anyOf, params, "array_overlaps(c.tags, :tags)", "tags", selector.tags());
        clause(anyOf, params, "c.ownerId in :owners", "owners", selector.owners());
        List<String> where = new ArrayList<>();
        if (!selector.all()) {
            where.add("(" + String.join(" or ", anyOf) + ")");
        }
        if (selector.issuedBefore() != null) {
            where.add("coalesce(c.lastRotatedAt, c.createdAt) < :issuedBefore");
            params.and("issuedBefore", selector.issuedBefore());
        }
        var query = where.isEmpty()
                ? Credential.<Credential>findAll(Sort.by("id"))
                : Credential.<Credential>find("from Credential c where " + String.join(" and ", where),
                Sort.by("id"), params);
        return query.list().map(credentials -> credentials.stream()
                .map(c -> new Match(c, reasons(c, selector))).toList());
    }

    private static void clause(List<String> anyOf, Parameters params, String condition, String name,
                               List<String> values) {
        if (!values.isEmpty()) {
            anyOf.add(condition);
            params.and(name, name.equals("providers") || name.equals("tags") ? values.toArray(String[]::new) : values);
        }
    }

    private static List<MatchReason> reasons(Credential c, BreachSelector selector) {
        List<MatchReason> reasons = new ArrayList<>();
        add(reasons, "credentialIds", selector.credentialIds(), List.of(c.id));
        add(reasons, "systems", selector.systems(), List.of(c.systemId));
        add(reasons, "providers", selector.providers(), c.exposedVia);
        add(reasons, "tags", selector.tags(), c.tags);
        add(reasons, "owners", selector.owners(), c.ownerId == null ? List.of() : List.of(c.ownerId));
        if (selector.all()) {
            reasons.add(new MatchReason("all", List.of()));
        }
        return reasons;
    }

    private static void add(List<MatchReason> reasons, String clause, List<String> selected, List<String> actual) {
        List<String> common = actual.stream().filter(selected::contains).distinct().toList();
        if (!common.isEmpty()) {
            reasons.add(new MatchReason(clause, common));
        }
    }
}
