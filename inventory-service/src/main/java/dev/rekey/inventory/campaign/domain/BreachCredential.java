package dev.rekey.inventory.campaign.domain;

import dev.rekey.inventory.persistence.JsonRows;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One credential of a breach campaign, keyed by the rotation id that the worker's result events carry. */
@Entity
@Table(name = "breach_credentials")
public class BreachCredential extends PanacheEntityBase {

    private static final String INSERT_ALL = "INSERT INTO breach_credentials (rotation_id, breach_id, credential_id,"
            + " owner_id, status, reason, attempts, updated_at) SELECT rotation_id, breach_id, credential_id, owner_id,"
            + " status, reason, attempts, updated_at FROM " + JsonRows.RECORDSET + " AS r(rotation_id uuid, breach_id uuid, credential_id text, owner_id text, status text, reason text,"
            + " attempts int, updated_at timestamptz)";

    @Id
    @Column(name = "rotation_id")
    public UUID rotationId;

    @Column(name = "breach_id")
    public UUID breachId;

    /**
     * The rotation of another campaign (or a manual one) that was already in flight for this credential when this
     * row was opened: this row follows its results instead of starting a rotation. Null for a rotation of its own.
     */
    @Column(name = "follows_rotation_id")
    public UUID followsRotationId;

    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "owner_id")
    public String ownerId;

    @Enumerated(EnumType.STRING)
    public BreachCredentialStatus status;

    /** The KV v2 version holding the new value, once rotated. */
    public Long version;

    /** The KV v2 version the new value replaced, once rotated. */
    @Column(name = "previous_version")
    public Long previousVersion;

    /** When the worker verified the new value (a login with it), once rotated: its {@code rotatedAt}. */
    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** Who asked for the retry pass that rotates this row again; null before any retry. */
    @Column(name = "retried_by")
    public String retriedBy;

    @Column(name = "retried_at")
    public Instant retriedAt;

    /** Why the last attempt failed; never a secret value. */
    public String reason;

    public int attempts;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * Inserts a new campaign's rows in the session's transaction with one statement (they stay unmanaged): 5,000
     * rows cost one round trip instead of a batch of inserts, a managed entity each and their dirty checks.
     */
    public static Uni<Integer> insertAll(Mutiny.Session session, List<BreachCredential> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String json = JsonRows.encode(rows, row -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("rotation_id", row.rotationId);
            c.put("breach_id", row.breachId);
            c.put("credential_id", row.credentialId);
            c.put("owner_id", row.ownerId);
            c.put("status", row.status.name());
            c.put("reason", row.reason);
            c.put("attempts", row.attempts);
            c.put("updated_at", row.updatedAt);
            return c;
        });
        return session.createNativeQuery(INSERT_ALL).setParameter("rows", json).executeUpdate();
    }

    /** The rotation whose results decide this row: the one it follows, or its own. */
    public UUID effectiveRotationId() {
        return followsRotationId != null ? followsRotationId : rotationId;
    }
}
