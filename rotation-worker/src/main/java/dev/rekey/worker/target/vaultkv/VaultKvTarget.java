package dev.rekey.worker.target.vaultkv;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetChecks;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * A secret that lives in Vault alone (a shared key, a token that services read from Vault): rotating it is
 * generating and storing a new value, which the protocol does; there is no downstream to change, log in to or end
 * sessions on.
 */
@ApplicationScoped
public class VaultKvTarget implements RotationTarget {

    static final String TYPE = "vault-kv";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(RotationDue due) {
        TargetChecks.allowOnly(due, TYPE, Set.of());
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        // nothing downstream: the value is in force once it is committed in Vault
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        return true;
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        return 0;
    }
}
