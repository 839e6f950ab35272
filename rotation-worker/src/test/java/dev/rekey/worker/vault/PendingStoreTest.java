package dev.rekey.worker.vault;

import dev.rekey.devstack.vault.VaultDevServer;
import dev.rekey.worker.secret.SecretValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The pending path against a private Vault dev server: every write is a check-and-set on the version read. */
class PendingStoreTest {

    private static VaultDevServer server;
    private static PendingStore pending;

    @BeforeAll
    static void start() {
        server = VaultDevServer.start(0, "pending-test-token");
        pending = new PendingStore(SecretStoreTest.http(server.address(), "pending-test-token"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRecordIsCreatedOnlyOverTheVersionReadAndReadBackWithItsLease() {
        SecretPath secret = newSecret();
        assertThat(pending.read(secret)).isEqualTo(PendingSlot.empty(0));
        PendingRecord first = record("r-1", "First1", 4);
        PendingRecord written = pending.write(secret, first, 0).orElseThrow();
        assertThat(written.version()).isEqualTo(1);
        assertThat(pending.write(secret, record("r-2", "Second2", 4), 0)).as("a second creator loses").isEmpty();

        PendingSlot slot = pending.read(secret);
        assertThat(slot.version()).isEqualTo(1);
        PendingRecord read = slot.record().orElseThrow();
        assertThat(read.rotationId()).isEqualTo("r-1");
        assertThat(read.username()).isEqualTo("app");
        assertThat(read.password()).isEqualTo(SecretValue.of("First1"));
        assertThat(read.baseVersion()).isEqualTo(4);
        assertThat(read.leaseUntil()).isEqualTo(first.leaseUntil());
        assertThat(read.toString()).doesNotContain("First1");
    }

    @Test
    void aTombstoneReplacesOnlyTheRecordThatWasReadAndPromisesTheSecretsVersion() {
        SecretPath secret = newSecret();
        PendingRecord mine = pending.write(secret, record("r-1", "Mine1", 4), 0).orElseThrow();
        // another run claims it (same value, its own lease): version 2
        PendingRecord claimed = pending.write(secret, mine.heldBy("other-run", Instant.now().plusSeconds(20)),
                mine.version()).orElseThrow();

        assertThat(pending.tombstone(secret, mine.version(), "r-1", 5)).as("the record read is gone").isFalse();
        assertThat(pending.read(secret).record()).as("the claimer's record stays").contains(claimed);

        assertThat(pending.tombstone(secret, claimed.version(), "r-1", 5)).isTrue();
        PendingSlot slot = pending.read(secret);
        assertThat(slot.record()).isEmpty();
        assertThat(slot.version()).isEqualTo(3);
        assertThat(slot.secretVersionAtLeast()).isEqualTo(5);
        assertThat(pending.write(secret, record("r-2", "Next2", 5), slot.version())).isPresent();
    }

    @Test
    void aDeletedCurrentVersionReadsAsNoRecordAtThatVersion() throws Exception {
        SecretPath secret = newSecret();
        pending.write(secret, record("r-1", "Gone1", 1), 0).orElseThrow();
        var delete = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.address() + "/v1/secret/data/"
                        + secret.pending().path()))
                .header("X-Vault-Token", "pending-test-token").DELETE().build();
        java.net.http.HttpClient.newHttpClient().send(delete, java.net.http.HttpResponse.BodyHandlers.discarding());

        PendingSlot slot = pending.read(secret);
        assertThat(slot.record()).isEmpty();
        assertThat(slot.version()).isEqualTo(1);
    }

    private static PendingRecord record(String rotationId, String value, long base) {
        return new PendingRecord(rotationId, "app", SecretValue.of(value), base, "run-" + rotationId,
                Instant.parse("2030-01-01T00:00:00Z"), 0);
    }

    private static SecretPath newSecret() {
        return new SecretPath("secret", "pending-test/" + UUID.randomUUID());
    }
}
