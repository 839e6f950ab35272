package dev.rekey.worker.rotation;

import dev.rekey.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which downstream systems answered lately. A rotation on a system not heard from (or whose last call failed) logs in
 * with Vault's current value before it writes a pending record: if the system does not answer, the rotation fails
 * before any value of it could be in force, so it can end at the retry horizon instead of waiting for the system.
 * Costs one login per system after a quiet spell, nothing in a running campaign.
 */
@ApplicationScoped
class SystemReachability {

    private record Heard(long answeredNanos, long failedNanos) {
    }

    private final Map<String, Heard> systems = new ConcurrentHashMap<>();
    private final long precheckAfterNanos;

    SystemReachability(WorkerConfig config) {
        this.precheckAfterNanos = config.loginCheck().precheckAfter().toNanos();
    }

    boolean needsPrecheck(String systemId) {
        Heard heard = systems.get(systemId);
        return heard == null || heard.failedNanos() >= heard.answeredNanos()
                || System.nanoTime() - heard.answeredNanos() > precheckAfterNanos;
    }

    void answered(String systemId) {
        long now = System.nanoTime();
        systems.compute(systemId, (id, heard) -> new Heard(now, heard == null ? Long.MIN_VALUE : heard.failedNanos()));
    }

    void failed(String systemId) {
        long now = System.nanoTime();
        systems.compute(systemId, (id, heard) -> new Heard(heard == null ? Long.MIN_VALUE : heard.answeredNanos(), now));
    }
}
