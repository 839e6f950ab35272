package dev.rekey.inventory.report;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.Callers;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.credential.service.CredentialSearch;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/**
 * Credentials that need attention: past their policy's maximum age, never rotated by rekey, or without an owner
 * (the ones discovery found and nobody claimed). An owner sees its own only.
 */
@Path("/api/v1/reports/stale")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR, Roles.OWNER})
public class StaleReportResource {

    private final CredentialSearch search;
    private final Callers callers;

    StaleReportResource(CredentialSearch search, Callers callers) {
        this.search = search;
        this.callers = callers;
    }

    @GET
    @WithSession
    public Uni<Page<StaleCredentialView>> stale(
            @QueryParam("system") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String system,
            @Valid @BeanParam PageRequest page) {
        PageRequest.Paging paging = page.paging();
        Instant now = Instant.now();
        var filter = new CredentialSearch.Filter(null, system, null, null, null, true);
        return search.find(filter, callers.current(), paging).map(result -> paging.of(
                result.items().stream().map(c -> StaleCredentialView.of(c, now)).toList(), result.total()));
    }
}
