package dev.rekey.inventory.owner.rest;

import dev.rekey.inventory.api.Identifiers;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.URL;

/** The body of {@code POST /owners}. */
public record OwnerRequest(
        @NotBlank @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String id,
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Email @Size(max = 320) String email,
        @URL(regexp = "^https?:.*") @Size(max = 2000) String slackWebhook,
        @URL(regexp = "^https?:.*") @Size(max = 2000) String webhook) {
}
