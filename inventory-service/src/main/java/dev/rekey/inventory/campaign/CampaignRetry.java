package dev.rekey.inventory.campaign;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.campaign.domain.Breach;
import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.campaign.domain.BreachRetry;
import dev.rekey.inventory.credential.domain.Credential;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A retry pass ({@code POST /breaches/{id}/retry}): every FAILED credential of a finished campaign that can be
 * rotated now gets a new rotation id and starts again like a new campaign's (claimed, or joining a rotation in
 * flight; urgent, through the outbox), the campaign runs again, and the pass is recorded and audited. All in the
 * caller's transaction; a refusal writes nothing.
 */
@ApplicationScoped
public class CampaignRetry {

    private static final Logger LOG = Logger.getLogger(CampaignRetry.class);

    // A credential deleted since, or without an owner or a user, cannot be rotated: its row stays FAILED with its
    // reason. gen_random_uuid(): the new rotation id, the worker's idempotency key for the new attempt.
    private static final String RESTART = "UPDATE breach_credentials bc SET rotation_id = gen_random_uuid(),"
            + " follows_rotation_id = NULL, status = 'PENDING', reason = NULL, attempts = 0, version = NULL,"
            + " previous_version = NULL, verified_at = NULL, owner_id = c.owner_id, retried_by = :by,"
            + " retried_at = :at, updated_at = :at FROM credentials c WHERE bc.breach_id = :breachId"
            + " AND bc.status = 'FAILED' AND c.id = bc.credential_id AND c.owner_id IS NOT NULL"
            + " AND c.username IS NOT NULL";

    private final CampaignProgress progress;
    private final CampaignFanOut fanOut;
    private final AuditLog audit;

    CampaignRetry(CampaignProgress progress, CampaignFanOut fanOut, AuditLog audit) {
        this.progress = progress;
        this.fanOut = fanOut;
        this.audit = audit;
    }

    /** Retries the campaign's failed credentials; returns the campaign as it runs again. */
    public Uni<CampaignProgress.Campaign> retry(UUID breachId, Caller caller) {
        // the breach row's lock makes concurrent retries of one campaign take turns: the second sees it running
        return Breach.<Breach>findById(breachId, LockModeType.PESSIMISTIC_WRITE).chain(breach -> {
            if (breach == null) {
                throw ApiProblem.notFound("breach", breachId.toString());
            }
            return progress.of(List.of(breachId)).chain(all -> {
                CampaignProgress.Counts counts = all.getOrDefault(breachId, CampaignProgress.Counts.NONE);
                if (counts.pending() + counts.retrying() > 0) {
                    throw ApiProblem.conflict("campaign-running", "Campaign running", (counts.pending()
                            + counts.retrying()) + " credential(s) of breach " + breachId + " are still being"
                            + " rotated; retry once the campaign has completed");
                }
                if (counts.failed() == 0) {
                    throw nothingToRetry("no credential of breach " + breachId + " failed");
                }
                return Panache.getSession().chain(session -> restart(session, breach, caller, counts.failed()));
            });
        });
    }

    private Uni<CampaignProgress.Campaign> restart(Mutiny.Session session, Breach breach, Caller caller,
                                                   long failed) {
        Instant now = StoredInstant.now();
        return session.createNativeQuery(RESTART).setParameter("breachId", breach.id)
                .setParameter("by", caller.subject()).setParameter("at", now).executeUpdate()
                .chain(restarted -> {
                    if (restarted == 0) {
                        throw nothingToRetry(failed + " credential(s) of breach " + breach.id + " failed, and none"
                                + " can be rotated yet: each has no owner or no downstream user, or was deleted;"
                                + " complete them (PUT /api/v1/credentials/{id}) and retry");
                    }
                    BreachRetry pass = new BreachRetry();
                    pass.breachId = breach.id;
                    pass.retriedBy = caller.subject();
                    pass.retriedAt = now;
                    pass.count = restarted;
                    breach.completedAt = null;
                    return session.persist(pass).chain(session::flush).chain(() -> started(breach.id))
                            .chain(rows -> start(session, breach, rows, now))
                            .chain(joined -> audit.record(caller, AuditAction.BREACH_RETRIED, breach.id.toString(),
                                            List.of(), restarted + " failed credential(s) rotated again")
                                    .invoke(() -> LOG.infof("breach %s retried by %s: %d credential(s) rotated again,"
                                            + " %d of them joining a rotation in flight", breach.id, caller.subject(),
                                            restarted, joined)));
                })
                .chain(() -> progress.campaign(breach.id));
    }

    private Uni<Integer> start(Mutiny.Session session, Breach breach, List<CampaignFanOut.Started> rows,
                               Instant now) {
        List<Credential> credentials = rows.stream().map(CampaignFanOut.Started::credential).toList();
        return CampaignFanOut.systemsOf(credentials).chain(systems -> CampaignFanOut.ownersOf(credentials)
                .chain(owners -> fanOut.start(session, breach.id, rows, systems, owners, now)))
                .map(java.util.Set::size);
    }

    /** The campaign's PENDING rows (those just restarted) with their credentials. */
    private static Uni<List<CampaignFanOut.Started>> started(UUID breachId) {
        return BreachCredential.<BreachCredential>list("breachId = ?1 and status = ?2", breachId,
                        BreachCredentialStatus.PENDING)
                .chain(rows -> Credential.<Credential>list("id in (select bc.credentialId from BreachCredential bc"
                                + " where bc.breachId = ?1 and bc.status = ?2)", breachId, BreachCredentialStatus.PENDING)
                        .map(credentials -> {
                            Map<String, Credential> byId = credentials.stream()
                                    .collect(Collectors.toMap(c -> c.id, Function.identity()));
                            return rows.stream().map(row -> new CampaignFanOut.Started(row, byId.get(row.credentialId)))
                                    .toList();
                        }));
    }

    private static ApiProblem nothingToRetry(String detail) {
        return ApiProblem.conflict("nothing-to-retry", "Nothing to retry", detail);
    }
}
