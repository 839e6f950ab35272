package dev.rekey.worker.testing;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.rotation.Step;
import dev.rekey.worker.rotation.StepListener;
import dev.rekey.worker.rotation.StepLog;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces the production {@link StepListener} in test builds: a test arms a crash for one rotation at one step, and
 * the rotation's run stops dead right before that step, as if the process had died there: nothing after it runs, no
 * cleanup, its lease is simply no longer renewed. The worker then treats the run like any unexpected stop and
 * delivers the request again; what happens next is the recovery a real crash gets. Inert unless armed.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CrashingSteps extends StepLog {

    /** Thrown at the armed step; nothing in the worker catches it specifically. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(Step step) {
            super("simulated crash before " + step, null, false, false);
        }
    }

    private final Map<UUID, Step> armed = new ConcurrentHashMap<>();
    private final Map<UUID, Map.Entry<Step, Runnable>> actions = new ConcurrentHashMap<>();
    private final Map<UUID, Step> fired = new ConcurrentHashMap<>();

    /** The next run of {@code rotationId} that reaches {@code step} crashes there (once). */
    public void crashAt(UUID rotationId, Step step) {
        armed.put(rotationId, step);
    }

    /** The next run of {@code rotationId} that reaches {@code step} runs {@code action} first (once). */
    public void onceAt(UUID rotationId, Step step, Runnable action) {
        actions.put(rotationId, Map.entry(step, action));
    }

    /** Whether the armed crash of {@code rotationId} happened. */
    public boolean crashed(UUID rotationId) {
        return fired.containsKey(rotationId);
    }

    @Override
    public void reached(Step step, RotationDue due) {
        super.reached(step, due);
        Map.Entry<Step, Runnable> action = actions.get(due.rotationId());
        if (action != null && action.getKey() == step && actions.remove(due.rotationId(), action)) {
            action.getValue().run();
        }
        if (armed.remove(due.rotationId(), step)) {
            fired.put(due.rotationId(), step);
            throw new SimulatedCrash(step);
        }
    }
}
