package dev.rekey.inventory.campaign.rest;

import dev.rekey.events.BreachSelector;
import dev.rekey.events.Ids;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/**
 * What a breach report names as compromised; a credential matching any clause is in the blast radius.
 *
 * @param providers    matched against each credential's {@code exposedVia}
 * @param issuedBefore optional: only credentials last rotated (or registered) before this instant
 * @param all          every credential in the inventory
 */
public record SelectorRequest(
        @Size(max = 10000) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> credentialIds,
        @Size(max = 1000) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> systems,
        @Size(max = 1000) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> providers,
        @Size(max = 1000) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> tags,
        @Size(max = 1000) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> owners,
        Instant issuedBefore,
        Boolean all) {

    BreachSelector toSelector() {
        return new BreachSelector(distinct(providers), distinct(systems), distinct(tags), distinct(owners),
                distinct(credentialIds), issuedBefore, Boolean.TRUE.equals(all));
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : values.stream().distinct().toList();
    }
}
