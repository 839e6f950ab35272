package dev.rekey.inventory.campaign.rest;

import dev.rekey.inventory.api.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /breaches}. */
public record BreachRequest(
        @NotBlank @Size(max = 200) @PlainText String title,
        @Size(max = 2000) @PlainText String reason,
        @NotNull @Valid SelectorRequest selector) {
}
