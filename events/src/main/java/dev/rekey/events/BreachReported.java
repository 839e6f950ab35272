package dev.rekey.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A breach was reported and its blast radius computed. Topic {@link Topics#BREACH_REPORTED}, type
 * {@link EventTypes#BREACH_REPORTED}, keyed by breach id.
 *
 * @param credentialCount how many credentials are in the blast radius
 * @param owners          each owner concerned and how many of its credentials in the radius this campaign rotates
 *                        itself (not those that joined a rotation already in flight, whose outcome comes with it)
 */
public record BreachReported(UUID breachId, String title, String reason, BreachSelector selector, String reportedBy,
                             Instant reportedAt, int credentialCount, List<OwnerCount> owners) {

    public BreachReported {
        Objects.requireNonNull(breachId, "breachId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(reportedBy, "reportedBy");
        Objects.requireNonNull(reportedAt, "reportedAt");
        owners = List.copyOf(Objects.requireNonNull(owners, "owners"));
    }

    /** One owner's share of a breach. */
    public record OwnerCount(String ownerId, String email, int count) {

        public OwnerCount {
            Objects.requireNonNull(ownerId, "ownerId");
            Objects.requireNonNull(email, "email");
        }
    }
}
