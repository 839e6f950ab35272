package dev.rekey.inventory.credential.service;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Problem;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.campaign.RunningCampaigns;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;
import dev.rekey.inventory.credential.rest.CredentialRequest;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.List;

/**
 * Registers, changes and deletes credentials. The checks here give clear answers; the database's unique constraints
 * (the credential id, the Vault secret, each downstream account) decide races between concurrent requests.
 */
@ApplicationScoped
public class CredentialRegistry {

    private static final String ACCOUNT_OWNER = "SELECT credential_id FROM downstream_accounts"
            + " WHERE system_id = :system AND username = :username";

    private final CredentialRules rules;
    private final RunningCampaigns campaigns;
    private final AuditLog audit;

    CredentialRegistry(CredentialRules rules, RunningCampaigns campaigns, AuditLog audit) {
        this.rules = rules;
        this.campaigns = campaigns;
        this.audit = audit;
    }

    /** Registers a credential; must run inside a transaction. */
    public Uni<Credential> register(CredentialRequest request, Caller caller) {
        if (request.id() == null) {
            throw ApiProblem.invalid("id", "must not be null");
        }
        requireValid(request, caller);
        Credential credential = new Credential();
        credential.id = request.id();
        credential.status = CredentialStatus.ACTIVE;
        credential.createdAt = StoredInstant.now();
        return Credential.<Credential>findById(request.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("a credential with this id exists already",
                                List.of(new Problem.FieldError("id", "is taken")));
                    }
                })
                .chain(() -> requireFree(request, null))
                .chain(() -> requireReferences(request, caller))
                .chain(() -> {
                    List<String> fields = rules.apply(credential, request, caller);
                    return credential.<Credential>persist()
                            .call(() -> audit.record(caller, AuditAction.CREDENTIAL_CREATED, credential.id, fields,
                                    null));
                });
    }

    /**
     * Changes a credential that no running campaign rotates; must run inside a transaction. An owner may change only
     * its own credentials (others' are 404) and cannot give one away.
     */
    public Uni<Credential> update(String id, CredentialRequest request, Caller caller) {
        if (request.id() != null && !request.id().equals(id)) {
            throw ApiProblem.invalid("id", "must be the id of the URL or left out");
        }
        // someone else's credential is a 404 before anything about the request is said
        return locked(id, caller)
                .invoke(() -> requireValid(request, caller))
                .call(() -> refuseWhileRotating(id, "changed"))
                .call(() -> requireFree(request, id))
                .call(() -> requireReferences(request, caller))
                .chain(credential -> {
                    List<String> changed = rules.apply(credential, request, caller);
                    if (credential.status == CredentialStatus.UNOWNED) {
                        // claimed: it has an owner and a user now, so rekey may rotate it
                        credential.status = CredentialStatus.ACTIVE;
                        changed.add("status");
                    }
                    return changed.isEmpty() ? Uni.createFrom().item(credential)
                            : audit.record(caller, AuditAction.CREDENTIAL_UPDATED, id, changed, null)
                            .replaceWith(credential);
                });
    }

    /** Deletes a credential that no running campaign rotates; must run inside a transaction. */
    public Uni<Void> delete(String id, Caller caller) {
        return locked(id, caller)
                .call(() -> refuseWhileRotating(id, "deleted"))
                .chain(credential -> credential.delete())
                .call(() -> audit.record(caller, AuditAction.CREDENTIAL_DELETED, id, List.of(), null));
    }

    private void requireValid(CredentialRequest request, Caller caller) {
        List<Problem.FieldError> errors = rules.check(request, caller);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }

    /** The credential, row-locked, so that a campaign that starts now waits until this change commits. */
    private static Uni<Credential> locked(String id, Caller caller) {
        return Credential.<Credential>findById(id, LockModeType.PESSIMISTIC_WRITE).map(credential -> {
            if (credential == null || !caller.maySee(credential.ownerId)) {
                throw ApiProblem.notFound("credential", id);
            }
            return credential;
        });
    }

    private Uni<Void> refuseWhileRotating(String id, String what) {
        return campaigns.rotate(id).invoke(rotating -> {
            if (rotating) {
                throw ApiProblem.conflict("a running breach campaign still rotates this credential; it can be "
                        + what + " once the campaign is done");
            }
        }).replaceWithVoid();
    }

    /** 409 when the Vault secret or a downstream account belongs to another credential than {@code self}. */
    private static Uni<Void> requireFree(CredentialRequest request, String self) {
        List<Problem.FieldError> taken = new ArrayList<>();
        return Credential.<Credential>find("vaultMount = ?1 and vaultPath = ?2", request.vaultMount(),
                        request.vaultPath()).firstResult()
                .invoke(other -> {
                    if (other != null && !other.id.equals(self)) {
                        taken.add(new Problem.FieldError("vaultPath",
                                "another credential is registered for this Vault secret"));
                    }
                })
                .chain(() -> accountHolder(request.systemId(), request.username()))
                .invoke(holder -> {
                    if (holder != null && !holder.equals(self)) {
                        taken.add(new Problem.FieldError("username",
                                "another credential is registered for this account of the system"));
                    }
                })
                .chain(() -> accountHolder(request.systemId(), request.alternateUsername()))
                .invoke(holder -> {
                    if (holder != null && !holder.equals(self)) {
                        taken.add(new Problem.FieldError("alternateUsername",
                                "another credential is registered for this account of the system"));
                    }
                    if (!taken.isEmpty()) {
                        throw ApiProblem.conflict("the Vault secret or the downstream account belongs to another"
                                + " credential", taken);
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<String> accountHolder(String systemId, String username) {
        if (username == null) {
            return Uni.createFrom().nullItem();
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(ACCOUNT_OWNER, String.class)
                .setParameter("system", systemId).setParameter("username", username)
                .getResultList()).map(ids -> ids.isEmpty() ? null : ids.get(0));
    }

    private Uni<Void> requireReferences(CredentialRequest request, Caller caller) {
        String ownerId = rules.ownerOf(request, caller);
        List<Problem.FieldError> missing = new ArrayList<>();
        return DownstreamSystem.<DownstreamSystem>findById(request.systemId())
                .invoke(system -> {
                    if (system == null) {
                        missing.add(new Problem.FieldError("systemId", "no such system"));
                        return;
                    }
                    Problem.FieldError unfit = rules.checkSystem(request, system);
                    if (unfit != null) {
                        throw ApiProblem.invalid(List.of(unfit));
                    }
                })
                .chain(() -> Owner.count("id", ownerId))
                .invoke(n -> {
                    if (n == 0) {
                        missing.add(new Problem.FieldError("ownerId", "no such owner"));
                    }
                    if (!missing.isEmpty()) {
                        throw ApiProblem.unresolvable(missing);
                    }
                })
                .replaceWithVoid();
    }
}
