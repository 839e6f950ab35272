package dev.rekey.worker.target;

import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SystemGatesTest {

    private final SystemGates gates = new SystemGates();

    @Test
    void aSystemNeverHasMoreSlotsTakenThanItsBound() {
        assertThat(gates.tryEnter("db-1", 2)).isTrue();
        assertThat(gates.tryEnter("db-1", 2)).isTrue();
        assertThat(gates.tryEnter("db-1", 2)).isFalse();
        assertThat(gates.active("db-1")).isEqualTo(2);
        gates.leave("db-1");
        assertThat(gates.tryEnter("db-1", 2)).isTrue();
        assertThat(gates.peak("db-1")).isEqualTo(2);
    }

    @Test
    void systemsHaveSeparateSlotsAndALoweredBoundAppliesToTheNextEntry() {
        assertThat(gates.tryEnter("db-a", 1)).isTrue();
        assertThat(gates.tryEnter("db-b", 1)).isTrue();
        assertThat(gates.tryEnter("db-a", 3)).as("a raised bound").isTrue();
        assertThat(gates.tryEnter("db-a", 1)).as("a lowered bound").isFalse();
        assertThat(gates.peak("db-a")).isEqualTo(2);
        assertThat(gates.peak("unknown")).isZero();
    }

    /** A request on {@code systemId} with that bound (PostgresRoleTargetTest builds on it). */
    static RotationDue due(String systemId, int bound) {
        return new RotationDue(UUID.randomUUID(), "cred-1", Cause.breach(UUID.randomUUID()),
                new RotationDue.Credential("postgresql-role", "secret", "apps/x", "app", systemId),
                new RotationDue.Target("postgresql", "127.0.0.1", 5432, "postgres", "secret/rekey/systems/" + systemId,
                        bound),
                new RotationDue.Policy("password:32", "in-place"), new OwnerRef("o-1", "o@example.com"), false,
                Instant.now());
    }
}
