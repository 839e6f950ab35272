package dev.rekey.inventory.breach.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /breaches}. */
public record BreachRequest(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 2000) String reason,
        @NotNull @Valid SelectorRequest selector) {
}
