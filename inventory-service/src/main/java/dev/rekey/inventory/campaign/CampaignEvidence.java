package dev.rekey.inventory.campaign;

import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.credential.domain.Credential;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A campaign's evidence ({@code GET /breaches/{id}/report}): each credential of it, where its secret lives, the
 * rotation that decided it, its outcome, the versions and when the worker verified the new value. Needs a session.
 */
@ApplicationScoped
public class CampaignEvidence {

    private final CampaignProgress progress;

    CampaignEvidence(CampaignProgress progress) {
        this.progress = progress;
    }

    /** The evidence of a campaign, credentials sorted by id. */
    public record Report(CampaignProgress.Campaign campaign, Instant generatedAt, List<Line> credentials) {
    }

    /**
     * One credential. Where the credential was deleted since, its name, system and Vault path are null: the campaign
     * row outlives it.
     *
     * @param rotationId the rotation whose results decided it (its own, or the one in flight it joined)
     * @param verifiedAt when the worker logged in with the new value and committed it (its {@code rotatedAt})
     * @param reason     why the last attempt failed
     * @param retriedBy  who asked for the retry pass that rotated it again, if any
     */
    public record Line(String credentialId, String name, String ownerId, String systemId, String vaultMount,
                       String vaultPath, UUID rotationId, BreachCredentialStatus outcome, Long previousVersion,
                       Long version, Instant verifiedAt, String reason, int attempts, String retriedBy) {
    }

    /** The report, or a 404 problem for an unknown breach. */
    public Uni<Report> of(UUID breachId) {
        return progress.campaign(breachId).chain(campaign -> BreachCredential.<BreachCredential>list("breachId",
                        Sort.by("credentialId"), breachId)
                .chain(rows -> Credential.<Credential>list("id in (select bc.credentialId from BreachCredential bc"
                                + " where bc.breachId = ?1)", breachId)
                        .map(credentials -> {
                            Map<String, Credential> byId = credentials.stream()
                                    .collect(Collectors.toMap(c -> c.id, Function.identity()));
                            return new Report(campaign, Instant.now(),
                                    rows.stream().map(row -> line(row, byId.get(row.credentialId))).toList());
                        })));
    }

    private static Line line(BreachCredential row, Credential credential) {
        boolean known = credential != null;
        return new Line(row.credentialId, known ? credential.name : null,
                row.ownerId != null ? row.ownerId : known ? credential.ownerId : null,
                known ? credential.systemId : null, known ? credential.vaultMount : null,
                known ? credential.vaultPath : null, row.effectiveRotationId(), row.status, row.previousVersion,
                row.version, row.verifiedAt, row.reason, row.attempts, row.retriedBy);
    }
}
