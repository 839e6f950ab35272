package dev.rekey.inventory.credential.rest;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Identifiers;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.service.CredentialRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;

/** Credentials. An owner-only caller sees and registers only its own. */
@Path("/api/v1/credentials")
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR, Roles.OWNER})
public class CredentialResource {

    private final CredentialRegistry registry;

    CredentialResource(CredentialRegistry registry) {
        this.registry = registry;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OWNER})
    @WithTransaction
    public Uni<Response> create(@NotNull @Valid CredentialRequest request,
                                                    @Context SecurityContext security, @Context UriInfo uri) {
        return registry.register(request, Caller.of(security))
                .map(credential -> Response
                        .created(uri.getAbsolutePathBuilder().path(credential.id).build())
                        .type(MediaType.APPLICATION_JSON)
                        .entity(CredentialView.of(credential)).build());
    }

    @GET
    @WithSession
    public Uni<Page<CredentialView>> list(
            @QueryParam("owner") @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String owner,
            @QueryParam("system") @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String system,
            @Valid @BeanParam PageRequest page, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (caller.ownerOnly()) {
            where.add("ownerId = :caller");
            params.and("caller", caller.subject());
        }
        if (owner != null) {
            where.add("ownerId = :owner");
            params.and("owner", owner);
        }
        if (system != null) {
            where.add("systemId = :system");
            params.and("system", system);
        }
        var query = where.isEmpty()
                ? Credential.<Credential>findAll(Sort.by("id"))
                : Credential.<Credential>find(String.join(" and ", where), Sort.by("id"), params);
        var paged = query.page(page.toPanache());
        return paged.list().chain(credentials -> paged.count()
                .map(total -> page.of(credentials.stream().map(CredentialView::of).toList(), total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<CredentialView> get(@PathParam("id") String id, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        return Credential.<Credential>findById(id).map(credential -> {
            if (credential == null || !caller.maySee(credential.ownerId)) {
                throw ApiProblem.notFound("credential", id);
            }
            return CredentialView.of(credential);
        });
    }
}
