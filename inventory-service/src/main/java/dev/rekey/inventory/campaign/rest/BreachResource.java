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
import dev.rekey.inventory.campaign.CampaignEvidence;
import dev.rekey.inventory.campaign.CampaignProgress;
import dev.rekey.inventory.campaign.CampaignRetry;
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
import jakarta.ws.rs.core.HttpHeaders;
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

    static final String CSV = "text/csv";

    private final BlastRadius blastRadius;
    private final BreachReporting reporting;
    private final CampaignProgress progress;
    private final CampaignRetry retry;
    private final CampaignEvidence evidence;
    private final OutboxRelay relay;
    private final Callers callers;
    private final AuditLog audit;

    BreachResource(BlastRadius blastRadius, BreachReporting reporting, CampaignProgress progress,
                   CampaignRetry retry, CampaignEvidence evidence, OutboxRelay relay, Callers callers, AuditLog audit) {
        this.retry = retry;
        this.evidence = evidence;
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
            return Panache.withSession(() -> blastRadius.requireNamedCredentials(selector)
                            .chain(() -> blastRadius.of(selector)))
                    .map(matches -> Response.ok(BlastRadiusView.of(selector, matches), MediaType.APPLICATION_JSON)
                            .build());
        }
        Caller caller = callers.current();
        return Panache.withTransaction(() -> reporting.report(request.title(), request.reason(), selector,
                        caller.subject())
                        .call(campaign -> audit.record(caller, AuditAction.BREACH_REPORTED,
                                campaign.breach().id.toString(), List.of(),
                                campaign.breach().total + " credential(s) in the blast radius")))
                // after the commit: the rotation requests leave now, not at the next timer tick
                .invoke(relay::drainSoon)
                .map(campaign -> Response.accepted(BreachView.of(campaign))
                        .type(MediaType.APPLICATION_JSON)
                        .location(uri.getAbsolutePathBuilder().path(campaign.breach().id.toString())
                                .replaceQuery(null).build())
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
            @QueryParam("status") @Pattern(regexp = "PENDING|RETRYING|ROTATED|FAILED",
                    message = "must be PENDING, RETRYING, ROTATED or FAILED") String status,
            @Valid @BeanParam PageRequest pageRequest) {
        PageRequest.Paging page = pageRequest.paging();
        return progress.credentials(id, status == null ? null : BreachCredentialStatus.valueOf(status), page)
                .map(rows -> page.of(rows.items().stream().map(BreachCredentialView::of).toList(), rows.total()));
    }

    /**
     * Rotates again, in a new pass, every credential of a completed campaign that failed (202, the campaign running
     * again); 409 {@code campaign-running} while one is unfinished, {@code nothing-to-retry} when none failed.
     */
    @POST
    @Path("/{id}/retry")
    // takes no body: without this the class's JSON @Consumes answers a bodyless POST 415 before the role check
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.ADMIN, Roles.INCIDENT_COMMANDER})
    public Uni<Response> retry(@PathParam("id") UUID id) {
        Caller caller = callers.current();
        return Panache.withTransaction(() -> retry.retry(id, caller))
                // after the commit: the rotation requests leave now, not at the next timer tick
                .invoke(relay::drainSoon)
                .map(campaign -> Response.accepted(BreachView.of(campaign)).type(MediaType.APPLICATION_JSON).build());
    }

    /**
     * The campaign's evidence: JSON (default, {@code Accept: application/json} or {@code ?format=json}) or CSV
     * ({@code Accept: text/csv} or {@code ?format=csv}).
     */
    @GET
    @Path("/{id}/report")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @WithSession
    public Uni<Response> evidence(@PathParam("id") UUID id,
                                @QueryParam("format") @Pattern(regexp = "json|csv", message = "must be json or csv")
                                String format,
                                @Context HttpHeaders headers) {
        boolean csv = format != null ? format.equals("csv") : prefersCsv(headers.getAcceptableMediaTypes());
        return evidence.of(id).map(report -> csv
                ? Response.ok(CampaignCsv.of(report), CSV + ";charset=UTF-8")
                        .header("Content-Disposition", "attachment; filename=\"breach-" + id + ".csv\"").build()
                : Response.ok(CampaignReportView.of(report), MediaType.APPLICATION_JSON).build());
    }

    /** CSV when the client's most preferred type that we produce is CSV; JSON for anything else (wildcards too). */
    private static boolean prefersCsv(List<MediaType> acceptable) {
        MediaType csv = MediaType.valueOf(CSV);
        for (MediaType type : acceptable) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(csv)) {
                return true;
            }
        }
        return false;
    }
}
