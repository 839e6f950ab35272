package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Bounds the rotations this worker runs against one downstream system at once to the system's
 * {@code target.maxConcurrentRotations}, so that a mass rotation never floods a database with admin sessions. Where
 * rotations wait for a slot, urgent ones (breach, manual) go first. The bound holds per worker process: N workers
 * may run up to N times the bound against one system.
 */
@ApplicationScoped
public class SystemGates {

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    /** Runs {@code work} in one of the system's slots, waiting for a slot first. */
    public <T> T within(RotationDue due, boolean urgent, Supplier<T> work) {
        Gate gate = gates.computeIfAbsent(due.credential().systemId(), id -> new Gate());
        gate.enter(due.target().maxConcurrentRotations(), urgent);
        try {
            return work.get();
        } finally {
            gate.leave();
        }
    }

    /** The most rotations that ran against {@code systemId} at once in this worker (0 if none ran). */
    public int peak(String systemId) {
        Gate gate = gates.get(systemId);
        return gate == null ? 0 : gate.peak();
    }

    /** One system's slots. The bound comes with each request, so a changed bound applies to the next entry. */
    private static final class Gate {

        private int active;
        private int urgentWaiting;
        private int peak;

        synchronized void enter(int bound, boolean urgent) {
            if (urgent) {
                urgentWaiting++;
            }
            try {
                while (active >= bound || (!urgent && urgentWaiting > 0)) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetException("interrupted while waiting for a slot on the system", true);
            } finally {
                if (urgent) {
                    urgentWaiting--;
                    notifyAll(); // scheduled waiters may go once no urgent one waits
                }
            }
            active++;
            peak = Math.max(peak, active);
        }

        synchronized void leave() {
            active--;
            notifyAll();
        }

        synchronized int peak() {
            return peak;
        }
    }
}
