package dev.rekey.client.plain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The example of docs/subscribers.md, compiled and run by {@code PlainKafkaSubscriberTest}: the text between the
 * BEGIN and END lines is the one in the document, which {@code SubscribersDocTest} checks.
 */
// BEGIN subscriber-example
/** Keeps one rekey credential current with plain kafka-clients, the JDK HTTP client and Jackson. */
public final class PlainKafkaSubscriber {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String vaultAddr;
    private final String vaultToken;
    private final String credentialId;   // e.g. orders-db
    private final String secretPath;     // e.g. secret/apps/orders/db (mount/path)
    private volatile boolean running = true;
    private volatile long version;       // only goes forward
    private volatile JsonNode value;     // the fields of that version: username, password

    public PlainKafkaSubscriber(String vaultAddr, String vaultToken, String credentialId, String secretPath) {
        this.vaultAddr = vaultAddr;
        this.vaultToken = vaultToken;
        this.credentialId = credentialId;
        this.secretPath = secretPath;
    }

    public void run(String bootstrapServers) throws Exception {
        // no group.id: this instance reads every partition itself, so it sees every event
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", false,
                "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor("rekey.secret-rotated").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);   // fix the positions first,
            reload(0);                               // then read the current version: no rotation is missed
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Header type = record.headers().lastHeader("ce_type");
                    if (credentialId.equals(record.key()) && type != null
                            && "dev.rekey.secret.rotated.v1".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        long named = JSON.readTree(record.value()).path("version").asLong();
                        if (named > version) {   // duplicates and late events change nothing
                            reload(named);
                        }
                    }
                }
            }
        }
    }

    /** Reads exactly {@code wanted} (0: the current version) of the secret from Vault KV v2. */
    private void reload(long wanted) throws Exception {
        String mount = secretPath.substring(0, secretPath.indexOf('/'));
        String path = secretPath.substring(mount.length() + 1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(vaultAddr + "/v1/" + mount + "/data/" + path
                + (wanted > 0 ? "?version=" + wanted : ""))).header("X-Vault-Token", vaultToken).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            // 404: deleted or destroyed, 403: denied, 5xx: Vault unavailable. Keep the value you have and try
            // again with backoff (a real service schedules that); never log the body.
            System.err.println(credentialId + ": Vault answered " + response.statusCode() + " for version " + wanted);
            return;
        }
        JsonNode data = JSON.readTree(response.body()).path("data");
        long read = data.path("metadata").path("version").asLong();
        if (read > version) {
            value = data.path("data");
            version = read;
            // reconnect with value.path("username") and value.path("password"): the user changes too with the
            // alternating strategy
        }
    }
    // END subscriber-example

    public long version() {
        return version;
    }

    public String username() {
        JsonNode v = value;
        return v == null ? null : v.path("username").asText();
    }

    public void stop() {
        running = false;
    }
}
