package dev.rekey.inventory.campaign.rest;

import dev.rekey.events.BreachSelector;
import dev.rekey.inventory.campaign.BlastRadius;

import java.util.List;

/** The answer to a dry run: what a breach with this selector would rotate, and why. Nothing was stored or sent. */
public record BlastRadiusView(BreachSelector selector, int total, List<MatchedCredential> credentials) {

    /**
     * A credential in the radius: the selector clauses that name it, or (empty clauses) the path of edges through
     * which the graph reached it.
     */
    public record MatchedCredential(String credentialId, String ownerId, String systemId,
                                    List<BlastRadius.MatchReason> matchedBy, List<BlastRadius.PathStep> path) {
    }

    static BlastRadiusView of(BreachSelector selector, List<BlastRadius.Match> matches) {
        return new BlastRadiusView(selector, matches.size(), matches.stream()
                .map(m -> new MatchedCredential(m.credential().id(), m.credential().ownerId(), m.credential().systemId(),
                        m.matchedBy(), m.path()))
                .toList());
    }
}
