package dev.rekey.inventory.credential.bulk;

import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Problem;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.rest.CredentialRequest;
import dev.rekey.inventory.credential.service.CredentialRules;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a bulk import on their way to the database: duplicates within the import are caught as rows arrive,
 * collisions with the inventory and unknown references per batch, and a batch is inserted with one statement
 * (arrays unnested into rows) while the import has no error.
 */
final class BulkBatch {

    private static final String EXISTING_IDS = "SELECT id FROM credentials WHERE id = ANY($1::text[])";
    private static final String EXISTING_SECRETS = "SELECT c.vault_mount || '/' || c.vault_path FROM credentials c"
            + " JOIN unnest($1::text[], $2::text[]) AS s(m, p) ON c.vault_mount = s.m AND c.vault_path = s.p";
    private static final String EXISTING_ACCOUNTS = "SELECT a.system_id || '/' || a.username FROM downstream_accounts a"
            + " JOIN unnest($1::text[], $2::text[]) AS s(sys, u) ON a.system_id = s.sys AND a.username = s.u";
    private static final String SYSTEMS = "SELECT id, type FROM systems WHERE id = ANY($1::text[])";
    private static final String OWNERS = "SELECT id FROM owners WHERE id = ANY($1::text[])";
    private static final String INSERT = "INSERT INTO credentials (id, name, kind, vault_mount, vault_path, username,"
            + " alternate_username, system_id, owner_id, tags, exposed_via, grants_access_to, policy_max_age_days,"
            + " policy_generator, policy_strategy, status, created_at)"
            + " SELECT id, name, kind, m, p, u, au, sys, own, tags::text[], ev::text[], gat::text[], age, gen, strat,"
            + " 'ACTIVE', $16 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
            + " $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::text[],"
            + " $15::text[]) AS r(id, name, kind, m, p, u, au, sys, own, tags, ev, gat, age, gen, strat)";

    /** A row that passed the checks of its own, with the credential it becomes. */
    private record Pending(int row, CredentialRequest request, Credential credential) {
    }

    private final SqlConnection connection;
    private final CredentialRules rules;
    private final Duration timeout;
    private final List<Pending> pending = new ArrayList<>();
    // the first row of each id, secret and account in this import
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Integer> secrets = new HashMap<>();
    private final Map<String, Integer> accounts = new HashMap<>();
    private final Map<String, String> systemTypes = new HashMap<>();
    private final Set<String> owners = new HashSet<>();

    BulkBatch(SqlConnection connection, CredentialRules rules, Duration timeout) {
        this.connection = connection;
        this.rules = rules;
        this.timeout = timeout;
    }

    int size() {
        return pending.size();
    }

    /** Takes a row that is valid on its own, unless it repeats an id, secret or account of an earlier row. */
    void add(BulkRows.Row row, Caller caller, BulkErrors errors) {
        CredentialRequest r = row.request();
        List<Problem.FieldError> repeated = new ArrayList<>();
        once(ids, r.id(), row.number(), "id", repeated);
        once(secrets, r.vaultMount() + "/" + r.vaultPath(), row.number(), "vaultPath", repeated);
        once(accounts, r.systemId() + "/" + r.username(), row.number(), "username", repeated);
        if (r.alternateUsername() != null) {
            once(accounts, r.systemId() + "/" + r.alternateUsername(), row.number(), "alternateUsername", repeated);
        }
        if (!repeated.isEmpty()) {
            errors.add(BulkErrors.Kind.INVALID, repeated);
            return;
        }
        Credential credential = new Credential();
        credential.id = r.id();
        rules.apply(credential, r, caller);
        pending.add(new Pending(row.number(), r, credential));
    }

    /**
     * Checks the pending rows against the inventory and, while the import has no error, inserts them; returns the
     * ids inserted.
     */
    List<String> flush(BulkErrors errors) {
        if (pending.isEmpty()) {
            return List.of();
        }
        Set<String> takenIds = strings(EXISTING_IDS, Tuple.of(column(p -> p.credential().id)));
        Set<String> takenSecrets = strings(EXISTING_SECRETS, Tuple.of(column(p -> p.credential().vaultMount),
                column(p -> p.credential().vaultPath)));
        List<String[]> accountColumns = accountColumns();
        Set<String> takenAccounts = strings(EXISTING_ACCOUNTS, Tuple.of(accountColumns.get(0), accountColumns.get(1)));
        resolveSystems();
        resolveOwners();
        List<Pending> clean = new ArrayList<>();
        for (Pending p : pending) {
            List<Problem.FieldError> conflicts = new ArrayList<>();
            List<Problem.FieldError> unresolved = new ArrayList<>();
            List<Problem.FieldError> invalid = new ArrayList<>();
            Credential c = p.credential();
            if (takenIds.contains(c.id)) {
                conflicts.add(new Problem.FieldError(p.row(), "id", "a credential with this id exists already"));
            }
            if (takenSecrets.contains(c.vaultMount + "/" + c.vaultPath)) {
                conflicts.add(new Problem.FieldError(p.row(), "vaultPath",
                        "another credential is registered for this Vault secret"));
            }
            if (takenAccounts.contains(c.systemId + "/" + c.username)) {
                conflicts.add(new Problem.FieldError(p.row(), "username",
                        "another credential is registered for this account of the system"));
            }
            if (c.alternateUsername != null && takenAccounts.contains(c.systemId + "/" + c.alternateUsername)) {
                conflicts.add(new Problem.FieldError(p.row(), "alternateUsername",
                        "another credential is registered for this account of the system"));
            }
            String type = systemTypes.get(c.systemId);
            if (type == null) {
                unresolved.add(new Problem.FieldError(p.row(), "systemId", "no such system"));
            } else {
                DownstreamSystem system = new DownstreamSystem();
                system.type = type;
                Problem.FieldError unfit = rules.checkSystem(p.request(), system);
                if (unfit != null) {
                    invalid.add(new Problem.FieldError(p.row(), unfit.field(), unfit.message()));
                }
            }
            if (!owners.contains(c.ownerId)) {
                unresolved.add(new Problem.FieldError(p.row(), "ownerId", "no such owner"));
            }
            errors.add(BulkErrors.Kind.CONFLICT, conflicts);
            errors.add(BulkErrors.Kind.UNRESOLVED, unresolved);
            errors.add(BulkErrors.Kind.INVALID, invalid);
            if (conflicts.isEmpty() && unresolved.isEmpty() && invalid.isEmpty()) {
                clean.add(p);
            }
        }
        pending.clear();
        if (!errors.isEmpty() || clean.isEmpty()) {
            // the import fails anyway: keep checking the rows, stop writing them
            return List.of();
        }
        insert(clean);
        return clean.stream().map(p -> p.credential().id).toList();
    }

    private void insert(List<Pending> rows) {
        Tuple values = Tuple.tuple();
        List<java.util.function.Function<Credential, String>> text = List.of(c -> c.id, c -> c.name, c -> c.kind,
                c -> c.vaultMount, c -> c.vaultPath, c -> c.username, c -> c.alternateUsername, c -> c.systemId,
                c -> c.ownerId, c -> arrayLiteral(c.tags), c -> arrayLiteral(c.exposedVia),
                c -> arrayLiteral(c.grantsAccessTo));
        for (var column : text) {
            values.addValue(rows.stream().map(p -> column.apply(p.credential())).toArray(String[]::new));
        }
        values.addValue(rows.stream().map(p -> p.credential().maxAgeDays).toArray(Integer[]::new));
        values.addValue(rows.stream().map(p -> p.credential().generator).toArray(String[]::new));
        values.addValue(rows.stream().map(p -> p.credential().strategy).toArray(String[]::new));
        values.addValue(StoredInstant.now().atOffset(ZoneOffset.UTC));
        connection.preparedQuery(INSERT).execute(values).await().atMost(timeout);
    }

    /** Ids and tags match {@code [a-z0-9._-]}: written bare, they need no quoting inside an array literal. */
    private static String arrayLiteral(List<String> values) {
        return "{" + String.join(",", values) + "}";
    }

    private void resolveSystems() {
        String[] unknown = pending.stream().map(p -> p.credential().systemId)
                .filter(id -> !systemTypes.containsKey(id)).distinct().toArray(String[]::new);
        if (unknown.length > 0) {
            for (Row row : query(SYSTEMS, Tuple.of(unknown))) {
                systemTypes.put(row.getString("id"), row.getString("type"));
            }
        }
    }

    private void resolveOwners() {
        String[] unknown = pending.stream().map(p -> p.credential().ownerId)
                .filter(id -> !owners.contains(id)).distinct().toArray(String[]::new);
        if (unknown.length > 0) {
            owners.addAll(strings(OWNERS, Tuple.of(unknown)));
        }
    }

    private List<String[]> accountColumns() {
        List<String> systems = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (Pending p : pending) {
            Credential c = p.credential();
            systems.add(c.systemId);
            users.add(c.username);
            if (c.alternateUsername != null) {
                systems.add(c.systemId);
                users.add(c.alternateUsername);
            }
        }
        return List.of(systems.toArray(String[]::new), users.toArray(String[]::new));
    }

    private String[] column(java.util.function.Function<Pending, String> value) {
        return pending.stream().map(value).toArray(String[]::new);
    }

    private Set<String> strings(String sql, Tuple params) {
        Set<String> values = new HashSet<>();
        for (Row row : query(sql, params)) {
            values.add(row.getString(0));
        }
        return values;
    }

    private Iterable<Row> query(String sql, Tuple params) {
        return connection.preparedQuery(sql).execute(params).await().atMost(timeout);
    }

    private static void once(Map<String, Integer> seen, String key, int row, String field,
                             List<Problem.FieldError> repeated) {
        Integer first = seen.putIfAbsent(key, row);
        if (first != null) {
            repeated.add(new Problem.FieldError(row, field, "repeats row " + first + " of this import"));
        }
    }
}
