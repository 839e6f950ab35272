package dev.rekey.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.Ports;
import dev.rekey.devstack.downstream.PostgresAccounts;
import dev.rekey.devstack.downstream.Secrets;
import dev.rekey.devstack.launcher.BreachCommand;
import dev.rekey.devstack.launcher.InventoryClient;
import dev.rekey.devstack.launcher.LocalStack;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code ./rekey breach} against the whole system as {@code ./rekey up} runs it: the command finds the inventory
 * in the stack's {@code stack.env} and mints its incident-commander token with the stack's key, like a user's shell.
 * Seeded: four vault-kv credentials in the radius of a breach of Okta (one only through the graph), one outside it,
 * and a PostgreSQL credential whose role does not exist (exposed via a VPN), whose rotation fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BreachCommandIT {

    private static final Path ROOT = Path.of(System.getProperty("rekey.root", "..")).toAbsolutePath().normalize();
    private static final Duration CAMPAIGN_TIMEOUT = Duration.ofMinutes(2);

    private LocalStack stack;
    private InventoryClient admin;
    private String oktaBreach;
    private String vpnBreach;

    /** What one run of the command did. */
    record Run(int exit, String out, String err) {

        List<String> errLines() {
            return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\n"));
        }
    }

    @BeforeAll
    void startAndSeed() throws Exception {
        stack = LocalStack.start(ROOT, ROOT.resolve("system-tests/target/breach-stack"), System.out::println);
        admin = new InventoryClient(stack.inventoryUrl(), stack.tokens().issue("cli-admin", List.of("admin"), 3600));
        Vault vault = Vault.create(new VaultConfig().address(stack.vaultAddress()).token(stack.vaultToken())
                .engineVersion(2).build());
        for (String owner : List.of("team-a", "team-b")) {
            admin.post("/owners", Map.of("id", owner, "name", owner, "email", owner + "@cli.rekey.dev"));
        }
        URI vaultUri = URI.create(stack.vaultAddress());
        admin.post("/systems", Map.of("id", "kv-cli", "type", "vault-kv", "adminSecretPath",
                "secret/rekey/admin/kv-cli", "maxConcurrentRotations", 4, "host", vaultUri.getHost(),
                "port", vaultUri.getPort()));
        PostgresAccounts pg = PostgresAccounts.open(stack.postgres(), LocalStack.DOWNSTREAM_DATABASE, "rkcli_");
        vault.logical().write("secret/rekey/admin/pg-cli", pg.admin().asVaultSecret());
        Map<String, Object> pgSystem = new LinkedHashMap<>(Map.of("id", "pg-cli", "type", "postgresql",
                "adminSecretPath", "secret/rekey/admin/pg-cli", "maxConcurrentRotations", 4));
        pgSystem.putAll(pg.systemFields());
        admin.post("/systems", pgSystem);

        List<Map<String, Object>> credentials = List.of(
                credential("kv-a-1", "kv-cli", "team-a", List.of("okta"), List.of()),
                credential("kv-a-2", "kv-cli", "team-a", List.of("okta"), List.of()),
                credential("kv-b-1", "kv-cli", "team-b", List.of("okta"), List.of("ci-runners")),
                credential("kv-b-2", "kv-cli", "team-b", List.of("ci-runners"), List.of()),
                credential("kv-b-3", "kv-cli", "team-b", List.of("github"), List.of()),
                // no such role in PostgreSQL: the worker's rotation fails, finally
                credential("pg-missing", "pg-cli", "team-a", List.of("legacy-vpn"), List.of()));
        for (Map<String, Object> c : credentials) {
            vault.logical().write("secret/" + c.get("vaultPath"), Map.of("username", c.get("username"),
                    "password", Secrets.password()));
        }
        admin.post("/credentials/bulk", credentials);
    }

    private static Map<String, Object> credential(String id, String system, String owner, List<String> exposedVia,
                                                  List<String> grantsAccessTo) {
        boolean pg = system.startsWith("pg");
        return Map.ofEntries(Map.entry("id", id), Map.entry("name", id), Map.entry("kind",
                        pg ? "postgresql-role" : "api-token"), Map.entry("vaultMount", "secret"),
                Map.entry("vaultPath", "cli/" + owner + "/" + id),
                Map.entry("username", pg ? "rkcli_" + id.replace('-', '_') : id),
                Map.entry("systemId", system), Map.entry("ownerId", owner), Map.entry("tags", List.of("cli")),
                Map.entry("exposedVia", exposedVia), Map.entry("grantsAccessTo", grantsAccessTo),
                Map.entry("rotationPolicy", Map.of("maxAgeDays", 90, "generator", "password:32",
                        "strategy", "in-place")));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void withoutATerminalAndWithoutYesNothingIsReported() throws Exception {
        Run run = breach(Map.of(), "y\n", false, "report", "--provider", "okta", "--title", "Okta breach");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("dry run: 4 credentials in the blast radius");
        assertThat(run.errLines()).singleElement().asString().startsWith("not confirmed: pass --yes");
        assertThat(admin.get("/breaches").path("total").asInt()).isZero();

        Run declined = breach(Map.of(), "n\n", true, "report", "--provider", "okta", "--title", "Okta breach");

        assertThat(declined.exit()).isEqualTo(1);
        assertThat(declined.err()).contains("[y/N]").contains("not confirmed: nothing reported");
        assertThat(admin.get("/breaches").path("total").asInt()).isZero();
    }

    @Test
    @Order(2)
    void wrongUsageIsOneLineAndExitTwo() throws Exception {
        List<List<String>> wrong = List.of(
                List.of("report", "--provider", "okta"),                       // no title
                List.of("report", "--title", "t"),                             // no selector
                List.of("report", "--title", "t", "--provider", "okta", "--colour", "red"),
                List.of("report", "--title", "t", "--provider"),
                List.of("report", "--title", "t", "--all", "--issued-before", "last tuesday"),
                List.of("status"),
                List.of("status", "a", "b"),
                List.of("launch"),
                List.of());
        for (List<String> args : wrong) {
            Run run = breach(Map.of(), "", false, args.toArray(String[]::new));
            assertThat(run.exit()).as(args.toString()).isEqualTo(2);
            assertThat(run.errLines()).as(args.toString()).hasSize(1);
            assertThat(run.out()).as(args.toString()).isEmpty();
        }
        assertThat(admin.get("/breaches").path("total").asInt()).isZero();
    }

    @Test
    @Order(3)
    void reportWithYesShowsTheDryRunThenFollowsTheCampaignToItsEnd() throws Exception {
        Run run = assertTimeoutPreemptively(CAMPAIGN_TIMEOUT, () -> breach(Map.of(), "", false, "report",
                "--provider", "okta", "--title", "Okta support system breach", "--reason", "session tokens stolen",
                "--yes"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("dry run: 4 credentials in the blast radius")
                .containsPattern("per owner:\\n\\s+team-a\\s+2\\n\\s+team-b\\s+2\\n")
                .containsPattern("per system:\\n\\s+kv-cli\\s+4\\n")
                .contains("reached only through the graph (1):")
                .containsPattern("kv-b-2\\s+okta -> kv-b-1 -> ci-runners -> kv-b-2")
                .doesNotContain("kv-b-3").doesNotContain("pg-missing")
                .contains("4 rotated, 0 failed of 4").doesNotContain("failures");
        oktaBreach = run.out().lines().filter(l -> l.endsWith("reported: 4 credentials to rotate")).findFirst()
                .orElseThrow().split(" ")[1];
        // plain progress lines on a stderr that is not a terminal, the last one full
        assertThat(run.err()).doesNotContain("\r").contains("[" + "#".repeat(30) + "] 4/4");
        JsonNode campaign = admin.get("/breaches/" + oktaBreach);
        assertThat(campaign.hasNonNull("completedAt")).isTrue();
        assertThat(campaign.path("rotated").asInt()).isEqualTo(4);
        assertThat(campaign.path("title").asText()).isEqualTo("Okta support system breach");
    }

    @Test
    @Order(4)
    void aConfirmedReportWhoseRotationFailsPrintsTheFailureWithItsReasonAndExitsOne() throws Exception {
        Run run = assertTimeoutPreemptively(CAMPAIGN_TIMEOUT, () -> breach(Map.of(), "yes\n", true, "report",
                "--provider", "legacy-vpn", "--title", "VPN appliance breach"));

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("rotate these 1 credentials now? [y/N]");
        assertThat(run.out()).contains("dry run: 1 credential in the blast radius")
                .contains("0 rotated, 1 failed of 1").contains("failures (1):")
                .containsPattern("pg-missing\\s+team-a\\s+\\d+\\s+\\S+")
                .contains("./rekey breach retry ");
        vpnBreach = run.out().lines().filter(l -> l.endsWith("reported: 1 credentials to rotate")).findFirst()
                .orElseThrow().split(" ")[1];
        String reason = admin.get("/breaches/" + vpnBreach + "/credentials?status=FAILED").path("items").get(0)
                .path("reason").asText();
        assertThat(reason).isNotBlank();
        assertThat(run.out()).contains(reason);
    }

    @Test
    @Order(5)
    void listShowsEveryBreachWithItsCounts() throws Exception {
        Run run = breach(Map.of(), "", false, "list");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("ID\\s+REPORTED\\s+STATUS\\s+TOTAL/ROTATED/FAILED\\s+TITLE")
                .containsPattern(oktaBreach + "\\s+\\S+Z\\s+COMPLETED\\S*\\s+4/4/0\\s+Okta support system breach")
                .containsPattern(vpnBreach + "\\s+\\S+Z\\s+COMPLETED\\S*\\s+1/0/1\\s+VPN appliance breach");
    }

    @Test
    @Order(6)
    void statusShowsTheCountsAndTheFailuresWithTheirReasons() throws Exception {
        Run done = breach(Map.of(), "", false, "status", oktaBreach);

        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).contains("breach " + oktaBreach + ": Okta support system breach")
                .contains("reason:    session tokens stolen").contains("selector:  providers okta")
                .contains("by rekey-incident-commander")
                .containsPattern("total 4, rotated 4, failed 0, pending 0").doesNotContain("failures");

        Run failed = breach(Map.of(), "", false, "status", vpnBreach);

        assertThat(failed.exit()).isZero();
        assertThat(failed.out()).containsPattern("total 1, rotated 0, failed 1").contains("failures (1):")
                .containsPattern("pg-missing\\s+team-a");
    }

    @Test
    @Order(7)
    void anUnknownBreachABadTokenAndNoStackAreEachOneLineAndExitOne() throws Exception {
        String unknown = UUID.randomUUID().toString();
        Run notFound = breach(Map.of(), "", false, "status", unknown);
        assertThat(notFound.exit()).isEqualTo(1);
        assertThat(notFound.errLines()).containsExactly("error: Not Found: no breach with id '" + unknown + "'");
        assertThat(notFound.out()).isEmpty();

        Run notAnId = breach(Map.of(), "", false, "status", "okta-2026");
        assertThat(notAnId.exit()).isEqualTo(1);
        assertThat(notAnId.errLines()).singleElement().asString().startsWith("error: no breach with id 'okta-2026'");

        Run badToken = breach(Map.of("REKEY_TOKEN", "not-a-jwt"), "", false, "list");
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.errLines()).containsExactly("error: Unauthorized: a valid bearer token is required");

        String nobody = "http://127.0.0.1:" + Ports.free();
        Run noStack = breach(Map.of("INVENTORY_URL", nobody), "", false, "list");
        assertThat(noStack.exit()).isEqualTo(1);
        assertThat(noStack.errLines())
                .containsExactly("error: no rekey stack answers at " + nobody + ": start one with ./rekey up");
    }

    @Test
    @Order(8)
    void aSelectorTheInventoryRefusesIsOneLineNamingTheField() throws Exception {
        Run run = breach(Map.of(), "", false, "report", "--title", "t", "--provider", "Not An Id!", "--yes");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("error: Invalid request: ")
                .contains("providers");
        assertThat(admin.get("/breaches").path("total").asInt()).isEqualTo(2);
    }

    @Test
    @Order(9)
    void retryRotatesTheFailedCredentialsAgainAndRefusesACampaignWithNothingToRetry() throws Exception {
        assumeEndpoint("POST", "/retry");
        Run again = assertTimeoutPreemptively(CAMPAIGN_TIMEOUT, () -> breach(Map.of(), "", false, "retry",
                vpnBreach));

        // the role still does not exist: the retry fails again, with its reason
        assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(1);
        assertThat(again.out()).contains("breach " + vpnBreach + ": rotating 1 failed credentials again")
                .contains("0 rotated, 1 failed of 1").contains("failures (1):");
        assertThat(breach(Map.of(), "", false, "status", vpnBreach).out())
                .containsPattern("retried:\\s+\\S+Z by rekey-incident-commander: 1 credentials");

        Run nothing = breach(Map.of(), "", false, "retry", oktaBreach);
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.errLines()).singleElement().asString().startsWith("error: ");
    }

    @Test
    @Order(10)
    void evidenceIsACsvForAFileOrATable() throws Exception {
        assumeEndpoint("GET", "/report");
        Run csv = breach(Map.of(), "", false, "evidence", oktaBreach, "--csv");

        assertThat(csv.exit()).as(csv.err()).isZero();
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("credential_id,name,owner_id,system_id,vault_mount,vault_path,rotation_id,"
                + "outcome,previous_version,version,verified_at,reason,attempts,retried_by");
        assertThat(lines.subList(1, lines.size())).hasSize(4).allMatch(l -> l.contains(",ROTATED,"))
                .extracting(l -> l.split(",")[0]).containsExactly("kv-a-1", "kv-a-2", "kv-b-1", "kv-b-2");

        Run table = breach(Map.of(), "", false, "evidence", oktaBreach);
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("evidence of breach " + oktaBreach)
                .containsPattern("kv-b-2\\s+team-b\\s+kv-cli\\s+ROTATED\\s+\\S+ -> \\d+");
    }

    /** The campaign helper's endpoints may not be merged yet: skip, saying so, until they answer. */
    private void assumeEndpoint(String method, String suffix) throws Exception {
        String path = "/breaches/" + UUID.randomUUID() + suffix;
        boolean missing;
        String answer = "2xx";
        try {
            if (method.equals("POST")) {
                admin.post(path);
            } else {
                admin.get(path);
            }
            missing = false;
        } catch (InventoryClient.ApiError e) {
            answer = e.getMessage();
            // an unknown breach is "no breach with id ...": the route exists
            missing = e.status() == 405 || e.status() == 415 || "no such resource".equals(e.detail());
        }
        System.out.println(method + " /breaches/{id}" + suffix + ": " + answer);
        Assumptions.assumeFalse(missing, method + " /breaches/{id}" + suffix
                + " is not in this inventory yet (campaign branch)");
    }

    private Run breach(Map<String, String> env, String stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = BreachCommand.run(List.of(args), new BreachCommand.Io(new BufferedReader(new StringReader(stdin)),
                    o, e, terminal, false, env, stack.workDir()));
        }
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("$ ./rekey breach " + String.join(" ", args) + "   -> exit " + exit + "\n" + run.out()
                + run.err());
        return run;
    }
}
