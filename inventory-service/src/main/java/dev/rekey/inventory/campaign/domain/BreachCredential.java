package dev.rekey.inventory.campaign.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One credential of a breach campaign, keyed by the rotation id that the worker's result events carry. */
@Entity
@Table(name = "breach_credentials")
public class BreachCredential extends PanacheEntityBase {

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

    /** The rotation whose results decide this row: the one it follows, or its own. */
    public UUID effectiveRotationId() {
        return followsRotationId != null ? followsRotationId : rotationId;
    }
}
