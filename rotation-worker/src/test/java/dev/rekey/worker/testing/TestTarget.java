package dev.rekey.worker.testing;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream for protocol tests, target type {@value #TYPE}: accounts in memory, one password per user, that a
 * test can read, pause (every call hangs, then fails as unanswered), slow down, or make refuse values. It counts, per
 * system, how many calls run at once — the bound seen from the downstream's side. Test builds only.
 */
@ApplicationScoped
public class TestTarget implements RotationTarget {

    public static final String TYPE = "test-target";
    /** A {@code target.database} that {@link #check} refuses, for "settings that do not fit". */
    public static final String BAD_SETTINGS = "bad-settings";

    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sessionsEnded = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> applies = new ConcurrentHashMap<>();
    private final Map<String, Boolean> paused = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refusing = new ConcurrentHashMap<>();
    private final Map<String, Boolean> swallowing = new ConcurrentHashMap<>();
    private volatile long callMillis = 0;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(RotationDue due) {
        if (BAD_SETTINGS.equals(due.target().database())) {
            throw new TargetException("settings do not fit a test-target system: database " + BAD_SETTINGS, false);
        }
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        String system = due.credential().systemId();
        call(system, () -> {
            if (!accounts.containsKey(key(system, username))) {
                throw new TargetException("no such user " + username + " on " + system, false);
            }
            if (refusing.getOrDefault(system, false)) {
                throw new TargetException("the system refused the new value", false);
            }
            if (!swallowing.getOrDefault(system, false)) {
                accounts.put(key(system, username), value.reveal());
            }
            applies.computeIfAbsent(system, s -> new AtomicInteger()).incrementAndGet();
            return null;
        });
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        String system = due.credential().systemId();
        return call(system, () -> value.reveal().equals(accounts.get(key(system, username))));
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        String system = due.credential().systemId();
        return call(system, () -> sessionsEnded.computeIfAbsent(key(system, username), k -> new AtomicInteger())
                .incrementAndGet());
    }

    // ---- what tests set up and look at

    public void createUser(String system, String username, String password) {
        accounts.put(key(system, username), password);
    }

    public String passwordOf(String system, String username) {
        return accounts.get(key(system, username));
    }

    public boolean logsIn(String system, String username, String password) {
        return password != null && password.equals(accounts.get(key(system, username)));
    }

    /** Every call to {@code system} hangs until {@link #resume}, then fails as unanswered. */
    public void pause(String system) {
        paused.put(system, true);
    }

    public void resume(String system) {
        paused.remove(system);
        synchronized (paused) {
            paused.notifyAll();
        }
    }

    /** Sets refuse every new value. */
    public void refuseValues(String system, boolean refuse) {
        refusing.put(system, refuse);
    }

    /** Sets answer OK but change nothing (a system that misreports), so that new values do not log in. */
    public void swallowValues(String system, boolean swallow) {
        swallowing.put(system, swallow);
    }

    /** Every call takes at least this long, so that calls overlap when they may. */
    public void callMillis(long millis) {
        callMillis = millis;
    }

    public int mostAtOnce(String system) {
        AtomicInteger count = most.get(system);
        return count == null ? 0 : count.get();
    }

    public int applies(String system) {
        AtomicInteger count = applies.get(system);
        return count == null ? 0 : count.get();
    }

    public int sessionsEnded(String system, String username) {
        AtomicInteger count = sessionsEnded.get(key(system, username));
        return count == null ? 0 : count.get();
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String system, Call<T> call) {
        AtomicInteger now = running.computeIfAbsent(system, s -> new AtomicInteger());
        most.computeIfAbsent(system, s -> new AtomicInteger()).accumulateAndGet(now.incrementAndGet(), Math::max);
        try {
            if (paused.getOrDefault(system, false)) {
                hang(system);
                throw new TargetException("test-target system " + system + " did not answer", true);
            }
            if (callMillis > 0) {
                Thread.sleep(callMillis);
            }
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted", true);
        } finally {
            now.decrementAndGet();
        }
    }

    /** A hung call: a second at most (a client's timeout), or until the system is resumed. */
    private void hang(String system) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        synchronized (paused) {
            while (paused.getOrDefault(system, false) && System.nanoTime() < deadline) {
                paused.wait(50);
            }
        }
    }

    private static String key(String system, String username) {
        return system + "/" + username;
    }
}
