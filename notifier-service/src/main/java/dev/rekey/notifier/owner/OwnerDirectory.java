package dev.rekey.notifier.owner;

import dev.rekey.events.OwnerChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The notifier's copy of {@code rekey.owners}, inside the caller's transaction. */
@ApplicationScoped
public class OwnerDirectory {

    private static final String UPSERT = """
            INSERT INTO owners (owner_id, name, email, slack_secret_path, webhook_url, webhook_secret_path, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, now())
            ON CONFLICT (owner_id) DO UPDATE SET name = excluded.name, email = excluded.email,
                slack_secret_path = excluded.slack_secret_path, webhook_url = excluded.webhook_url,
                webhook_secret_path = excluded.webhook_secret_path, updated_at = now()""";
    private static final String DELETE = "DELETE FROM owners WHERE owner_id = $1";
    private static final String CHANNELS = """
            SELECT owner_id, email, slack_secret_path, webhook_url, webhook_secret_path FROM owners
            WHERE owner_id = ANY($1)""";

    /** Applies one record of the topic: the owner's latest state, or its deletion (a tombstone). */
    public Uni<Void> apply(SqlConnection db, OwnerChange change) {
        if (change.deleted()) {
            return db.preparedQuery(DELETE).execute(Tuple.of(change.ownerId())).replaceWithVoid();
        }
        OwnerChanged owner = change.state();
        OwnerChanged.Webhook webhook = owner.channels().webhook();
        return db.preparedQuery(UPSERT).execute(Tuple.from(Arrays.asList(owner.ownerId(), owner.name(),
                        owner.email(), owner.channels().slackWebhookSecretPath(),
                        webhook == null ? null : webhook.url(), webhook == null ? null : webhook.signingSecretPath())))
                .replaceWithVoid();
    }

    /** The channels of the owners that the notifier knows; an owner missing from the map is unknown to it. */
    public Uni<Map<String, OwnerChannels>> channels(SqlConnection db, List<String> ownerIds) {
        return db.preparedQuery(CHANNELS).execute(Tuple.of(ownerIds.toArray(String[]::new))).map(rows -> {
            Map<String, OwnerChannels> channels = new HashMap<>();
            for (Row row : rows) {
                channels.put(row.getString("owner_id"), new OwnerChannels(row.getString("email"),
                        row.getString("slack_secret_path"), row.getString("webhook_url"),
                        row.getString("webhook_secret_path")));
            }
            return channels;
        });
    }
}
