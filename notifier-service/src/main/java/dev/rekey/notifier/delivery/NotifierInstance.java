package dev.rekey.notifier.delivery;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * This process as a live notifier instance: a row in {@code notifier_instances} whose heartbeat it renews every
 * {@code heartbeat-interval}. Claims on deliveries are tied to it, so when it dies (kill -9 included) another
 * instance takes its claims over {@code claim-timeout} after the last beat, with no lease to wait out.
 */
@ApplicationScoped
public class NotifierInstance {

    private static final Logger LOG = Logger.getLogger(NotifierInstance.class);
    private static final String BEAT = """
            INSERT INTO notifier_instances (id, description) VALUES ($1, $2)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()""";
    // instances gone for an hour are forgotten; their claims were taken over long ago
    private static final String FORGET = "DELETE FROM notifier_instances WHERE heartbeat_at < now() - interval '1 hour'";
    private static final String LEAVE = "DELETE FROM notifier_instances WHERE id = $1";

    private final UUID id = UUID.randomUUID();
    private final String description = ProcessHandle.current().pid() + "@" + hostname();
    private final Pool pool;
    private final DeliveryLog log;

    NotifierInstance(Pool pool, DeliveryLog log) {
        this.pool = pool;
        this.log = log;
    }

    public UUID id() {
        return id;
    }

    void onStart(@Observes StartupEvent event) {
        beat().await().atMost(Duration.ofSeconds(30));
        LOG.infof("notifier instance %s (%s) started", id, description);
    }

    @Scheduled(every = "${notifier.delivery.heartbeat-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        return beat().chain(() -> pool.query(FORGET).execute()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("heartbeat of instance %s failed: %s", id, e.toString()))
                .onFailure().recoverWithNull();
    }

    /**
     * Hands this instance's claims back and leaves, on a clean stop, so that another instance takes them at once
     * instead of after claim-timeout. Called by the sender once nothing is in flight any more.
     */
    Uni<Void> leave() {
        return log.release(id).chain(() -> pool.preparedQuery(LEAVE).execute(Tuple.of(id))).replaceWithVoid();
    }

    private Uni<Void> beat() {
        return pool.preparedQuery(BEAT).execute(Tuple.of(id, description)).replaceWithVoid();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
