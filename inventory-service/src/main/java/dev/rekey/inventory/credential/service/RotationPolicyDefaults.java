package dev.rekey.inventory.credential.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The rotation policy of a credential registered without one. */
@ConfigMapping(prefix = "rekey.rotation-policy")
public interface RotationPolicyDefaults {

    /** Days after which a credential is due for a scheduled rotation. */
    @WithDefault("90")
    int maxAgeDays();

    /** How new values are generated: {@code password:<length>}, alphanumeric. */
    @WithDefault("password:32")
    String generator();

    /** How a new value is applied: {@code in-place} gives the same user a new password. */
    @WithDefault("in-place")
    String strategy();
}
