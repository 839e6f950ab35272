package dev.rekey.worker.intake;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.target.SystemGates;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Decides which rotation runs next. Each system has its queues (urgent, retries of urgent causes, scheduled) and its
 * slots ({@link SystemGates}, the request's {@code maxConcurrentRotations}); a request is admitted to the shared
 * ready queue only when its system has a free slot and no other run of its credential is admitted, and the pool's
 * threads take the most urgent admitted request first. So a rotation that waits for its system's slot, for another
 * run's lease or for its retry time holds no thread: it waits in a queue or on the timer.
 */
@ApplicationScoped
public class RotationScheduler {

    private static final int PRIORITIES = 3;
    private static final Comparator<RotationRequest> ORDER =
            Comparator.comparingInt(RotationRequest::priority).thenComparingLong(RotationRequest::sequence);

    /** One system's waiting requests, by priority. */
    private static final class SystemQueue {
        @SuppressWarnings("unchecked")
        final ArrayDeque<RotationRequest>[] waiting = new ArrayDeque[PRIORITIES];
        int bound = 1;

        SystemQueue() {
            for (int i = 0; i < PRIORITIES; i++) {
                waiting[i] = new ArrayDeque<>();
            }
        }

        int size() {
            int size = 0;
            for (ArrayDeque<RotationRequest> queue : waiting) {
                size += queue.size();
            }
            return size;
        }
    }

    private final SystemGates gates;
    private final int threads;
    private final Object lock = new Object();
    private final Map<String, SystemQueue> systems = new HashMap<>();
    private final Set<String> busyCredentials = new HashSet<>();
    private final Map<RotationRequest, ScheduledFuture<?>> timed = new HashMap<>();
    private final Set<RotationRequest> running = new HashSet<>();
    private final Map<String, AtomicInteger> runningByTarget = new HashMap<>();
    private final PriorityBlockingQueue<RotationRequest> ready = new PriorityBlockingQueue<>(64, ORDER);
    private final ScheduledExecutorService timer;
    private final List<Thread> pool = new ArrayList<>();
    private volatile Consumer<RotationRequest> work;
    private volatile boolean stopped;

    public RotationScheduler(SystemGates gates, WorkerConfig config) {
        this.gates = gates;
        this.threads = Math.max(1, config.concurrency());
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rotation-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the pool; {@code work} runs one request and must call {@link #finished} once its rotation has ended. */
    void start(Consumer<RotationRequest> work) {
        this.work = work;
        for (int i = 1; i <= threads; i++) {
            Thread thread = new Thread(this::runReady, "rotation-" + i);
            thread.setDaemon(true);
            pool.add(thread);
            thread.start();
        }
    }

    /** Queues a request for its system. */
    void submit(RotationRequest request) {
        synchronized (lock) {
            SystemQueue system = systems.computeIfAbsent(request.systemId(), id -> new SystemQueue());
            system.bound = request.due().target().maxConcurrentRotations();
            system.waiting[request.priority()].addLast(request);
            admit(request.systemId(), system);
        }
    }

    /** Holds a request on the timer (no thread) until {@code at}, then hands it to {@code then}. */
    void at(RotationRequest request, Instant at, Consumer<RotationRequest> then) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        synchronized (lock) {
            if (stopped) {
                return;
            }
            timed.put(request, timer.schedule(() -> {
                synchronized (lock) {
                    if (timed.remove(request) == null) {
                        return; // withdrawn meanwhile
                    }
                }
                then.accept(request);
            }, delay, TimeUnit.MILLISECONDS));
        }
    }

    /** The rotation of {@code request} has ended: its slot and its credential are free. */
    void finished(RotationRequest request) {
        synchronized (lock) {
            running.remove(request);
            runningByTarget.computeIfAbsent(request.due().target().type(), t -> new AtomicInteger()).decrementAndGet();
            busyCredentials.remove(request.credentialKey());
            gates.leave(request.systemId());
            lock.notifyAll();
            SystemQueue system = systems.get(request.systemId());
            if (system != null) {
                admit(request.systemId(), system);
            }
        }
    }

    /** Urgent requests waiting for a slot or a thread: while there are any, scheduled partitions are paused. */
    boolean urgentWaiting() {
        synchronized (lock) {
            for (SystemQueue system : systems.values()) {
                if (!system.waiting[0].isEmpty() || !system.waiting[1].isEmpty()) {
                    return true;
                }
            }
        }
        return ready.stream().anyMatch(RotationRequest::urgent);
    }

    /** Requests of {@code systemId} here and not running (queued, admitted, on the timer). */
    public int waiting(String systemId) {
        synchronized (lock) {
            SystemQueue system = systems.get(systemId);
            int queued = system == null ? 0 : system.size();
            long timedHere = timed.keySet().stream().filter(r -> r.systemId().equals(systemId)).count();
            long readyHere = ready.stream().filter(r -> r.systemId().equals(systemId)).count();
            return queued + (int) timedHere + (int) readyHere;
        }
    }

    /** Systems this worker has seen, for the waiting gauge. */
    public Set<String> systems() {
        synchronized (lock) {
            return Set.copyOf(systems.keySet());
        }
    }

    /** Rotations running now against targets of {@code type}. */
    public int running(String type) {
        synchronized (lock) {
            AtomicInteger count = runningByTarget.get(type);
            return count == null ? 0 : count.get();
        }
    }

    /**
     * Forgets every request of {@code partitions} that has not started (a rebalance took the partitions away: they
     * are redelivered to their new owner from the last committed offset).
     */
    void withdraw(Collection<TopicPartition> partitions) {
        synchronized (lock) {
            for (SystemQueue system : systems.values()) {
                for (ArrayDeque<RotationRequest> queue : system.waiting) {
                    queue.removeIf(r -> partitions.contains(r.partition()));
                }
            }
            for (Iterator<Map.Entry<RotationRequest, ScheduledFuture<?>>> it = timed.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<RotationRequest, ScheduledFuture<?>> entry = it.next();
                if (partitions.contains(entry.getKey().partition())) {
                    entry.getValue().cancel(false);
                    it.remove();
                }
            }
            List<RotationRequest> unstarted = new ArrayList<>();
            ready.drainTo(unstarted);
            for (RotationRequest request : unstarted) {
                if (partitions.contains(request.partition())) {
                    busyCredentials.remove(request.credentialKey());
                    gates.leave(request.systemId());
                } else {
                    ready.add(request);
                }
            }
            admitAll();
        }
    }

    /** Waits until no rotation of {@code partitions} runs, at most {@code timeout}; false when some still do. */
    boolean awaitRunning(Collection<TopicPartition> partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (running.stream().anyMatch(r -> partitions.contains(r.partition()))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Admits waiting requests of {@code system} while it has free slots; a busy credential's requests wait on. */
    private void admit(String systemId, SystemQueue system) {
        for (int priority = 0; priority < PRIORITIES; priority++) {
            Iterator<RotationRequest> it = system.waiting[priority].iterator();
            while (it.hasNext()) {
                RotationRequest request = it.next();
                if (busyCredentials.contains(request.credentialKey())) {
                    continue;
                }
                if (!gates.tryEnter(systemId, system.bound)) {
                    return;
                }
                it.remove();
                busyCredentials.add(request.credentialKey());
                ready.add(request);
            }
        }
    }

    private void admitAll() {
        systems.forEach(this::admit);
    }

    private void runReady() {
        while (!stopped) {
            RotationRequest request;
            try {
                request = ready.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (request == null) {
                continue;
            }
            synchronized (lock) {
                running.add(request);
                runningByTarget.computeIfAbsent(request.due().target().type(), t -> new AtomicInteger())
                        .incrementAndGet();
            }
            try {
                work.accept(request); // calls finished() itself, as soon as the rotation has ended
            } catch (RuntimeException e) {
                Log.errorf(e, "%s: the rotation's handling failed; it runs again when redelivered", request);
            }
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        timer.shutdownNow();
        pool.forEach(Thread::interrupt);
    }
}
