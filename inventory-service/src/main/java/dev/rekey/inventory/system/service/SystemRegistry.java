package dev.rekey.inventory.system.service;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.StoreConstraints;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.campaign.RunningCampaigns;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import dev.rekey.inventory.system.rest.SystemRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Creates, changes and deletes downstream systems, each change audited in its transaction. */
@ApplicationScoped
public class SystemRegistry {

    /** Rotations per system at once when the request does not say. */
    static final int DEFAULT_MAX_CONCURRENT_ROTATIONS = 4;

    private final AuditLog audit;
    private final RunningCampaigns campaigns;

    SystemRegistry(AuditLog audit, RunningCampaigns campaigns) {
        this.audit = audit;
        this.campaigns = campaigns;
    }

    /** Registers a new system; must run inside a transaction. */
    public Uni<DownstreamSystem> create(SystemRequest request, Caller caller) {
        if (request.id() == null) {
            throw ApiProblem.invalid("id", "must not be null");
        }
        DownstreamSystem system = new DownstreamSystem();
        system.id = request.id();
        system.createdAt = StoredInstant.now();
        List<String> fields = apply(system, request);
        return DownstreamSystem.<DownstreamSystem>findById(request.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("a system with id '" + request.id() + "' exists already");
                    }
                })
                .chain(() -> system.<DownstreamSystem>persist())
                .call(saved -> audit.record(caller, AuditAction.SYSTEM_CREATED, saved.id, fields, null));
    }

    /** Changes a system that no running campaign rotates credentials of; must run inside a transaction. */
    public Uni<DownstreamSystem> update(String id, SystemRequest request, Caller caller) {
        if (request.id() != null && !request.id().equals(id)) {
            throw ApiProblem.invalid("id", "must be the id of the URL or left out");
        }
        return locked(id).call(() -> refuseWhileRotating(id, "changed")).chain(system -> {
            List<String> changed = apply(system, request);
            return changed.isEmpty() ? Uni.createFrom().item(system)
                    : audit.record(caller, AuditAction.SYSTEM_UPDATED, id, changed, null).replaceWith(system);
        });
    }

    /** Deletes a system that no credential refers to; must run inside a transaction. */
    public Uni<Void> delete(String id, Caller caller) {
        return locked(id).call(() -> refuseWhileRotating(id, "deleted"))
                .call(() -> Credential.count("systemId", id).invoke(n -> {
                    if (n > 0) {
                        throw ApiProblem.conflict("the system still has " + n
                                + " credential(s): delete them or move them to another system first");
                    }
                }))
                .chain(system -> system.delete())
                .call(Panache::flush)
                .call(() -> audit.record(caller, AuditAction.SYSTEM_DELETED, id, List.of(), null))
                .onFailure(StoreConstraints::isForeignKeyViolation)
                .transform(e -> ApiProblem.conflict("the system still has credentials"));
    }

    private static Uni<DownstreamSystem> locked(String id) {
        return DownstreamSystem.<DownstreamSystem>findById(id, LockModeType.PESSIMISTIC_WRITE).map(system -> {
            if (system == null) {
                throw ApiProblem.notFound("system", id);
            }
            return system;
        });
    }

    private Uni<Void> refuseWhileRotating(String id, String what) {
        return campaigns.rotateOnSystem(id).invoke(rotating -> {
            if (rotating) {
                throw ApiProblem.conflict("a running breach campaign still rotates credentials of this system;"
                        + " it can be " + what + " once the campaign is done");
            }
        }).replaceWithVoid();
    }

    /** Copies the request onto the system; returns the names of the fields that changed. */
    private static List<String> apply(DownstreamSystem system, SystemRequest request) {
        List<String> changed = new ArrayList<>();
        var settings = TargetSettingsRules.check(request.type(), request.settings());
        int concurrency = request.maxConcurrentRotations() == null ? DEFAULT_MAX_CONCURRENT_ROTATIONS
                : request.maxConcurrentRotations();
        List<String> tags = request.tags() == null ? List.of() : request.tags().stream().distinct().toList();
        system.type = set(changed, "type", system.type, request.type());
        system.host = set(changed, "host", system.host, request.host());
        system.port = set(changed, "port", system.port, request.port());
        system.database = set(changed, "database", system.database, request.database());
        system.adminSecretPath = set(changed, "adminSecretPath", system.adminSecretPath, request.adminSecretPath());
        system.maxConcurrentRotations = set(changed, "maxConcurrentRotations", system.maxConcurrentRotations,
                concurrency);
        system.tags = set(changed, "tags", system.tags, tags);
        system.settings = set(changed, "settings", system.settings, settings);
        return changed;
    }

    private static <T> T set(List<String> changed, String field, T current, T next) {
        if (!Objects.equals(current, next)) {
            changed.add(field);
        }
        return next;
    }
}
