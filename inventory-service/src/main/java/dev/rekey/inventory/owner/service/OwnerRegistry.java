package dev.rekey.inventory.owner.service;

import dev.rekey.events.EventTypes;
import dev.rekey.events.Topics;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.api.StoreConstraints;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.outbox.OutboxEvent;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.owner.rest.OwnerRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates, changes and deletes owners. Every change publishes the owner's new state on the compacted
 * {@code rekey.owners} (a tombstone when deleted) through the outbox and is audited, in the change's transaction.
 */
@ApplicationScoped
public class OwnerRegistry {

    private static final String AGGREGATE = "owner";

    private final AuditLog audit;

    OwnerRegistry(AuditLog audit) {
        this.audit = audit;
    }

    /** Registers a new owner; must run inside a transaction. */
    public Uni<Owner> create(OwnerRequest request, Caller caller) {
        if (request.id() == null) {
            throw ApiProblem.invalid("id", "must not be null");
        }
        Owner owner = new Owner();
        owner.id = request.id();
        owner.createdAt = StoredInstant.now();
        List<String> fields = apply(owner, request);
        return Owner.<Owner>findById(request.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("an owner with id '" + request.id() + "' exists already");
                    }
                })
                .chain(() -> owner.<Owner>persist())
                .call(saved -> published(saved))
                .call(saved -> audit.record(caller, AuditAction.OWNER_CREATED, saved.id, fields, null));
    }

    /** Changes an owner; must run inside a transaction. An owner caller may change only itself. */
    public Uni<Owner> update(String id, OwnerRequest request, Caller caller) {
        if (request.id() != null && !request.id().equals(id)) {
            throw ApiProblem.invalid("id", "must be the id of the URL or left out");
        }
        return Owner.<Owner>findById(id).chain(owner -> {
            if (owner == null || !caller.maySee(owner.id)) {
                throw ApiProblem.notFound("owner", id);
            }
            List<String> changed = apply(owner, request);
            if (changed.isEmpty()) {
                return Uni.createFrom().item(owner);
            }
            return published(owner)
                    .chain(() -> audit.record(caller, AuditAction.OWNER_UPDATED, id, changed, null))
                    .replaceWith(owner);
        });
    }

    /** Deletes an owner that owns no credential; must run inside a transaction. */
    public Uni<Void> delete(String id, Caller caller) {
        return Owner.<Owner>findById(id).chain(owner -> {
            if (owner == null) {
                throw ApiProblem.notFound("owner", id);
            }
            return Credential.count("ownerId", id).chain(owned -> {
                if (owned > 0) {
                    throw ApiProblem.conflict("the owner still owns " + owned
                            + " credential(s): give them to another owner or delete them first");
                }
                return owner.delete().call(Panache::flush);
            });
        })
                .call(() -> OutboxEvent.tombstone(Topics.OWNERS, EventTypes.OWNER_CHANGED, AGGREGATE, id).persist())
                .call(() -> audit.record(caller, AuditAction.OWNER_DELETED, id, List.of(), null))
                // a credential registered for this owner meanwhile: the foreign key refuses the delete
                .onFailure(StoreConstraints::isForeignKeyViolation)
                .transform(e -> ApiProblem.conflict("the owner still owns credentials"));
    }

    private static Uni<?> published(Owner owner) {
        return OutboxEvent.of(Topics.OWNERS, EventTypes.OWNER_CHANGED, AGGREGATE, owner.id, owner.toEvent()).persist();
    }

    /** Copies the request onto the owner; returns the names of the fields that changed. */
    private static List<String> apply(Owner owner, OwnerRequest request) {
        String slack = request.channels() == null ? null : request.channels().slackWebhookSecretPath();
        OwnerRequest.WebhookRequest webhook = request.channels() == null ? null : request.channels().webhook();
        if (webhook != null) {
            WebhookUrls.check("channels.webhook.url", webhook.url());
        }
        List<String> changed = new ArrayList<>();
        owner.name = set(changed, "name", owner.name, request.name());
        owner.email = set(changed, "email", owner.email, request.email());
        owner.slackWebhookSecretPath = set(changed, "channels.slackWebhookSecretPath", owner.slackWebhookSecretPath,
                slack);
        owner.webhookUrl = set(changed, "channels.webhook.url", owner.webhookUrl, webhook == null ? null : webhook.url());
        owner.webhookSigningSecretPath = set(changed, "channels.webhook.signingSecretPath",
                owner.webhookSigningSecretPath, webhook == null ? null : webhook.signingSecretPath());
        return changed;
    }

    private static String set(List<String> changed, String field, String current, String next) {
        if (!Objects.equals(current, next)) {
            changed.add(field);
        }
        return next;
    }
}
