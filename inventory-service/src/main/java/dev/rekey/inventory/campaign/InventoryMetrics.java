package dev.rekey.inventory.campaign;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inventory's metrics on the management port, by the names the Grafana dashboard queries:
 * {@code rekey_campaign_credentials{status}} (every credential of a running campaign, by state: pending, retrying
 * -- a failed attempt the worker tries again --, rotated, failed), {@code rekey_outbox_pending} (rows the relay has not sent)
 * and {@code rekey_results_applied_total{type}} (result events applied for the first time). The two gauges are
 * counted from the database every few seconds, so that every inventory instance reports the same totals (the
 * dashboard takes the max over instances, not the sum, where that matters).
 */
@ApplicationScoped
public class InventoryMetrics {

    /** A campaign credential's state as the gauge labels it. */
    enum CampaignState { PENDING, RETRYING, ROTATED, FAILED }

    private static final String CAMPAIGN_COUNTS = "SELECT bc.status AS state, count(*) AS n FROM breach_credentials bc"
            + " JOIN breaches b ON b.id = bc.breach_id WHERE b.completed_at IS NULL GROUP BY 1";
    private static final String OUTBOX_COUNT = "SELECT count(*) AS n FROM outbox";

    private final Pool pool;
    private final Map<CampaignState, AtomicLong> campaign = new EnumMap<>(CampaignState.class);
    private final AtomicLong outboxPending = new AtomicLong();
    private final Counter rotatedApplied;
    private final Counter failedApplied;

    InventoryMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        for (CampaignState state : CampaignState.values()) {
            AtomicLong value = new AtomicLong();
            campaign.put(state, value);
            Gauge.builder("rekey.campaign.credentials", value, AtomicLong::doubleValue)
                    .description("credentials of running breach campaigns, by state")
                    .tag("status", state.name().toLowerCase()).register(registry);
        }
        Gauge.builder("rekey.outbox.pending", outboxPending, AtomicLong::doubleValue)
                .description("outbox rows not yet sent to Kafka").register(registry);
        rotatedApplied = Counter.builder("rekey.results.applied").tag("type", "secret-rotated")
                .description("result events applied for the first time").register(registry);
        failedApplied = Counter.builder("rekey.results.applied").tag("type", "rotation-failed")
                .description("result events applied for the first time").register(registry);
    }

    /** {@code count} {@code secret-rotated} (true) or {@code rotation-failed} (false) were applied, not duplicates. */
    void applied(boolean rotated, int count) {
        if (count > 0) {
            (rotated ? rotatedApplied : failedApplied).increment(count);
        }
    }

    @Scheduled(every = "${rekey.metrics.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return pool.query(CAMPAIGN_COUNTS).execute()
                .invoke(rows -> {
                    Map<CampaignState, Long> counts = new EnumMap<>(CampaignState.class);
                    for (Row row : rows) {
                        counts.put(CampaignState.valueOf(row.getString("state")), row.getLong("n"));
                    }
                    campaign.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L)));
                })
                .chain(() -> pool.query(OUTBOX_COUNT).execute())
                .invoke(rows -> outboxPending.set(rows.iterator().next().getLong("n")))
                .replaceWithVoid();
    }
}
