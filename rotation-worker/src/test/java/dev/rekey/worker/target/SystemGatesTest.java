package dev.rekey.worker.target;

import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SystemGatesTest {

    private final SystemGates gates = new SystemGates();

    @Test
    void neverRunsMoreThanTheBoundAgainstOneSystem() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boolean urgent = i % 2 == 0;
            threads.add(start(() -> gates.within(due("db-1", 3), urgent, () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(20);
                return running.decrementAndGet();
            })));
        }
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        assertThat(most.get()).isEqualTo(3);
        assertThat(gates.peak("db-1")).isEqualTo(3);
        assertThat(gates.peak("another")).isZero();
    }

    @Test
    void systemsHaveSeparateSlots() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = start(() -> gates.within(due("db-a", 1), true, () -> {
            holding.countDown();
            await(release);
            return null;
        }));
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(gates.within(due("db-b", 1), false, () -> "ran")).isEqualTo("ran");
        release.countDown();
        holder.join(5_000);
    }

    @Test
    void waitingUrgentRotationsGetTheSlotBeforeWaitingScheduledOnes() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread holder = start(() -> gates.within(due("db-u", 1), false, () -> {
            holding.countDown();
            await(release);
            return null;
        }));
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        Thread scheduled = start(() -> gates.within(due("db-u", 1), false, () -> order.add("scheduled")));
        awaitWaiting(scheduled); // the scheduled one waits first
        Thread urgent = start(() -> gates.within(due("db-u", 1), true, () -> order.add("urgent")));
        awaitWaiting(urgent);
        release.countDown();
        for (Thread thread : List.of(holder, scheduled, urgent)) {
            thread.join(5_000);
        }
        assertThat(order).containsExactly("urgent", "scheduled");
    }

    /** Until {@code thread} is parked waiting for a slot (the gate waits on its monitor). */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
    }

    private static Thread start(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    static RotationDue due(String systemId, int bound) {
        return new RotationDue(UUID.randomUUID(), "cred-1", Cause.breach(UUID.randomUUID()),
                new RotationDue.Credential("postgresql-role", "secret", "apps/x", "app", systemId),
                new RotationDue.Target("postgresql", "127.0.0.1", 5432, "postgres", "secret/rekey/systems/" + systemId,
                        bound),
                new RotationDue.Policy("password:32", "in-place"), new OwnerRef("o-1", "o@example.com"), false,
                Instant.now());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
