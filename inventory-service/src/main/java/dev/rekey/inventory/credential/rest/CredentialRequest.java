package dev.rekey.inventory.credential.rest;

import dev.rekey.inventory.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /credentials}. There is deliberately no password: the value lives only in Vault.
 *
 * @param vaultPath      the secret's path below {@code vaultMount}, e.g. {@code apps/billing/db}
 * @param exposedVia     systems or providers that hold or issued the credential, e.g. {@code okta}
 * @param grantsAccessTo systems the credential opens
 * @param rotationPolicy optional; defaults to 90 days, {@code password:32}, {@code in-place}
 */
public record CredentialRequest(
        @NotBlank @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String id,
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be a kind like postgresql-role")
        String kind,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]{1,100}", message = "must be a mount name") String vaultMount,
        @NotBlank @Size(max = 500) @Pattern(regexp = "[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*",
                message = "must be a relative path of names") String vaultPath,
        @NotBlank @Size(max = 128) String username,
        @NotBlank @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String systemId,
        @NotBlank @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String ownerId,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String> tags,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String> exposedVia,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String> grantsAccessTo,
        @Valid RotationPolicyRequest rotationPolicy) {

    /**
     * How the credential is rotated.
     *
     * @param generator e.g. {@code password:32}
     * @param strategy  e.g. {@code in-place}
     */
    public record RotationPolicyRequest(
            @Min(1) @Max(3650) Integer maxAgeDays,
            @Pattern(regexp = "password:([1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-6])",
                    message = "must be password:<length 1-256>") String generator,
            @Pattern(regexp = "in-place", message = "must be in-place") String strategy) {
    }
}
