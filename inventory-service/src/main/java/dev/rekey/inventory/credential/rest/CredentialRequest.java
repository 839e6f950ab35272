package dev.rekey.inventory.credential.rest;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.PlainText;
import dev.rekey.inventory.api.VaultPaths;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /credentials} and {@code PUT /credentials/{id}} (where {@code id} may be left out), and
 * one row of a bulk import. There is deliberately no password: the value lives only in Vault. Fields that rekey
 * sets ({@code status}, {@code lastRotatedAt}, {@code version}) are refused.
 *
 * @param vaultPath         the secret's path below {@code vaultMount}, e.g. {@code apps/billing/db}
 * @param username          the downstream user whose password rotates
 * @param alternateUsername the second downstream user, for the alternating strategy only
 * @param ownerId           required, except from an owner, for whom it defaults to itself
 * @param exposedVia        systems or providers that hold or issued the credential, e.g. {@code okta}
 * @param grantsAccessTo    systems the credential opens
 * @param rotationPolicy    optional; defaults to 90 days, {@code password:32}, {@code in-place}
 */
public record CredentialRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
        @NotBlank @Size(max = 200) @PlainText String name,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be a kind like postgresql-role")
        String kind,
        @NotBlank @Pattern(regexp = VaultPaths.MOUNT, message = "must be a mount name") String vaultMount,
        @NotBlank @Size(max = 500) @Pattern(regexp = VaultPaths.PATH, message = "must be a relative path of names")
        String vaultPath,
        @NotBlank @Pattern(regexp = USERNAME, message = USERNAME_MESSAGE) String username,
        @Pattern(regexp = USERNAME, message = USERNAME_MESSAGE) String alternateUsername,
        @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String systemId,
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String ownerId,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> tags,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> exposedVia,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> grantsAccessTo,
        @Valid RotationPolicyRequest rotationPolicy) {

    /** Downstream user names: what databases, brokers and APIs accept without quoting surprises. */
    public static final String USERNAME = "[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}";
    public static final String USERNAME_MESSAGE = "must be a user name of letters, digits and _.@+- (at most 128)";

    /**
     * How the credential is rotated.
     *
     * @param generator a generator policy of the events contract, e.g. {@code password:32}
     * @param strategy  {@code in-place} or {@code alternating}
     */
    public record RotationPolicyRequest(
            @Min(1) @Max(3650) Integer maxAgeDays,
            @Size(max = 200) @PlainText String generator,
            @Pattern(regexp = "in-place|alternating", message = "must be in-place or alternating") String strategy) {
    }
}
