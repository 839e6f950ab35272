package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;

/**
 * What a breach report names as compromised. Every list may be empty; an empty selector matches nothing unless
 * {@code all} is true.
 *
 * @param providers     systems or identity providers that hold or issued credentials, matched against {@code exposedVia}
 * @param systems       downstream system ids
 * @param tags          credential tags
 * @param owners        owner ids
 * @param credentialIds credential ids
 * @param issuedBefore  only credentials last rotated (or created) before this instant; null for no bound
 * @param all           every credential in the inventory
 */
public record BreachSelector(List<String> providers, List<String> systems, List<String> tags, List<String> owners,
                             List<String> credentialIds, Instant issuedBefore, boolean all) {

    public BreachSelector {
        providers = copy(providers);
        systems = copy(systems);
        tags = copy(tags);
        owners = copy(owners);
        credentialIds = copy(credentialIds);
    }

    /** True when the selector names nothing at all. Derived, so not part of the JSON contract. */
    @JsonIgnore
    public boolean isEmpty() {
        return !all && providers.isEmpty() && systems.isEmpty() && tags.isEmpty() && owners.isEmpty()
                && credentialIds.isEmpty();
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
