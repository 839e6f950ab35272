package dev.rekey.inventory.campaign;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Forgets the ids of result events applied long ago, so that {@code processed_events} does not grow forever. An id
 * only has to be remembered while its record can still be redelivered, which is far shorter than the retention.
 */
@ApplicationScoped
public class ProcessedEventRetention {

    private static final String PURGE = "DELETE FROM processed_events WHERE processed_at < $1";

    private final Pool pool;
    private final Config config;

    ProcessedEventRetention(Pool pool, Config config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return pool.preparedQuery(PURGE).execute(Tuple.of(OffsetDateTime.now().minus(config.retention())))
                .replaceWithVoid();
    }

    /** How long applied result events are remembered. */
    @ConfigMapping(prefix = "rekey.processed-events")
    public interface Config {

        /** Older ids are deleted; a redelivery older than this would be applied again (harmlessly: updates are conditional). */
        @WithDefault("14d")
        Duration retention();
    }
}
