package dev.rekey.inventory.campaign;

import dev.rekey.events.CauseType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * One rotation at a time per credential ({@code rotations_in_flight}, V22). A rotation is started only by claiming
 * its credential; the table's primary key decides between concurrent claims, so two campaigns, or two manual
 * rotations, never rotate one credential at once. A campaign row whose credential is claimed by another breach's
 * rotation follows that rotation instead of starting one: that rotation ends the user's sessions as well.
 *
 * <p>A breach takes over the claim of a routine rotation (SCHEDULED or MANUAL) instead of following it: that
 * rotation leaves the attacker's sessions open, and it may wait on the scheduled topic behind a backlog or on a
 * delayed retry, where an urgent rotation must not wait. The breach's own rotation-due goes out at once; the
 * superseded request still reaches a worker, which runs the two one after the other (a rotation waits for another
 * rotation's pending record in Vault), and its result no longer moves any campaign or the credential's state
 * ({@link RotationResults}). A claim that has expired ({@link StaleRotations}) is taken over as well. Every method
 * runs in the caller's transaction.
 */
@ApplicationScoped
public class InFlightRotations {

    // Rows in credential order, so that two campaigns claiming overlapping sets wait on each other instead of
    // deadlocking. A conflicting uncommitted claim is waited for: its commit makes this a follower, its rollback a
    // claim of our own.
    // A row lock on the claim orders this against the release by a result of the superseded rotation: whichever
    // comes second finds the claim changed or gone (and the loop then claims the credential afresh).
    private static final String TAKE_OVER = "UPDATE rotations_in_flight r SET rotation_id = bc.rotation_id,"
            + " cause = 'BREACH', requested_at = now(), heard_at = now(), expired_at = NULL"
            + " FROM breach_credentials bc WHERE bc.breach_id = :breachId AND bc.status = 'PENDING'"
            + " AND bc.follows_rotation_id IS NULL AND r.credential_id = bc.credential_id"
            + " AND (r.cause <> 'BREACH' OR r.expired_at IS NOT NULL)";
    private static final String CLAIM_CAMPAIGN = "INSERT INTO rotations_in_flight"
            + " (credential_id, rotation_id, cause, requested_at)"
            + " SELECT bc.credential_id, bc.rotation_id, 'BREACH', now() FROM breach_credentials bc"
            + " WHERE bc.breach_id = :breachId AND bc.status = 'PENDING' AND bc.follows_rotation_id IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM rotations_in_flight r WHERE r.rotation_id = bc.rotation_id)"
            + " ORDER BY bc.credential_id ON CONFLICT (credential_id) DO NOTHING";
    // FOR SHARE holds the claim we follow until we commit: the result that releases it (a DELETE, the first statement
    // of applying a final result) waits for us, and then its update sees our rows. A claim deleted before we lock
    // it is skipped, and the loop claims that credential for itself.
    private static final String FOLLOW = "WITH leaders AS (SELECT r.credential_id, r.rotation_id"
            + " FROM rotations_in_flight r WHERE r.cause = 'BREACH' AND r.expired_at IS NULL"
            + " AND r.credential_id IN (SELECT bc.credential_id FROM breach_credentials bc"
            + " WHERE bc.breach_id = :breachId AND bc.status = 'PENDING' AND bc.follows_rotation_id IS NULL)"
            + " AND NOT EXISTS (SELECT 1 FROM breach_credentials own WHERE own.rotation_id = r.rotation_id"
            + " AND own.breach_id = :breachId) ORDER BY r.credential_id FOR SHARE OF r)"
            + " UPDATE breach_credentials bc SET follows_rotation_id = l.rotation_id FROM leaders l"
            + " WHERE bc.breach_id = :breachId AND bc.credential_id = l.credential_id"
            + " AND bc.status = 'PENDING' AND bc.follows_rotation_id IS NULL";
    private static final String UNSETTLED = "SELECT count(*) FROM breach_credentials bc"
            + " WHERE bc.breach_id = :breachId AND bc.status = 'PENDING' AND bc.follows_rotation_id IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM rotations_in_flight r WHERE r.rotation_id = bc.rotation_id)";
    private static final String FOLLOWERS = "SELECT bc.rotation_id FROM breach_credentials bc"
            + " WHERE bc.breach_id = :breachId AND bc.status = 'PENDING' AND bc.follows_rotation_id IS NOT NULL";
    private static final String CLAIM_ONE = "INSERT INTO rotations_in_flight"
            + " (credential_id, rotation_id, cause, requested_at) VALUES (:credentialId, :rotationId, :cause, now())"
            + " ON CONFLICT (credential_id) DO NOTHING";
    private static final String RELEASE = "DELETE FROM rotations_in_flight WHERE rotation_id = :rotationId";
    private static final String HEARD =
            "UPDATE rotations_in_flight SET heard_at = now() WHERE rotation_id = :rotationId";
    private static final int MAX_ROUNDS = 10;

    /**
     * Settles every PENDING row of a campaign that has neither a claim nor a rotation to follow: each takes over the
     * claim of a routine or expired rotation, claims its credential, or follows the breach rotation already in flight
     * for it. Returns the rotation ids of the rows that
     * follow another rotation (no {@code rotation-due} must be sent for them).
     */
    public Uni<Set<UUID>> settle(Mutiny.Session session, UUID breachId) {
        return round(session, breachId, 1).chain(() -> session.createNativeQuery(FOLLOWERS, UUID.class)
                .setParameter("breachId", breachId).getResultList()).map(HashSet::new);
    }

    private Uni<Void> round(Mutiny.Session session, UUID breachId, int round) {
        return execute(session, TAKE_OVER, breachId)
                .chain(() -> execute(session, CLAIM_CAMPAIGN, breachId))
                .chain(() -> execute(session, FOLLOW, breachId))
                .chain(() -> session.createNativeQuery(UNSETTLED, Long.class).setParameter("breachId", breachId)
                        .getSingleResult())
                .chain(unsettled -> {
                    if (unsettled == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    if (round >= MAX_ROUNDS) {
                        // every round someone released a claim between our two statements: give up, roll back
                        throw new IllegalStateException("could not settle the rotations of breach " + breachId
                                + " after " + MAX_ROUNDS + " rounds");
                    }
                    return round(session, breachId, round + 1);
                });
    }

    /** Claims a credential for one rotation; false when another rotation of it is in flight. */
    public Uni<Boolean> claim(Mutiny.Session session, String credentialId, UUID rotationId, CauseType cause) {
        return session.createNativeQuery(CLAIM_ONE).setParameter("credentialId", credentialId)
                .setParameter("rotationId", rotationId).setParameter("cause", cause.name())
                .executeUpdate().map(inserted -> inserted == 1);
    }

    /** Releases the claim of a rotation that has its final result (nothing if it had none). */
    public Uni<Integer> release(Mutiny.Session session, UUID rotationId) {
        return session.createNativeQuery(RELEASE).setParameter("rotationId", rotationId).executeUpdate();
    }

    /** The worker reported on the rotation (a failed attempt it will try again): its claim is alive. */
    public Uni<Integer> heard(Mutiny.Session session, UUID rotationId) {
        return session.createNativeQuery(HEARD).setParameter("rotationId", rotationId).executeUpdate();
    }

    private static Uni<Integer> execute(Mutiny.Session session, String sql, UUID breachId) {
        return session.createNativeQuery(sql).setParameter("breachId", breachId).executeUpdate();
    }
}
