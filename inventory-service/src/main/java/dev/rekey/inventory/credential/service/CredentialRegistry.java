package dev.rekey.inventory.credential.service;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Problem;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;
import dev.rekey.inventory.credential.rest.CredentialRequest;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Registers credentials after checking that their id and secret are new and that what they refer to exists. */
@ApplicationScoped
public class CredentialRegistry {

    private final RotationPolicyDefaults defaults;

    CredentialRegistry(RotationPolicyDefaults defaults) {
        this.defaults = defaults;
    }

    /** Registers a credential; must run inside a transaction. */
    public Uni<Credential> register(CredentialRequest request, Caller caller) {
        if (!caller.maySee(request.ownerId())) {
            throw ApiProblem.forbidden("an owner may register credentials only for itself");
        }
        return Credential.<Credential>findById(request.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("a credential with id '" + request.id() + "' exists already");
                    }
                })
                .chain(() -> Credential.count("vaultMount = ?1 and vaultPath = ?2", request.vaultMount(),
                        request.vaultPath()))
                .invoke(sameSecret -> {
                    if (sameSecret > 0) {
                        throw ApiProblem.conflict("another credential is registered for the secret "
                                + request.vaultMount() + "/" + request.vaultPath());
                    }
                })
                .chain(() -> requireReferences(request))
                .chain(() -> toCredential(request).persist());
    }

    private Uni<Void> requireReferences(CredentialRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        return DownstreamSystem.count("id", request.systemId())
                .invoke(n -> {
                    if (n == 0) {
                        errors.add(new Problem.FieldError("systemId", "no such system"));
                    }
                })
                .chain(() -> Owner.count("id", request.ownerId()))
                .invoke(n -> {
                    if (n == 0) {
                        errors.add(new Problem.FieldError("ownerId", "no such owner"));
                    }
                    if (!errors.isEmpty()) {
                        throw ApiProblem.unresolvable(errors);
                    }
                })
                .replaceWithVoid();
    }

    private Credential toCredential(CredentialRequest r) {
        Credential c = new Credential();
        c.id = r.id();
        c.name = r.name();
        c.kind = r.kind();
        c.vaultMount = r.vaultMount();
        c.vaultPath = r.vaultPath();
        c.username = r.username();
        c.systemId = r.systemId();
        c.ownerId = r.ownerId();
        c.tags = r.tags() == null ? List.of() : List.copyOf(r.tags());
        c.exposedVia = r.exposedVia() == null ? List.of() : List.copyOf(r.exposedVia());
        c.grantsAccessTo = r.grantsAccessTo() == null ? List.of() : List.copyOf(r.grantsAccessTo());
        var policy = r.rotationPolicy();
        c.maxAgeDays = policy == null || policy.maxAgeDays() == null ? defaults.maxAgeDays() : policy.maxAgeDays();
        c.generator = policy == null || policy.generator() == null ? defaults.generator() : policy.generator();
        c.strategy = policy == null || policy.strategy() == null ? defaults.strategy() : policy.strategy();
        c.status = CredentialStatus.ACTIVE;
        c.createdAt = StoredInstant.now();
        return c;
    }
}
