package dev.rekey.worker;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.vault.VaultSetup;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.PausableProxy;
import dev.rekey.worker.testing.ResultLog;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.WorkerProcess;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged workers in one consumer group rotate a campaign of PostgreSQL roles on four systems (one per
 * partition), each system behind its own proxy that slows every exchange a little and counts how many wait at once.
 * Both log in as AppRole {@code rotation-worker} under its policy. Mid-campaign one worker is killed with
 * {@code kill -9}. Then: every rotation was committed exactly once and its
 * value in Vault logs in; no system ever saw more than its bound at once although two workers ran (the bound holds
 * across the group); and the killed worker's systems resumed on the other within the failover bound (printed).
 */
class WorkerFailoverIT {

    private static final int SYSTEMS = 4;
    private static final int PER_SYSTEM = 60;
    private static final int BOUND = 3;

    @Test
    void aWorkerKilledMidCampaignLosesNothingItsShareResumesOnTheOtherAndTheBoundHoldsAcrossBoth() throws Exception {
        // the workers log in as AppRole rotation-worker, under deploy/vault/policies/rotation-worker.hcl
        VaultSetup.AppRoleLogin login = VaultSetup.forVault(SharedStack.vaultAddress(), SharedStack.vaultToken())
                .apply().get("rotation-worker");
        Map<String, String> env = Map.of(
                "VAULT_APPROLE_ROLE_ID", login.roleId(),
                "VAULT_APPROLE_SECRET_ID", login.secretId(),
                "REKEY_WORKER_LEASE_DURATION", "6s",
                "REKEY_WORKER_LEASE_RENEW_EVERY", "1s",
                "REKEY_WORKER_LEASE_MIN_REMAINING", "4s",
                "REKEY_WORKER_TARGETS_REQUEST_TIMEOUT", "3s",
                "REKEY_WORKER_RETRY_DELAY", "500ms");
        List<String> systems = oneSystemPerPartition();
        List<PausableProxy> proxies = new ArrayList<>();
        Map<String, PausableProxy> proxyOf = new HashMap<>();
        List<TestCredential> credentials = new ArrayList<>();
        Map<UUID, TestCredential> byRotation = new HashMap<>();
        List<RotationDue> requests = new ArrayList<>();
        for (String system : systems) {
            PausableProxy proxy = PausableProxy.to(Downstream.server().host(), Downstream.server().port());
            proxy.delay(5);
            proxies.add(proxy);
            proxyOf.put(system, proxy);
            TestCredential.seedAdmin(system, Downstream.server().superuser(), Downstream.server().superuserPassword());
            for (int i = 0; i < PER_SYSTEM; i++) {
                TestCredential credential = TestCredential.create(system, BOUND);
                RotationDue.Target through = new RotationDue.Target("postgresql", "127.0.0.1", proxy.port(),
                        Downstream.server().defaultDatabase(), credential.target().adminSecretPath(), BOUND);
                RotationDue due = credential.due(UUID.randomUUID(), false, through);
                credentials.add(credential);
                byRotation.put(due.rotationId(), credential);
                requests.add(due);
            }
        }
        Set<String> ids = new HashSet<>();
        credentials.forEach(c -> ids.add(c.id()));
        int total = requests.size();

        try (WorkerProcess a = WorkerProcess.start("worker-a", env);
             WorkerProcess b = WorkerProcess.start("worker-b", env);
             ResultLog results = new ResultLog(ids)) {
            a.awaitReady(Duration.ofMinutes(3));
            b.awaitReady(Duration.ofMinutes(3));
            Thread.sleep(3_000); // both in the group before the campaign starts
            long start = System.nanoTime();
            KafkaIo.sendAll(requests.stream().map(due -> new ProducerRecord<>(Topics.ROTATION_DUE_URGENT,
                    due.recordKey(), EventJson.encode(due))).toList());

            ResultLog.awaitUntil(() -> results.rotated.size() >= total / 4, Duration.ofMinutes(3));
            Map<String, Integer> doneAtKill = perSystem(results, byRotation);
            Instant killedAt = Instant.now();
            a.kill();
            System.out.printf("failover: killed worker-a with kill -9 after %d of %d rotations (%s)%n",
                    results.rotated.size(), total, doneAtKill);

            ResultLog.awaitUntil(() -> results.done() == total, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;

            // per system, the longest stretch without a rotation from the kill on: for the killed worker's systems
            // that is the failover (session timeout, rebalance, leases); for the other's, one rotation's time
            Map<String, List<Instant>> seen = new HashMap<>();
            results.rotatedSeenAt.forEach((rotationId, at) ->
                    seen.computeIfAbsent(byRotation.get(rotationId).systemId(), s -> new ArrayList<>()).add(at));
            Map<String, Duration> resumedAfter = new HashMap<>();
            seen.forEach((system, times) -> {
                List<Instant> sorted = times.stream().sorted().toList();
                Duration longest = Duration.ZERO;
                Instant previous = killedAt;
                for (Instant at : sorted) {
                    if (at.isAfter(killedAt)) {
                        Duration stretch = Duration.between(previous, at);
                        longest = stretch.compareTo(longest) > 0 ? stretch : longest;
                        previous = at;
                    }
                }
                resumedAfter.put(system, longest);
            });
            Duration gap = resumedAfter.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
            System.out.printf("failover: the longest stretch without a rotation after the kill: %d ms (per system: %s)%n",
                    gap.toMillis(), resumedAfter);
            System.out.printf("failover: %d rotations in %.1f s (%.1f/s) with one kill, %d secret-rotated events "
                    + "(replays included)%n", total, seconds, total / seconds, results.rotatedEvents.get());
            Map<String, Integer> most = new HashMap<>();
            proxyOf.forEach((system, proxy) -> most.put(system, proxy.mostWaitingAtOnce()));
            System.out.printf("bound: at most %s calls at once per system across two workers (bound %d)%n", most,
                    BOUND);

            assertThat(results.failed).as("nothing failed for good").isEmpty();
            assertThat(results.rotated).hasSize(total);
            for (RotationDue due : requests) {
                TestCredential credential = byRotation.get(due.rotationId());
                assertThat(credential.versionsOf(due.rotationId())).as("committed once").isEqualTo(1);
                assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password")))
                        .as("Vault's value of %s logs in", credential.id()).isTrue();
                assertThat(credential.pending()).isNull();
            }
            assertThat(most.values()).allSatisfy(calls -> assertThat(calls).isBetween(1, BOUND));
            assertThat(gap).as("a dead worker's share resumes well within its session timeout and a rebalance")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            proxies.forEach(PausableProxy::close);
        }
    }

    /** System ids whose records land on partitions 0, 1, 2, 3 (Kafka's default partitioner for keyed records). */
    private static List<String> oneSystemPerPartition() {
        List<String> systems = new ArrayList<>();
        for (int partition = 0; partition < SYSTEMS; partition++) {
            while (true) {
                String candidate = "pg-failover-" + UUID.randomUUID().toString().substring(0, 8);
                int lands = Utils.toPositive(Utils.murmur2(candidate.getBytes(StandardCharsets.UTF_8)))
                        % SharedStack.TEST_PARTITIONS;
                if (lands == partition) {
                    systems.add(candidate);
                    break;
                }
            }
        }
        return systems;
    }

    private static Map<String, Integer> perSystem(ResultLog results, Map<UUID, TestCredential> byRotation) {
        Map<String, Integer> counts = new HashMap<>();
        results.rotated.keySet().forEach(id -> counts.merge(byRotation.get(id).systemId(), 1, Integer::sum));
        return counts;
    }
}
