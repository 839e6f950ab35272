package dev.rekey.inventory.system.rest;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Callers;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.discovery.Discovery;
import dev.rekey.inventory.discovery.DiscoveryRequest;
import dev.rekey.inventory.discovery.DiscoveryResult;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import dev.rekey.inventory.system.service.SystemRegistry;
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

/** Downstream systems. Owners do not see them: a system is shared infrastructure, not theirs. */
@Path("/api/v1/systems")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR})
public class SystemResource {

    private final SystemRegistry registry;
    private final Discovery discovery;
    private final Callers callers;

    SystemResource(SystemRegistry registry, Discovery discovery, Callers callers) {
        this.registry = registry;
        this.discovery = discovery;
        this.callers = callers;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@NotNull @Valid SystemRequest request, @Context UriInfo uri) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.create(request, caller))
                .map(system -> Response.created(uri.getAbsolutePathBuilder().path(system.id).build())
                        .type(MediaType.APPLICATION_JSON).entity(SystemView.of(system)).build());
    }

    @GET
    @WithSession
    public Uni<Page<SystemView>> list(@Valid @BeanParam PageRequest page) {
        PageRequest.Paging paging = page.paging();
        var paged = DownstreamSystem.<DownstreamSystem>findAll(Sort.by("id")).page(paging.toPanache());
        return paged.list().chain(systems -> paged.count()
                .map(total -> paging.of(systems.stream().map(SystemView::of).toList(), total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<SystemView> get(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return DownstreamSystem.<DownstreamSystem>findById(id).map(system -> {
            if (system == null) {
                throw ApiProblem.notFound("system", id);
            }
            return SystemView.of(system);
        });
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<SystemView> update(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
                                  @NotNull @Valid SystemRequest request) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.update(id, request, caller)).map(SystemView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.delete(id, caller)).replaceWith(Response.noContent().build());
    }

    /**
     * Lists a Vault KV mount below a prefix and registers every secret the inventory does not know as an unowned
     * credential of this system; running it again registers nothing new.
     */
    @POST
    @Path("/{id}/discover")
    @RolesAllowed(Roles.ADMIN)
    public Uni<DiscoveryResult> discover(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @NotNull @Valid DiscoveryRequest request) {
        return discovery.discover(id, request, callers.current());
    }
}
