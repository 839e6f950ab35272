package dev.rekey.inventory.owner.rest;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Callers;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.outbox.OutboxRelay;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.owner.service.OwnerRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Owners: the people and teams alerted about their credentials' rotations. Admins manage them; an owner reads and
 * changes only itself (its name, email and channels); the others read.
 */
@Path("/api/v1/owners")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR, Roles.OWNER})
public class OwnerResource {

    private final OwnerRegistry registry;
    private final Callers callers;
    private final OutboxRelay relay;

    OwnerResource(OwnerRegistry registry, Callers callers, OutboxRelay relay) {
        this.registry = registry;
        this.callers = callers;
        this.relay = relay;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@NotNull @Valid OwnerRequest request, @Context UriInfo uri) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.create(request, caller))
                .invoke(relay::drainSoon)
                .map(owner -> Response.created(uri.getAbsolutePathBuilder().path(owner.id).build())
                        .type(MediaType.APPLICATION_JSON).entity(OwnerView.of(owner)).build());
    }

    @GET
    @WithSession
    public Uni<Page<OwnerView>> list(@Valid @BeanParam PageRequest page) {
        PageRequest.Paging paging = page.paging();
        Caller caller = callers.current();
        var query = caller.ownerOnly()
                ? Owner.<Owner>find("id", Sort.by("id"), caller.subject())
                : Owner.<Owner>findAll(Sort.by("id"));
        var paged = query.page(paging.toPanache());
        return paged.list().chain(owners -> paged.count()
                .map(total -> paging.of(owners.stream().map(OwnerView::of).toList(), total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<OwnerView> get(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        Caller caller = callers.current();
        return Owner.<Owner>findById(id).map(owner -> {
            if (owner == null || !caller.maySee(owner.id)) {
                throw ApiProblem.notFound("owner", id);
            }
            return OwnerView.of(owner);
        });
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OWNER})
    public Uni<OwnerView> update(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
                                 @NotNull @Valid OwnerRequest request) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.update(id, request, caller))
                .invoke(relay::drainSoon)
                .map(OwnerView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.delete(id, caller))
                .invoke(relay::drainSoon)
                .replaceWith(Response.noContent().build());
    }
}
