package dev.rekey.inventory.owner.rest;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.owner.domain.Owner;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/** Owners: the people and teams alerted about their credentials' rotations. */
@Path("/api/v1/owners")
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR, Roles.OWNER})
public class OwnerResource {

    @POST
    @RolesAllowed(Roles.ADMIN)
    @WithTransaction
    public Uni<Response> create(@NotNull @Valid OwnerRequest request, @Context UriInfo uri) {
        return Owner.<Owner>findById(request.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("an owner with id '" + request.id() + "' exists already");
                    }
                })
                .chain(() -> toOwner(request).<Owner>persist())
                .map(owner -> Response
                        .created(uri.getAbsolutePathBuilder().path(owner.id).build())
                        .type(MediaType.APPLICATION_JSON)
                        .entity(OwnerView.of(owner, true)).build());
    }

    @GET
    @WithSession
    public Uni<Page<OwnerView>> list(@Valid @BeanParam PageRequest page,
                                                           @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        var query = caller.ownerOnly()
                ? Owner.<Owner>find("id", Sort.by("id"), caller.subject())
                : Owner.<Owner>findAll(Sort.by("id"));
        var paged = query.page(page.toPanache());
        return paged.list().chain(owners -> paged.count().map(total -> page.of(
                owners.stream().map(o -> OwnerView.of(o, revealWebhooks(security, caller))).toList(), total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<OwnerView> get(@PathParam("id") String id, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        return Owner.<Owner>findById(id).map(owner -> {
            if (owner == null || !caller.maySee(owner.id)) {
                throw ApiProblem.notFound("owner", id);
            }
            return OwnerView.of(owner, revealWebhooks(security, caller));
        });
    }

    private static boolean revealWebhooks(SecurityContext security, Caller caller) {
        return security.isUserInRole(Roles.ADMIN) || caller.ownerOnly();
    }

    private static Owner toOwner(OwnerRequest request) {
        Owner owner = new Owner();
        owner.id = request.id();
        owner.name = request.name();
        owner.email = request.email();
        owner.slackWebhook = request.slackWebhook();
        owner.webhook = request.webhook();
        owner.createdAt = StoredInstant.now();
        return owner;
    }
}
