package dev.rekey.client;

import dev.rekey.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps an application's rekey-managed credentials current. At start it reads each watched credential's current
 * version from Vault (it never waits for an event to start); then, for every {@code secret-rotated} event of a
 * watched credential, it reads exactly the version the event names and tells the {@link CredentialListener}.
 * Versions only go forward: duplicated and late events change nothing. It misses no rotation that happened while it
 * was down or cut off from the broker, because it checks Vault's current version whenever its view of the topic
 * starts again (see {@link SecretRotatedFeed}). A version that cannot be read is retried with backoff and reported;
 * the application keeps the value it has.
 *
 * <pre>{@code
 * RekeyClient client = RekeyClient.builder()
 *         .kafkaBootstrapServers("kafka:9092")
 *         .vault("https://vault:8200", VaultLogin.token(System.getenv("VAULT_TOKEN")))
 *         .watch(new WatchedCredential("orders-db", "secret", "apps/orders/db"))
 *         .listener((current, previous) -> pool.flush())
 *         .start();
 * Credential db = client.current("orders-db");   // db.username(), db.secret().reveal()
 * }</pre>
 */
public final class RekeyClient implements AutoCloseable {

    private final CredentialReloads reloads;
    private final SecretRotatedFeed feed;
    private final Thread feedThread;
    private final List<String> ids;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RekeyClient(Builder b) {
        VaultKv vault = new VaultKv(b.vaultAddress, b.vaultLogin, b.requestTimeout);
        this.ids = b.watched.stream().map(WatchedCredential::credentialId).toList();
        this.reloads = new CredentialReloads(b.watched, vault, b.listener, b.initialBackoff, b.maxBackoff);
        this.feed = new SecretRotatedFeed(new KafkaConsumer<>(consumerProperties(b)), b.topic, reloads,
                b.brokerCheckInterval, b.requestTimeout);
        this.feedThread = new Thread(feed, "rekey-client-feed");
        this.feedThread.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    private RekeyClient begin(Duration startTimeout, Duration checkInterval) {
        try {
            reloads.loadAll(startTimeout);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        feedThread.start();
        reloads.checkPeriodically(checkInterval);
        return this;
    }

    /** The value held now for a watched credential. */
    public Credential current(String credentialId) {
        return reloads.current(credentialId);
    }

    /** The watched credential ids, in the order they were given. */
    public List<String> credentialIds() {
        return ids;
    }

    /**
     * Checks Vault's current versions now, e.g. after a login with the held value failed: with the in-place strategy
     * the new value is in Vault a moment before its event arrives.
     */
    public void checkNow() {
        reloads.checkCurrent("asked by the application");
    }

    public ClientStats stats() {
        return new ClientStats(reloads.stats(), reloads.eventsIgnored.get(), feed.eventsMalformed.get(),
                feed.feedErrors.get(), reloads.checks.get());
    }

    /** Stops following the events; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        feed.stop();
        reloads.close();
        if (feedThread.isAlive()) {
            try {
                feedThread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (feedThread.getState() == Thread.State.NEW) {
            feed.run();   // never started: runs once to close the consumer
        }
    }

    private static Map<String, Object> consumerProperties(Builder b) {
        Map<String, Object> props = new HashMap<>(b.kafkaProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // no group: partitions are assigned by the client itself, nothing is committed (no group rights needed)
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // positions are set explicitly; one lost to retention must be noticed, not silently reset
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "rekey-client-" + UUID.randomUUID().toString().substring(0, 8));
        return props;
    }

    /** Settings of a {@link RekeyClient}; {@link #start()} builds and starts it. */
    public static final class Builder {

        private String bootstrapServers;
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private String topic = Topics.SECRET_ROTATED;
        private String vaultAddress;
        private VaultLogin vaultLogin;
        private final List<WatchedCredential> watched = new ArrayList<>();
        private CredentialListener listener = (current, previous) -> { };
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration checkInterval = Duration.ofMinutes(5);
        private Duration brokerCheckInterval = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private Duration requestTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** {@code bootstrap.servers} of the cluster with {@code rekey.secret-rotated}. */
        public Builder kafkaBootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /**
         * More consumer properties (TLS, SASL). Deserializers, group, commits and offset reset are the client's own
         * and are overridden.
         */
        public Builder kafkaProperties(Map<String, ?> properties) {
            this.kafkaProperties.putAll(properties);
            return this;
        }

        /** The topic of {@code secret-rotated} events, {@code rekey.secret-rotated} unless renamed. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Vault's address ({@code VAULT_ADDR}) and how to log in. */
        public Builder vault(String address, VaultLogin login) {
            this.vaultAddress = address;
            this.vaultLogin = login;
            return this;
        }

        /** A credential the application uses. */
        public Builder watch(WatchedCredential credential) {
            this.watched.add(Objects.requireNonNull(credential, "credential"));
            return this;
        }

        public Builder listener(CredentialListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How long {@link #start()} keeps trying to read the credentials from Vault (default 30 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** How often Vault's current versions are checked besides the events (default 5 min). */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = interval;
            return this;
        }

        /** How often the broker is asked for new partitions and end offsets (default 30 s). */
        public Builder brokerCheckInterval(Duration interval) {
            this.brokerCheckInterval = interval;
            return this;
        }

        /** Backoff of a failed Vault read: from {@code initial} (default 1 s) doubling up to {@code max} (1 min). */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Timeout of one Vault or broker request (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Reads every watched credential from Vault, then starts following the events.
         *
         * @throws IllegalStateException when a credential cannot be read within the start timeout
         */
        public RekeyClient start() {
            Objects.requireNonNull(bootstrapServers, "kafkaBootstrapServers");
            Objects.requireNonNull(vaultAddress, "vault address");
            Objects.requireNonNull(vaultLogin, "vault login");
            if (watched.isEmpty()) {
                throw new IllegalArgumentException("watch at least one credential");
            }
            for (Duration d : List.of(startTimeout, checkInterval, brokerCheckInterval, initialBackoff, maxBackoff,
                    requestTimeout)) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("durations must be positive");
                }
            }
            return new RekeyClient(this).begin(startTimeout, checkInterval);
        }
    }
}
