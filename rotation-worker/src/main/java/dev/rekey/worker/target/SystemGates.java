package dev.rekey.worker.target;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slots of each downstream system: at most its {@code target.maxConcurrentRotations} rotations run at once on
 * this worker. The rotation-due topics are keyed by system id and consumed so that one worker holds all of a
 * system's partitions (README, "The bound across the group"): this local bound is the bound of the whole group.
 * Nothing here blocks: the scheduler only starts a rotation for which {@link #tryEnter} succeeds.
 */
@ApplicationScoped
public class SystemGates {

    private static final class Gate {
        int active;
        int peak;
    }

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    /** Takes a slot of {@code systemId} if one of its {@code bound} is free. */
    public boolean tryEnter(String systemId, int bound) {
        Gate gate = gates.computeIfAbsent(systemId, id -> new Gate());
        synchronized (gate) {
            if (gate.active >= Math.max(1, bound)) {
                return false;
            }
            gate.active++;
            gate.peak = Math.max(gate.peak, gate.active);
            return true;
        }
    }

    public void leave(String systemId) {
        Gate gate = gates.get(systemId);
        if (gate != null) {
            synchronized (gate) {
                gate.active = Math.max(0, gate.active - 1);
            }
        }
    }

    /** Rotations running against {@code systemId} now. */
    public int active(String systemId) {
        Gate gate = gates.get(systemId);
        if (gate == null) {
            return 0;
        }
        synchronized (gate) {
            return gate.active;
        }
    }

    /** The most rotations that ran against {@code systemId} at once on this worker (0 if none ran). */
    public int peak(String systemId) {
        Gate gate = gates.get(systemId);
        if (gate == null) {
            return 0;
        }
        synchronized (gate) {
            return gate.peak;
        }
    }
}
