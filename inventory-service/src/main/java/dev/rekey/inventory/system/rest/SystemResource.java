package dev.rekey.inventory.system.rest;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.system.domain.DownstreamSystem;
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
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** Downstream systems. Owners do not see them: a system is shared infrastructure, not theirs. */
@Path("/api/v1/systems")
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR})
public class SystemResource {

    /** Rotations per system at once when the request does not say. */
    static final int DEFAULT_MAX_CONCURRENT_ROTATIONS = 4;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @WithTransaction
    public Uni<Response> create(@NotNull @Valid SystemRequest request, @Context UriInfo uri) {
        return DownstreamSystem.<DownstreamSystem>findById(request.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("a system with id '" + request.id() + "' exists already");
                    }
                })
                .chain(() -> toSystem(request).<DownstreamSystem>persist())
                .map(system -> Response
                        .created(uri.getAbsolutePathBuilder().path(system.id).build())
                        .type(MediaType.APPLICATION_JSON)
                        .entity(SystemView.of(system)).build());
    }

    @GET
    @WithSession
    public Uni<Page<SystemView>> list(@Valid @BeanParam PageRequest page) {
        var paged = DownstreamSystem.<DownstreamSystem>findAll(Sort.by("id")).page(page.toPanache());
        return paged.list().chain(systems -> paged.count()
                .map(total -> page.of(systems.stream().map(SystemView::of).toList(), total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<SystemView> get(@PathParam("id") String id) {
        return DownstreamSystem.<DownstreamSystem>findById(id).map(system -> {
            if (system == null) {
                throw ApiProblem.notFound("system", id);
            }
            return SystemView.of(system);
        });
    }

    private static DownstreamSystem toSystem(SystemRequest request) {
        DownstreamSystem system = new DownstreamSystem();
        system.id = request.id();
        system.type = request.type();
        system.host = request.host();
        system.port = request.port();
        system.database = request.database();
        system.adminSecretPath = request.adminSecretPath();
        system.maxConcurrentRotations = request.maxConcurrentRotations() == null
                ? DEFAULT_MAX_CONCURRENT_ROTATIONS : request.maxConcurrentRotations();
        system.tags = request.tags() == null ? List.of() : List.copyOf(request.tags());
        system.createdAt = StoredInstant.now();
        return system;
    }
}
