package dev.rekey.inventory.credential.rest;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Callers;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.campaign.ManualRotation;
import dev.rekey.inventory.credential.bulk.BulkFormat;
import dev.rekey.inventory.credential.bulk.BulkImport;
import dev.rekey.inventory.credential.bulk.BulkResult;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.service.CredentialRegistry;
import dev.rekey.inventory.credential.service.CredentialSearch;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;


/** Credentials. An owner sees, registers, changes and deletes only its own; an auditor and an IC only read. */
@Path("/api/v1/credentials")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR, Roles.OWNER})
public class CredentialResource {

    private final CredentialRegistry registry;
    private final CredentialSearch search;
    private final BulkImport bulk;
    private final ManualRotation manualRotation;
    private final Callers callers;

    CredentialResource(CredentialRegistry registry, CredentialSearch search, BulkImport bulk,
                       ManualRotation manualRotation, Callers callers) {
        this.manualRotation = manualRotation;
        this.registry = registry;
        this.search = search;
        this.bulk = bulk;
        this.callers = callers;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OWNER})
    public Uni<Response> create(@NotNull @Valid CredentialRequest request, @Context UriInfo uri) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.register(request, caller))
                .map(credential -> Response.created(uri.getAbsolutePathBuilder().path(credential.id).build())
                        .type(MediaType.APPLICATION_JSON).entity(CredentialView.of(credential)).build());
    }

    @GET
    @WithSession
    public Uni<Page<CredentialView>> list(
            @QueryParam("owner") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String owner,
            @QueryParam("system") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String system,
            @QueryParam("tag") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String tag,
            @QueryParam("exposedVia") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String exposedVia,
            @QueryParam("status") @Pattern(regexp = "ACTIVE|ROTATING|ROTATION_FAILED|UNOWNED",
                    message = "must be ACTIVE, ROTATING, ROTATION_FAILED or UNOWNED") String status,
            @QueryParam("stale") @Pattern(regexp = "true|false", message = "must be true or false") String stale,
            @Valid @BeanParam PageRequest page) {
        PageRequest.Paging paging = page.paging();
        var filter = new CredentialSearch.Filter(owner, system, tag, exposedVia, status,
                stale == null ? null : Boolean.valueOf(stale));
        return search.find(filter, callers.current(), paging)
                .map(result -> paging.of(result.items().stream().map(CredentialView::of).toList(), result.total()));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<CredentialView> get(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        Caller caller = callers.current();
        return Credential.<Credential>findById(id).map(credential -> {
            if (credential == null || !caller.maySee(credential.ownerId)) {
                throw ApiProblem.notFound("credential", id);
            }
            return CredentialView.of(credential);
        });
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OWNER})
    public Uni<CredentialView> update(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
                                      @NotNull @Valid CredentialRequest request) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.update(id, request, caller)).map(CredentialView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OWNER})
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> registry.delete(id, caller)).replaceWith(Response.noContent().build());
    }

    /** Rotates the credential now: one urgent rotation-due (cause MANUAL); 202 with the rotation's id. */
    @POST
    @Path("/{id}/rotate")
    // takes no body: without this the class's JSON @Consumes answers a bodyless POST 415 before the role check
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.OWNER})
    public Uni<Response> rotate(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> manualRotation.request(id, caller))
                .map(requested -> Response.accepted(RotationRequestedView.of(requested))
                        .type(MediaType.APPLICATION_JSON).build());
    }

    /**
     * Registers up to 50,000 credentials in one transaction, from a JSON array of credential objects or from CSV
     * with a header row; all or nothing. A rejected import lists each row's errors (row, field, problem).
     */
    @POST
    @Path("/bulk")
    @Blocking
    @Consumes({MediaType.APPLICATION_JSON, BulkFormat.CSV_MEDIA_TYPE})
    @RolesAllowed({Roles.ADMIN, Roles.OWNER})
    public BulkResult importAll(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        return bulk.importAll(BulkFormat.of(contentType), body, callers.current());
    }
}
