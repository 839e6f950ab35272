package dev.rekey.devstack.vault;

import java.util.Locale;

/**
 * What an ACL policy grants on a path, as the bits of Vault's {@code policy.go}. {@link #DENY} overrides every other
 * capability of the same path; {@link #SUDO} is needed in addition for root-protected paths.
 */
enum Capability {
    DENY, CREATE, READ, UPDATE, DELETE, LIST, SUDO, PATCH;

    int bit() {
        return 1 << ordinal();
    }

    /** The capability named in a policy, or null when Vault has no such capability. */
    static Capability named(String name) {
        for (Capability capability : values()) {
            if (capability.name().toLowerCase(Locale.ROOT).equals(name)) {
                return capability;
            }
        }
        return null;
    }

    boolean in(int bits) {
        return (bits & bit()) != 0;
    }
}
