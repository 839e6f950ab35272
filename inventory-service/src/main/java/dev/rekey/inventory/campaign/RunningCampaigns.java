package dev.rekey.inventory.campaign;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether a breach campaign still waits for a rotation of a credential: while it does, the credential and its
 * system must not change under the worker, nor disappear from the campaign's evidence.
 */
@ApplicationScoped
public class RunningCampaigns {

    private static final String OF_CREDENTIAL = "SELECT count(*) FROM breach_credentials"
            + " WHERE credential_id = :id AND status IN ('PENDING', 'RETRYING')";
    private static final String OF_SYSTEM = "SELECT count(*) FROM breach_credentials bc"
            + " JOIN credentials c ON c.id = bc.credential_id WHERE c.system_id = :id"
            + " AND bc.status IN ('PENDING', 'RETRYING')";

    /** Whether a running campaign rotates this credential; needs a session. */
    public Uni<Boolean> rotate(String credentialId) {
        return count(OF_CREDENTIAL, credentialId);
    }

    /** Whether a running campaign rotates a credential of this system; needs a session. */
    public Uni<Boolean> rotateOnSystem(String systemId) {
        return count(OF_SYSTEM, systemId);
    }

    private static Uni<Boolean> count(String sql, String id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(sql, Long.class)
                .setParameter("id", id).getSingleResult()).map(n -> n > 0);
    }
}
