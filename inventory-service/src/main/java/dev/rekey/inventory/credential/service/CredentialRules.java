package dev.rekey.inventory.credential.service;

import dev.rekey.events.GeneratorPolicy;
import dev.rekey.events.RotationStrategy;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Problem;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.rest.CredentialRequest;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rules of a credential that span fields or depend on the caller, the same for a single registration, an update
 * and every row of a bulk import. Bean Validation has checked each field on its own before.
 */
@ApplicationScoped
public class CredentialRules {

    /** System types whose targets can switch between two users. */
    private static final Set<String> ALTERNATING_TYPES = Set.of("postgresql", "mariadb");

    private final RotationPolicyDefaults defaults;

    CredentialRules(RotationPolicyDefaults defaults) {
        this.defaults = defaults;
    }

    /** What is wrong with {@code request} coming from {@code caller}, field by field; empty when nothing is. */
    public List<Problem.FieldError> check(CredentialRequest request, Caller caller) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request.ownerId() == null && !caller.ownerOnly()) {
            errors.add(new Problem.FieldError("ownerId", "must not be null"));
        } else if (request.ownerId() != null && caller.ownerOnly() && !request.ownerId().equals(caller.subject())) {
            errors.add(new Problem.FieldError("ownerId", "an owner may name only itself as the owner"));
        }
        String generator = generator(request);
        try {
            GeneratorPolicy.parse(generator);
        } catch (GeneratorPolicy.InvalidPolicyException e) {
            // the message states a rule, never the value
            errors.add(new Problem.FieldError("rotationPolicy.generator", e.getMessage()));
        }
        boolean alternating = RotationStrategy.ALTERNATING.wireName().equals(strategy(request));
        if (alternating && request.alternateUsername() == null) {
            errors.add(new Problem.FieldError("alternateUsername", "is required by the alternating strategy"));
        } else if (!alternating && request.alternateUsername() != null) {
            errors.add(new Problem.FieldError("alternateUsername", "is for the alternating strategy only"));
        } else if (alternating && request.alternateUsername().equals(request.username())) {
            errors.add(new Problem.FieldError("alternateUsername", "must differ from username"));
        }
        return errors;
    }

    /** What is wrong with {@code request} on this system, or null. */
    public Problem.FieldError checkSystem(CredentialRequest request, DownstreamSystem system) {
        if (RotationStrategy.ALTERNATING.wireName().equals(strategy(request))
                && !ALTERNATING_TYPES.contains(system.type)) {
            return new Problem.FieldError("rotationPolicy.strategy",
                    "alternating needs a postgresql or mariadb system");
        }
        return null;
    }

    /** The owner the credential gets: the request's, or the owner caller itself. */
    public String ownerOf(CredentialRequest request, Caller caller) {
        return request.ownerId() != null ? request.ownerId() : caller.subject();
    }

    /** Copies a checked request onto {@code credential}; returns the names of the fields that changed. */
    public List<String> apply(Credential credential, CredentialRequest request, Caller caller) {
        List<String> changed = new ArrayList<>();
        credential.name = set(changed, "name", credential.name, request.name());
        credential.kind = set(changed, "kind", credential.kind, request.kind());
        credential.vaultMount = set(changed, "vaultMount", credential.vaultMount, request.vaultMount());
        credential.vaultPath = set(changed, "vaultPath", credential.vaultPath, request.vaultPath());
        credential.username = set(changed, "username", credential.username, request.username());
        credential.alternateUsername = set(changed, "alternateUsername", credential.alternateUsername,
                request.alternateUsername());
        credential.systemId = set(changed, "systemId", credential.systemId, request.systemId());
        credential.ownerId = set(changed, "ownerId", credential.ownerId, ownerOf(request, caller));
        credential.tags = set(changed, "tags", credential.tags, distinct(request.tags()));
        credential.exposedVia = set(changed, "exposedVia", credential.exposedVia, distinct(request.exposedVia()));
        credential.grantsAccessTo = set(changed, "grantsAccessTo", credential.grantsAccessTo,
                distinct(request.grantsAccessTo()));
        var policy = request.rotationPolicy();
        int maxAge = policy == null || policy.maxAgeDays() == null ? defaults.maxAgeDays() : policy.maxAgeDays();
        credential.maxAgeDays = set(changed, "rotationPolicy.maxAgeDays", credential.maxAgeDays, maxAge);
        credential.generator = set(changed, "rotationPolicy.generator", credential.generator,
                GeneratorPolicy.parse(generator(request)).toString());
        credential.strategy = set(changed, "rotationPolicy.strategy", credential.strategy, strategy(request));
        return changed;
    }

    private String generator(CredentialRequest request) {
        var policy = request.rotationPolicy();
        return policy == null || policy.generator() == null ? defaults.generator() : policy.generator();
    }

    private String strategy(CredentialRequest request) {
        var policy = request.rotationPolicy();
        return policy == null || policy.strategy() == null ? defaults.strategy() : policy.strategy();
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : values.stream().distinct().toList();
    }

    private static <T> T set(List<String> changed, String field, T current, T next) {
        if (!Objects.equals(current, next)) {
            changed.add(field);
        }
        return next;
    }
}
