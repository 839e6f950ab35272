package dev.rekey.notifier.campaign;

import dev.rekey.events.BreachReported;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The campaign tables, inside the caller's transaction. */
@ApplicationScoped
public class CampaignStore {

    // Serialises the transactions that touch one owner's campaign. Without it, the breach event and the last
    // outcome (or two last outcomes on different topics) could commit concurrently, each one blind to the other's
    // row, and neither would see the campaign complete.
    private static final String LOCK = """
            SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked""";

    private static final String UPSERT_OWNER = """
            INSERT INTO campaign_owners (breach_id, owner_id, email, title, expected_count, reported_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (breach_id, owner_id) DO UPDATE
            SET email = excluded.email, title = excluded.title, expected_count = excluded.expected_count,
                reported_at = excluded.reported_at""";

    private static final String INSERT_OUTCOME = """
            INSERT INTO rotation_outcomes (rotation_id, breach_id, owner_id, credential_id, outcome, version,
                                           vault_path, failed_step, reason, old_credential_valid, occurred_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            ON CONFLICT (rotation_id) DO NOTHING""";

    // Counted from the outcome rows, never from a counter: they may have arrived before the breach event.
    private static final String SUMMARY_DUE = """
            SELECT (SELECT count(DISTINCT o.credential_id) FROM rotation_outcomes o
                    WHERE o.breach_id = c.breach_id AND o.owner_id = c.owner_id) >= c.expected_count
                   AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.breach_id = c.breach_id
                                   AND d.owner_id = c.owner_id AND d.kind = 'BREACH_SUMMARY')
            FROM campaign_owners c WHERE c.breach_id = ?1 AND c.owner_id = ?2""";

    /** Holds this owner's campaign lock until the transaction ends. */
    public Uni<Void> lock(UUID breachId, String ownerId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK, Integer.class)
                .setParameter(1, breachId + "/" + ownerId).getSingleResult()).replaceWithVoid();
    }

    public Uni<Void> upsertOwner(BreachReported breach, BreachReported.OwnerCount owner) {
        return Panache.getSession().chain(session -> session.createNativeQuery(UPSERT_OWNER)
                .setParameter(1, breach.breachId()).setParameter(2, owner.ownerId())
                .setParameter(3, owner.email()).setParameter(4, breach.title())
                .setParameter(5, owner.count()).setParameter(6, breach.reportedAt())
                .executeUpdate()).replaceWithVoid();
    }

    /** Records an outcome once; a redelivered event changes nothing. */
    public Uni<Void> insertOutcome(Outcome outcome) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT_OUTCOME)
                .setParameter(1, outcome.rotationId()).setParameter(2, outcome.breachId())
                .setParameter(3, outcome.ownerId()).setParameter(4, outcome.credentialId())
                .setParameter(5, outcome.kind().name()).setParameter(6, outcome.version())
                .setParameter(7, outcome.vaultPath()).setParameter(8, outcome.failedStep())
                .setParameter(9, outcome.reason()).setParameter(10, outcome.oldCredentialValid())
                .setParameter(11, outcome.at())
                .executeUpdate()).replaceWithVoid();
    }

    /** True when the owner's campaign is known, all of its credentials are done and no summary exists yet. */
    public Uni<Boolean> summaryDue(UUID breachId, String ownerId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SUMMARY_DUE, Boolean.class)
                .setParameter(1, breachId).setParameter(2, ownerId).getSingleResultOrNull())
                .map(Boolean.TRUE::equals);
    }

    public Uni<CampaignOwner> owner(UUID breachId, String ownerId) {
        return CampaignOwner.find("breachId = ?1 and ownerId = ?2", breachId, ownerId).firstResult();
    }

    public Uni<List<RotationOutcome>> outcomes(UUID breachId, String ownerId) {
        return RotationOutcome.list("breachId = ?1 and ownerId = ?2 order by credentialId, occurredAt", breachId,
                ownerId);
    }
}
