package dev.rekey.vault;

import dev.rekey.devstack.vault.VaultDevServer;
import dev.rekey.devstack.vault.VaultSetup;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.Auth;
import io.github.jopenlibs.vault.response.LookupResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link VaultSession} against the devstack's Vault dev server, set up with the services' real roles and policies
 * by {@link VaultSetup}, and checked through the Vault Java Driver: login, renewal before expiry, a new login at the
 * max TTL, a denied path, Vault answering 503. TTLs are a few seconds; every wait is an Awaitility condition with a
 * generous bound, never a fixed sleep.
 */
class VaultSessionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String OWNER_SECRET = "secret/rekey/owners/team-a";

    private VaultDevServer server;
    private Vault root;

    @BeforeEach
    void startVault() throws VaultException {
        server = VaultDevServer.start(0, "root-" + UUID.randomUUID());
        root = driver(server.rootToken());
        root.logical().write(OWNER_SECRET, Map.of("slack_webhook", "https://hooks.example/a"));
        root.logical().write("secret/apps/a/db", Map.of("password", "p"));
    }

    @AfterEach
    void stopVault() {
        server.close();
    }

    @Test
    void logsInWithAppRoleAndIsHeldToItsPolicy() throws VaultException {
        VaultSetup.AppRoleLogin login = setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);

        try (VaultSession session = VaultSession.open(settings(login))) {
            assertThat(session.vault().logical().read(OWNER_SECRET).getData())
                    .containsEntry("slack_webhook", "https://hooks.example/a");
            assertThat(session.vault().logical().read("secret/apps/a/db").getRestResponse().getStatus())
                    .isEqualTo(403);
            LookupResponse self = lookup(session.token());
            assertThat(self.getPolicies()).containsExactly("default", "notifier-service");
            assertThat(session.expiresAt()).hasValueSatisfying(end ->
                    assertThat(end).isBetween(Instant.now().plusSeconds(1100), Instant.now().plusSeconds(1201)));
        }
    }

    @Test
    void renewsTheTokenBeforeItExpires() {
        VaultSetup.AppRoleLogin login = setUp(Duration.ofSeconds(4), Duration.ofMinutes(10));

        try (VaultSession session = VaultSession.open(settings(login))) {
            String first = session.token();
            Instant firstExpiry = session.expiresAt().orElseThrow();

            await().atMost(PATIENCE).ignoreExceptions()
                    .until(() -> lookup(first).getLastRenewalTime() != null);
            await().atMost(PATIENCE).until(() -> Instant.now().isAfter(firstExpiry.plusSeconds(2)));

            assertThat(session.token()).isEqualTo(first);
            assertThat(readOwnerSecret(session)).isEqualTo(200);
            assertThat(session.expiresAt().orElseThrow()).isAfter(firstExpiry);
        }
    }

    @Test
    void logsInAgainWhenTheMaxTtlIsNearAndTheDriverFollows() {
        VaultSetup.AppRoleLogin login = setUp(Duration.ofSeconds(3), Duration.ofSeconds(7));

        try (VaultSession session = VaultSession.open(settings(login))) {
            String first = session.token();

            await().atMost(PATIENCE).until(() -> !session.token().equals(first));

            assertThat(readOwnerSecret(session)).isEqualTo(200);
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                    assertThatThrownBy(() -> lookup(first)).isInstanceOfSatisfying(VaultException.class,
                            e -> assertThat(e.getHttpStatusCode()).isEqualTo(403)));
        }
    }

    @Test
    void opensWhileVaultAnswers503ForAFewRequests() {
        VaultSetup.AppRoleLogin login = setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);
        server.failNext(3, 503);

        try (VaultSession session = VaultSession.open(settings(login).withRetries(6, Duration.ofMillis(50)))) {
            assertThat(readOwnerSecret(session)).isEqualTo(200);
        }
    }

    @Test
    void givesUpAfterItsAttemptsWhileVaultStaysUnavailable() {
        VaultSetup.AppRoleLogin login = setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);
        server.failNext(1000, 503);

        assertThatThrownBy(() -> VaultSession.open(settings(login).withRetries(3, Duration.ofMillis(20))))
                .isInstanceOfSatisfying(VaultSessionException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).doesNotContain(login.secretId());
                });
        server.failNext(0, 503);
    }

    @Test
    void refusedCredentialsFailAtOnceWithoutRetrying() {
        VaultSetup.AppRoleLogin login = setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);
        VaultSessionSettings wrong = VaultSessionSettings.appRole(server.address(), login.roleId(), "wrong-secret");

        assertThatThrownBy(() -> VaultSession.open(wrong))
                .isInstanceOfSatisfying(VaultSessionException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).doesNotContain("wrong-secret");
                });
    }

    @Test
    void keepsItsTokenAliveAcrossA503Spell() {
        VaultSetup.AppRoleLogin login = setUp(Duration.ofSeconds(4), Duration.ofMinutes(10));

        try (VaultSession session = VaultSession.open(settings(login).withRetries(6, Duration.ofMillis(100)))) {
            String first = session.token();
            Instant firstExpiry = session.expiresAt().orElseThrow();
            server.failNext(3, 503); // the next renewals meet a sealed Vault

            await().atMost(PATIENCE).ignoreExceptions().until(() -> lookup(first).getLastRenewalTime() != null
                    && Instant.now().isAfter(firstExpiry.plusSeconds(1)));

            assertThat(session.token()).isEqualTo(first);
            assertThat(readOwnerSecret(session)).isEqualTo(200);
        }
    }

    @Test
    void refusedRenewalLeadsToANewLogin() throws VaultException {
        VaultSetup.AppRoleLogin login = setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);

        try (VaultSession session = VaultSession.open(settings(login))) {
            String first = session.token();
            authAs(first).revokeSelf(); // someone revoked the service's token

            String next = session.refresh();

            assertThat(next).isNotEqualTo(first).isEqualTo(session.token());
            assertThat(readOwnerSecret(session)).isEqualTo(200);
        }
    }

    @Test
    void closeRevokesTheTokenItLoggedInFor() {
        VaultSetup.AppRoleLogin login = setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);
        VaultSession session = VaultSession.open(settings(login));
        String token = session.token();

        session.close();

        assertThatThrownBy(() -> lookup(token)).isInstanceOfSatisfying(VaultException.class,
                e -> assertThat(e.getHttpStatusCode()).isEqualTo(403));
    }

    @Test
    void staticRootTokenIsUsedAsItIsAndLeftAloneOnClose() throws VaultException {
        try (VaultSession session = VaultSession.open(
                VaultSessionSettings.staticToken(server.address(), server.rootToken()))) {
            assertThat(session.token()).isEqualTo(server.rootToken());
            assertThat(session.expiresAt()).isEmpty();
            assertThat(readOwnerSecret(session)).isEqualTo(200);
        }
        assertThat(lookup(server.rootToken()).getPolicies()).containsExactly("root");
    }

    @Test
    void staticRenewableTokenIsRenewed() throws VaultException {
        setUp(VaultSetup.DEFAULT_TOKEN_TTL, VaultSetup.DEFAULT_TOKEN_MAX_TTL);
        String token = root.auth().createToken(new Auth.TokenRequest()
                .polices(List.of("notifier-service")).ttl("4s")).getAuthClientToken();

        try (VaultSession session = VaultSession.open(VaultSessionSettings.staticToken(server.address(), token))) {
            await().atMost(PATIENCE).ignoreExceptions().until(() -> lookup(token).getLastRenewalTime() != null);
            assertThat(readOwnerSecret(session)).isEqualTo(200);
        }
    }

    @Test
    void settingsNeverShowTheSecretIdOrToken() {
        VaultSessionSettings appRole = VaultSessionSettings.appRole("http://127.0.0.1:8200", "role-1", "s3cret-id");
        VaultSessionSettings token = VaultSessionSettings.staticToken("http://127.0.0.1:8200", "hvs.s3cret");

        assertThat(appRole.toString()).contains("role-1").doesNotContain("s3cret-id");
        assertThat(token.toString()).doesNotContain("hvs.s3cret");
        assertThat(appRole.usesAppRole()).isTrue();
        assertThat(token.usesAppRole()).isFalse();
        assertThatThrownBy(() -> VaultSessionSettings.appRole("http://127.0.0.1:8200", "role-1", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VaultSessionSettings.staticToken("vault:8200", "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLinesSayWhatHappenedButNeverATokenOrTheSecretId() {
        VaultSetup.AppRoleLogin login = setUp(Duration.ofSeconds(3), Duration.ofSeconds(7));
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(VaultSession.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] parameters = record.getParameters() == null ? new Object[0] : record.getParameters();
                lines.add(MessageFormat.format(record.getMessage(), parameters) + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (VaultSession session = VaultSession.open(settings(login).withRetries(6, Duration.ofMillis(50)))) {
            tokens.add(session.token());
            server.failNext(2, 503);
            await().atMost(PATIENCE).until(() -> !session.token().equals(tokens.get(0)));
            tokens.add(session.token());
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }

        assertThat(lines).anyMatch(line -> line.contains("logged in to Vault with AppRole"));
        assertThat(lines).anyMatch(line -> line.contains("status 503"));
        for (String line : lines) {
            assertThat(line).doesNotContain(login.secretId());
            tokens.forEach(token -> assertThat(line).doesNotContain(token));
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    /** The services' roles with these token TTLs; the notifier's login (it may read the owners' secrets). */
    private VaultSetup.AppRoleLogin setUp(Duration ttl, Duration maxTtl) {
        return VaultSetup.forVault(server.address(), server.rootToken()).tokenTtl(ttl, maxTtl).apply()
                .get("notifier-service");
    }

    private VaultSessionSettings settings(VaultSetup.AppRoleLogin login) {
        return VaultSessionSettings.appRole(server.address(), login.roleId(), login.secretId());
    }

    private static int readOwnerSecret(VaultSession session) {
        try {
            return session.vault().logical().read(OWNER_SECRET).getRestResponse().getStatus();
        } catch (VaultException e) {
            return e.getHttpStatusCode();
        }
    }

    private LookupResponse lookup(String token) throws VaultException {
        return authAs(token).lookupSelf();
    }

    private Auth authAs(String token) throws VaultException {
        return driver(token).auth();
    }

    private Vault driver(String token) throws VaultException {
        return Vault.create(new VaultConfig().address(server.address()).token(token).engineVersion(2).build());
    }
}
