package dev.rekey.inventory.campaign;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Completes breach campaigns that have no pending credential left but no completion time either. The result
 * consumer completes a campaign itself when it applies the last result; only when the last two results are
 * applied concurrently can both miss it, and then this statement, run alone on committed data, catches it.
 */
@ApplicationScoped
public class CampaignCloser {

    private static final Logger LOG = Logger.getLogger(CampaignCloser.class);
    private static final String CLOSE = "UPDATE breaches b SET completed_at = now() WHERE b.completed_at IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM breach_credentials p WHERE p.breach_id = b.id"
            + " AND p.status IN ('PENDING', 'RETRYING'))";

    private final Pool pool;

    CampaignCloser(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(every = "${rekey.campaign.close-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> closeFinishedCampaigns() {
        return pool.query(CLOSE).execute()
                .invoke(result -> {
                    if (result.rowCount() > 0) {
                        LOG.infof("completed %d breach campaign(s) whose last results were applied concurrently",
                                result.rowCount());
                    }
                })
                .replaceWithVoid();
    }
}
