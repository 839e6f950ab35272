package dev.rekey.inventory.campaign;

import dev.rekey.events.BreachSelector;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.credential.domain.CredentialRows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials a selector puts in the blast radius, and why: the ones it names directly (with the selector
 * clauses that matched), and the closure over the graph to a fixpoint -- a credential whose {@code exposedVia}
 * holds a compromised system or provider is compromised, and every system in a compromised credential's
 * {@code grantsAccessTo} is compromised in turn. Cycles end because a system and a credential are each visited
 * once; each indirect credential carries the shortest path of edges that reached it (breadth first).
 * {@code issuedBefore} bounds the whole radius: a credential issued after the breach was not stolen, and opens
 * nothing.
 */
@ApplicationScoped
public class BlastRadius {

    /**
     * A credential in the blast radius and why it is there.
     *
     * @param matchedBy the selector clauses that name it directly (empty for one only the graph reaches)
     * @param path      for one the graph reaches: the edges from what the selector named to it, in order (a provider
     *                  or system, then each credential and the system it grants access to); empty for a direct match
     */
    public record Match(Node credential, List<MatchReason> matchedBy, List<PathStep> path) {
    }

    /**
     * What the walk needs of a credential: its id, owner and system, and its edges. Read alone for the dry run (a
     * whole credential is twice the bytes); {@link #credentials} reads the whole ones of a radius that is reported.
     *
     * @param issued when its current value was set: its last rotation, or its registration
     */
    public record Node(String id, String ownerId, String systemId, List<String> tags, List<String> exposedVia,
                       List<String> grantsAccessTo, java.time.Instant issued) {
    }

    /**
     * One reason: a selector clause and the values of it that the credential matched.
     *
     * @param clause credentialIds, systems, providers, tags, owners or all
     */
    public record MatchReason(String clause, List<String> values) {
    }

    /**
     * One node on a path.
     *
     * @param via provider, system or credential
     * @param id  its id
     */
    public record PathStep(String via, String id) {
    }

    private static final int MAX_NAMED_UNKNOWN = 20;
    private static final String GRAPH = "SELECT id, owner_id, system_id, tags, exposed_via, grants_access_to,"
            + " coalesce(last_rotated_at, created_at) AS issued FROM credentials";
    private static final String BY_IDS = "SELECT " + CredentialRows.COLUMNS + " FROM credentials WHERE id = ANY($1)"
            + " ORDER BY id";

    private final Pool pool;

    BlastRadius(Pool pool) {
        this.pool = pool;
    }

    /**
     * Fails with a 400 naming them when {@code credentialIds} names credentials that do not exist: a typo in an
     * incident must not silently leave a credential out of the radius. Needs a session.
     */
    public Uni<Void> requireNamedCredentials(BreachSelector selector) {
        if (selector.credentialIds().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select c.id from Credential c where c.id in :ids", String.class)
                .setParameter("ids", selector.credentialIds()).getResultList())
                .map(found -> {
                    java.util.Set<String> known = new java.util.HashSet<>(found);
                    List<String> unknown = selector.credentialIds().stream().filter(id -> !known.contains(id))
                            .sorted().toList();
                    if (!unknown.isEmpty()) {
                        String named = String.join(", ", unknown.subList(0, Math.min(unknown.size(), MAX_NAMED_UNKNOWN)))
                                + (unknown.size() > MAX_NAMED_UNKNOWN
                                ? " and " + (unknown.size() - MAX_NAMED_UNKNOWN) + " more" : "");
                        throw ApiProblem.invalid("selector.credentialIds", "no such credential: " + named);
                    }
                    return null;
                }).replaceWithVoid();
    }


    /**
     * The radius of a non-empty selector, ordered by credential id. One read of every credential's graph columns by
     * the SQL client (Hibernate's managed entities of whole credentials made a 50,000-credential dry run take
     * 1.3-1.4 s), then the walk.
     */
    public Uni<List<Match>> of(BreachSelector selector) {
        return pool.query(GRAPH).execute().map(rows -> {
            List<Node> all = new ArrayList<>(rows.size());
            for (Row row : rows) {
                all.add(new Node(row.getString("id"), row.getString("owner_id"), row.getString("system_id"),
                        strings(row, "tags"), strings(row, "exposed_via"), strings(row, "grants_access_to"),
                        row.getOffsetDateTime("issued").toInstant()));
            }
            return closure(selector, all);
        });
    }

    /** The whole credentials of a radius, ordered by id (one deleted since the walk is absent). */
    public Uni<List<Credential>> credentials(List<Match> radius) {
        String[] ids = radius.stream().map(m -> m.credential().id()).toArray(String[]::new);
        return ids.length == 0 ? Uni.createFrom().item(List.of())
                : pool.preparedQuery(BY_IDS).execute(Tuple.of(ids)).map(rows -> {
                    List<Credential> credentials = new ArrayList<>(rows.size());
                    rows.forEach(row -> credentials.add(CredentialRows.credential(row)));
                    return credentials;
                });
    }

    private static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : java.util.Arrays.asList(values);
    }

    /** The radius over {@code credentials}, computed in memory: one read, then a breadth-first walk. */
    static List<Match> closure(BreachSelector selector, List<Node> credentials) {
        List<Node> candidates = credentials.stream()
                .filter(c -> selector.issuedBefore() == null || c.issued().isBefore(selector.issuedBefore()))
                .toList();
        Map<String, List<Node>> exposedThrough = new HashMap<>();
        for (Node c : candidates) {
            for (String via : c.exposedVia()) {
                exposedThrough.computeIfAbsent(via, k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, Match> radius = new LinkedHashMap<>();
        Map<String, List<PathStep>> compromised = new HashMap<>(); // system or provider -> the path that reached it
        Deque<String> frontier = new ArrayDeque<>();
        for (String system : selector.systems()) {
            reach(compromised, frontier, system, List.of(new PathStep("system", system)));
        }
        for (String provider : selector.providers()) {
            reach(compromised, frontier, provider, List.of(new PathStep("provider", provider)));
        }
        Selected selected = Selected.of(selector);
        for (Node c : candidates) {
            List<MatchReason> reasons = reasons(c, selected);
            if (!reasons.isEmpty()) {
                radius.put(c.id(), new Match(c, reasons, List.of()));
            }
        }
        for (Match direct : List.copyOf(radius.values())) {
            grants(direct, compromised, frontier);
        }
        while (!frontier.isEmpty()) {
            String node = frontier.poll();
            List<PathStep> path = compromised.get(node);
            for (Node c : exposedThrough.getOrDefault(node, List.of())) {
                if (!radius.containsKey(c.id())) {
                    Match reached = new Match(c, List.of(), path);
                    radius.put(c.id(), reached);
                    grants(reached, compromised, frontier);
                }
            }
        }
        return radius.values().stream().sorted(Comparator.comparing(m -> m.credential().id())).toList();
    }

    /** The systems {@code match}'s credential opens are compromised, reached through it. */
    private static void grants(Match match, Map<String, List<PathStep>> compromised, Deque<String> frontier) {
        Node c = match.credential();
        for (String system : c.grantsAccessTo()) {
            List<PathStep> path = new ArrayList<>(origin(match));
            path.add(new PathStep("credential", c.id()));
            path.add(new PathStep("system", system));
            reach(compromised, frontier, system, List.copyOf(path));
        }
    }

    /**
     * Where a path through {@code match} starts: its own path, or for a direct match the provider or system of the
     * selector that named it (none for the other clauses: the path starts at the credential).
     */
    private static List<PathStep> origin(Match match) {
        if (!match.path().isEmpty()) {
            return match.path();
        }
        for (MatchReason reason : match.matchedBy()) {
            if (reason.clause().equals("providers")) {
                return List.of(new PathStep("provider", reason.values().get(0)));
            }
            if (reason.clause().equals("systems")) {
                return List.of(new PathStep("system", reason.values().get(0)));
            }
        }
        return List.of();
    }

    private static void reach(Map<String, List<PathStep>> compromised, Deque<String> frontier, String node,
                              List<PathStep> path) {
        if (compromised.putIfAbsent(node, path) == null) {
            frontier.add(node);
        }
    }

    /** The selector's clauses as sets: a selector may name thousands of credential ids. */
    private record Selected(java.util.Set<String> credentialIds, java.util.Set<String> systems,
                            java.util.Set<String> providers, java.util.Set<String> tags, java.util.Set<String> owners,
                            boolean all) {
        static Selected of(BreachSelector selector) {
            return new Selected(new java.util.HashSet<>(selector.credentialIds()),
                    new java.util.HashSet<>(selector.systems()), new java.util.HashSet<>(selector.providers()),
                    new java.util.HashSet<>(selector.tags()), new java.util.HashSet<>(selector.owners()),
                    selector.all());
        }
    }

    private static List<MatchReason> reasons(Node c, Selected selector) {
        List<MatchReason> reasons = new ArrayList<>(1);
        add(reasons, "credentialIds", selector.credentialIds(), List.of(c.id()));
        add(reasons, "systems", selector.systems(), List.of(c.systemId()));
        add(reasons, "providers", selector.providers(), c.exposedVia());
        add(reasons, "tags", selector.tags(), c.tags());
        add(reasons, "owners", selector.owners(), c.ownerId() == null ? List.of() : List.of(c.ownerId()));
        if (selector.all()) {
            reasons.add(new MatchReason("all", List.of()));
        }
        return reasons;
    }

    private static void add(List<MatchReason> reasons, String clause, java.util.Set<String> selected,
                            List<String> actual) {
        if (selected.isEmpty() || actual.isEmpty()) {
            return; // most clauses of a selector are empty: no stream per credential for them
        }
        List<String> common = actual.stream().filter(selected::contains).distinct().toList();
        if (!common.isEmpty()) {
            reasons.add(new MatchReason(clause, common));
        }
    }
}
