package dev.rekey.inventory.credential.domain;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * Credentials read by the reactive SQL client instead of Hibernate, for the reads that take the whole inventory at
 * once (the blast radius): the objects are plain, not managed by a session, so 50,000 of them cost a row mapping
 * each instead of an entity with its dirty-checking snapshot. Never persist or merge one.
 */
public final class CredentialRows {

    /** Every column of {@code credentials} that {@link #credential} maps. */
    public static final String COLUMNS = "id, name, kind, vault_mount, vault_path, username, alternate_username,"
            + " system_id, owner_id, tags, exposed_via, grants_access_to, policy_max_age_days, policy_generator,"
            + " policy_strategy, last_rotated_at, version, status, created_at";

    private CredentialRows() {
    }

    /** The credential of a row that holds {@link #COLUMNS}. */
    public static Credential credential(Row row) {
        Credential c = new Credential();
        c.id = row.getString("id");
        c.name = row.getString("name");
        c.kind = row.getString("kind");
        c.vaultMount = row.getString("vault_mount");
        c.vaultPath = row.getString("vault_path");
        c.username = row.getString("username");
        c.alternateUsername = row.getString("alternate_username");
        c.systemId = row.getString("system_id");
        c.ownerId = row.getString("owner_id");
        c.tags = strings(row, "tags");
        c.exposedVia = strings(row, "exposed_via");
        c.grantsAccessTo = strings(row, "grants_access_to");
        c.maxAgeDays = row.getInteger("policy_max_age_days");
        c.generator = row.getString("policy_generator");
        c.strategy = row.getString("policy_strategy");
        OffsetDateTime rotated = row.getOffsetDateTime("last_rotated_at");
        c.lastRotatedAt = rotated == null ? null : rotated.toInstant();
        c.vaultVersion = row.getLong("version");
        c.status = CredentialStatus.valueOf(row.getString("status"));
        c.createdAt = row.getOffsetDateTime("created_at").toInstant();
        return c;
    }

    private static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : Arrays.asList(values);
    }
}
