package dev.rekey.inventory.campaign.rest;

import dev.rekey.events.BreachSelector;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Callers;
import dev.rekey.inventory.api.Page;
import dev.rekey.inventory.api.PageRequest;
import dev.rekey.inventory.api.Roles;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.campaign.BlastRadius;
import dev.rekey.inventory.campaign.BreachReporting;
import dev.rekey.inventory.campaign.CampaignProgress;
import dev.rekey.inventory.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.UUID;

/** Breach reports, their blast radius, and the progress of their rotation campaigns. */
@Path("/api/v1/breaches")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER, Roles.AUDITOR})
public class BreachResource {

    private final BlastRadius blastRadius;
    private final BreachReporting reporting;
    private final CampaignProgress progress;
    private final OutboxRelay relay;
    private final Callers callers;
    private final AuditLog audit;

    BreachResource(BlastRadius blastRadius, BreachReporting reporting, CampaignProgress progress, OutboxRelay relay,
                   Callers callers, AuditLog audit) {
        this.blastRadius = blastRadius;
        this.reporting = reporting;
        this.progress = progress;
        this.relay = relay;
        this.callers = callers;
        this.audit = audit;
    }

    /** Reports a breach (202 with the campaign), or with {@code dryRun=true} only shows its blast radius (200). */
    @POST
    @RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER})
    public Uni<Response> report(@NotNull @Valid BreachRequest request,
                                @QueryParam("dryRun") @Pattern(regexp = "true|false", message = "must be true or false")
                                String dryRunParameter,
                                @Context UriInfo uri) {
        boolean dryRun = Boolean.parseBoolean(dryRunParameter);
        BreachSelector selector = request.selector().toSelector();
        if (selector.isEmpty()) {
            throw ApiProblem.invalid("selector",
                    "names nothing: give credentialIds, systems, providers, tags, owners or all=true");
        }
        if (dryRun) {
            return Panache.withSession(() -> blastRadius.of(selector))
                    .map(matches -> Response.ok(BlastRadiusView.of(selector, matches), MediaType.APPLICATION_JSON)
                            .build());
        }
        Caller caller = callers.current();
        return Panache.withTransaction(() -> reporting.report(request.title(), request.reason(), selector,
                        caller.subject())
                        .call(breach -> audit.record(caller, AuditAction.BREACH_REPORTED, breach.id.toString(),
                                List.of(), breach.total + " credential(s) in the blast radius")))
                // after the commit: the rotation requests leave now, not at the next timer tick
                .invoke(relay::drainSoon)
                .map(breach -> Response.accepted(BreachView.of(new CampaignProgress.Campaign(breach,
                                new CampaignProgress.Counts(0, 0, breach.total))))
                        .type(MediaType.APPLICATION_JSON)
                        .location(uri.getAbsolutePathBuilder().path(breach.id.toString()).replaceQuery(null).build())
                        .build());
    }

    @GET
    @WithSession
    public Uni<Page<BreachView>> list(@Valid @BeanParam PageRequest pageRequest) {
        PageRequest.Paging page = pageRequest.paging();
        return progress.page(page).map(campaigns -> page.of(campaigns.items().stream().map(BreachView::of).toList(),
                campaigns.total()));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<BreachView> get(@PathParam("id") UUID id) {
        return progress.campaign(id).map(BreachView::of);
    }

    @GET
    @Path("/{id}/credentials")
    @WithSession
    public Uni<Page<BreachCredentialView>> credentials(
            @PathParam("id") UUID id,
            @QueryParam("status") @Pattern(regexp = "PENDING|ROTATED|FAILED",
                    message = "must be PENDING, ROTATED or FAILED") String status,
            @Valid @BeanParam PageRequest pageRequest) {
        PageRequest.Paging page = pageRequest.paging();
        return progress.credentials(id, status == null ? null : BreachCredentialStatus.valueOf(status), page)
                .map(rows -> page.of(rows.items().stream().map(BreachCredentialView::of).toList(), rows.total()));
    }
}
