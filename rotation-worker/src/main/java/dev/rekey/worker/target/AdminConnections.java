package dev.rekey.worker.target;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The admin connections of one target type, pooled per system: the one pool idiom of every target that holds
 * connections. {@link SystemGates} bounds how many rotations use a system at once, and the pool keeps at most that
 * many idle connections. A connection opened with an admin login that has since changed in Vault is closed instead of
 * reused, and so is a connection whose work failed (the failure may have broken it; a reconnect costs little next to
 * a wrong guess).
 *
 * @param <C> the target's connection type
 */
public final class AdminConnections<C extends AdminConnection> {

    /** Opens a new admin connection with a login. */
    @FunctionalInterface
    public interface Opener<C> {
        C open(AdminLogin login);
    }

    private final Map<String, SystemPool<C>> pools = new ConcurrentHashMap<>();

    /**
     * Runs {@code work} on an admin connection of {@code system} (a key naming the system and its address) opened
     * with {@code login}.
     *
     * @param bound the system's {@code maxConcurrentRotations}: the most idle connections kept
     */
    public <T> T with(String system, AdminLogin login, int bound, Opener<C> opener, Function<C, T> work) {
        SystemPool<C> pool = pools.computeIfAbsent(system, key -> new SystemPool<>());
        byte[] fingerprint = login.fingerprint();
        C connection = pool.borrow(fingerprint, () -> opener.open(login));
        boolean done = false;
        try {
            T result = work.apply(connection);
            done = true;
            return result;
        } finally {
            pool.giveBack(connection, fingerprint, done, bound);
        }
    }

    /** The session ids of every connection this pool holds open on {@code system}, idle or in use. */
    public Set<Long> sessionIds(String system) {
        SystemPool<C> pool = pools.get(system);
        return pool == null ? Set.of() : pool.sessionIds();
    }

    /** Closes every idle connection (at shutdown). */
    public void closeAll() {
        pools.values().forEach(SystemPool::close);
    }

    private static final class SystemPool<C extends AdminConnection> {

        private final Deque<Idle<C>> idle = new ArrayDeque<>();
        private final Set<C> open = ConcurrentHashMap.newKeySet();

        C borrow(byte[] fingerprint, java.util.function.Supplier<C> opener) {
            while (true) {
                Idle<C> candidate;
                synchronized (this) {
                    candidate = idle.pollFirst();
                }
                if (candidate == null) {
                    C fresh = opener.get();
                    open.add(fresh);
                    return fresh;
                }
                if (MessageDigest.isEqual(candidate.fingerprint, fingerprint) && candidate.connection.isUsable()) {
                    return candidate.connection;
                }
                discard(candidate.connection);
            }
        }

        void giveBack(C connection, byte[] fingerprint, boolean healthy, int bound) {
            if (healthy) {
                synchronized (this) {
                    if (idle.size() < bound) {
                        idle.addFirst(new Idle<>(connection, fingerprint));
                        return;
                    }
                }
            }
            discard(connection);
        }

        Set<Long> sessionIds() {
            return open.stream().map(AdminConnection::sessionId).collect(Collectors.toUnmodifiableSet());
        }

        synchronized void close() {
            idle.forEach(i -> discard(i.connection));
            idle.clear();
        }

        private void discard(C connection) {
            open.remove(connection);
            connection.close();
        }
    }

    private record Idle<C>(C connection, byte[] fingerprint) {
    }
}
