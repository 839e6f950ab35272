package dev.rekey.worker.target.vaultkv;

import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.TargetException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** vault-kv has no downstream: the contract suite's login and session checks do not apply, what is left is here. */
class VaultKvTargetTest {

    private final VaultKvTarget target = new VaultKvTarget();

    @Test
    void everyValueIsInForceOnceStoredAndThereAreNoSessions() {
        RotationDue due = due(TargetSettings.NONE);
        SecretValue value = SecretValue.of("anything");

        target.check(due);
        target.apply(due, "app", value);

        assertThat(target.logsIn(due, "app", value)).isTrue();
        assertThat(target.endSessions(due, "app")).isZero();
        assertThat(target.keepsReplacedValues(due)).isFalse();
    }

    @Test
    void settingsAreRefused() {
        assertThatThrownBy(() -> target.check(due(new TargetSettings(15672, null, null, null, null))))
                .isInstanceOf(TargetException.class).hasMessageContaining("no settings")
                .hasMessageContaining("managementPort");
    }

    private static RotationDue due(TargetSettings settings) {
        return new RotationDue(UUID.randomUUID(), "cred-1", Cause.manual(),
                new RotationDue.Credential("vault-kv-secret", "secret", "apps/x/key", "app", "kv-1"),
                new RotationDue.Target("vault-kv", "vault", 0, null, "secret/rekey/systems/kv-1", 4, settings),
                new RotationDue.Policy("password:32", "in-place"), new OwnerRef("o", "o@example.test"), false,
                Instant.now());
    }
}
