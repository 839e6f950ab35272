package dev.rekey.bench;

import dev.rekey.devstack.vault.VaultDevServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The floor's Vault work runs against the devstack's Vault dev server at every level, as {@code ./rekey bench} runs it. */
class FloorTest {

    @Test
    void vaultKvFloorRotatesAtEachConcurrency() throws Exception {
        try (VaultDevServer vault = VaultDevServer.start(0, "floor-root")) {
            Floor floor = new Floor("vault-kv", null, null, vault.address(), vault.rootToken(), "floortest_");
            floor.prepare(64);
            for (int concurrency : new int[] {4, 32}) {
                Floor.Level level = floor.run(concurrency, 300);
                assertThat(level.rotations()).isEqualTo(300);
                assertThat(level.rate()).isPositive();
                System.out.printf("vault-kv floor at %d: %.0f/s%n", concurrency, level.rate());
            }
        }
    }
}
