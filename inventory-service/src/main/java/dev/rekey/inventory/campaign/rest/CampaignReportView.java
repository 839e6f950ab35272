package dev.rekey.inventory.campaign.rest;

import dev.rekey.inventory.campaign.CampaignEvidence;

import java.time.Instant;
import java.util.List;

/** A campaign's evidence as JSON: the campaign, when the report was made, each credential by id. */
public record CampaignReportView(BreachView breach, Instant generatedAt, List<CampaignEvidence.Line> credentials) {

    static CampaignReportView of(CampaignEvidence.Report report) {
        return new CampaignReportView(BreachView.of(report.campaign()), report.generatedAt(), report.credentials());
    }
}
