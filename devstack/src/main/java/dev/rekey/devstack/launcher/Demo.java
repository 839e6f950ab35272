package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.smtp.SmtpCapture;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo scenario on a running {@link LocalStack}: seeds owners, a PostgreSQL system and credentials (real roles
 * whose passwords live in Vault), reports a breach of the credentials exposed via Okta, follows the campaign, then
 * checks every outcome from the outside: the rotated passwords in Vault log in and the old ones do not, the others
 * are untouched, and each owner received its mail.
 */
public final class Demo {

    /** Size of the scenario. */
    public record Plan(int owners, int credentialsPerOwner, int breachedPerOwner, Duration timeout) {

        /** The quickstart's scenario: 200 credentials across 5 owners, 150 of them exposed via Okta. */
        public static Plan standard() {
            return new Plan(5, 40, 30, Duration.ofMinutes(3));
        }

        int credentials() {
            return owners * credentialsPerOwner;
        }

        int breached() {
            return owners * breachedPerOwner;
        }
    }

    /** What the demo saw; {@link #problems()} is empty exactly when every check held. */
    public record Report(int credentials, int breached, int rotated, int failed, int verifiedRotated,
                         int verifiedUntouched, int mails, Duration seeding, Duration breachToCompleted,
                         Duration breachToVerified, List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final String SYSTEM_ID = "pg-demo";
    // where rekey keeps admin logins (deploy/vault): the worker's policy reads secret/rekey/admin/*, no other rekey/
    private static final String ADMIN_SECRET = "rekey/admin/" + SYSTEM_ID;
    private static final String[] TEAMS = {"payments", "identity", "data-platform", "growth", "infra", "search",
            "billing", "support", "mobile", "security"};

    private final LocalStack stack;
    private final Plan plan;
    private final PrintStream out;
    private final Vault vault;
    private final Map<String, SeededCredential> seeded = new LinkedHashMap<>();
    /** Every credential value the demo has seen, old and new: none may appear in a log, a Kafka record or a mail. */
    private final Set<String> secretValues = ConcurrentHashMap.newKeySet();

    private record SeededCredential(String id, String owner, String role, String vaultPath, String password,
                                    boolean exposedViaOkta) {
    }

    public Demo(LocalStack stack, Plan plan, PrintStream out) throws VaultException {
        this.stack = stack;
        this.plan = plan;
        this.out = out;
        this.vault = Vault.create(new VaultConfig().address(stack.vaultAddress()).token(stack.vaultToken())
                .engineVersion(2).build());
    }

    public Report run() throws Exception {
        if (plan.owners() > TEAMS.length) {
            throw new IllegalArgumentException("at most " + TEAMS.length + " owners");
        }
        List<String> problems = new ArrayList<>();
        long t0 = System.nanoTime();
        InventoryClient admin = new InventoryClient(stack.inventoryUrl(), stack.tokens().issue("demo-admin", List.of("admin"), 3600));
        seed(admin);
        Duration seeding = since(t0);
        out.printf("seeded %d credentials (%d PostgreSQL roles, passwords in Vault) across %d owners in %.1f s%n",
                plan.credentials(), plan.credentials(), plan.owners(), seeding.toMillis() / 1000.0);

        InventoryClient commander = new InventoryClient(stack.inventoryUrl(),
                stack.tokens().issue("demo-incident-commander", List.of("incident-commander"), 3600));
        long reported = System.nanoTime();
        JsonNode breach = commander.post("/breaches", Map.of(
                "title", "Okta support system breach",
                "reason", "Session tokens stolen from the Okta support system; rotate everything Okta could expose.",
                "selector", Map.of("providers", List.of("okta"))));
        String breachId = breach.path("id").asText();
        int total = breach.path("credentialCount").asInt(breach.path("total").asInt());
        out.printf("breach %s reported: %d credentials in its blast radius%n", breachId, total);
        if (total != plan.breached()) {
            problems.add("the blast radius holds " + total + " credentials, expected " + plan.breached());
        }

        JsonNode progress = follow(commander, breachId, reported);
        Duration toCompleted = since(reported);
        int rotated = progress.path("rotated").asInt();
        int failed = progress.path("failed").asInt();
        if (progress.path("pending").asInt() > 0) {
            problems.add(progress.path("pending").asInt() + " rotations still pending after " + plan.timeout().toSeconds() + " s");
        }
        if (failed > 0) {
            problems.add(failed + " rotations failed: see GET /api/v1/breaches/" + breachId + "/credentials?status=FAILED");
        }

        int[] verified = verifyCredentials(problems);
        Duration toVerified = since(reported);
        int mails = verifyMail(problems);
        verifyNoSecretLeaked(problems);
        return new Report(plan.credentials(), total, rotated, failed, verified[0], verified[1], mails, seeding,
                toCompleted, toVerified, List.copyOf(problems));
    }

    private void seed(InventoryClient admin) throws Exception {
        SecureRandom random = new SecureRandom();
        vault.logical().write("secret/" + ADMIN_SECRET, Map.of(
                "username", stack.postgres().superuser(), "password", stack.postgres().superuserPassword()));
        admin.post("/systems", Map.of("id", SYSTEM_ID, "type", "postgresql", "host", stack.postgres().host(),
                "port", stack.postgres().port(), "database", LocalStack.DOWNSTREAM_DATABASE,
                "adminSecretPath", "secret/" + ADMIN_SECRET, "maxConcurrentRotations", 16, "tags", List.of("demo")));
        try (Connection db = stack.postgres().connect(LocalStack.DOWNSTREAM_DATABASE); Statement sql = db.createStatement()) {
            for (int o = 0; o < plan.owners(); o++) {
                String owner = "team-" + TEAMS[o];
                admin.post("/owners", Map.of("id", owner, "name", "Team " + TEAMS[o], "email", owner + "@demo.rekey.dev"));
                for (int c = 0; c < plan.credentialsPerOwner(); c++) {
                    String role = "demo_" + TEAMS[o].replace('-', '_') + "_" + String.format("%03d", c);
                    String password = randomPassword(random);
                    sql.execute("DROP ROLE IF EXISTS " + role);
                    sql.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
                    String vaultPath = "demo/" + owner + "/" + role;
                    vault.logical().write("secret/" + vaultPath, Map.of("username", role, "password", password));
                    boolean okta = c < plan.breachedPerOwner();
                    String id = role.replace('_', '-');
                    admin.post("/credentials", Map.ofEntries(
                            Map.entry("id", id), Map.entry("name", role + " database login"),
                            Map.entry("kind", "postgresql-role"), Map.entry("vaultMount", "secret"),
                            Map.entry("vaultPath", vaultPath), Map.entry("username", role),
                            Map.entry("systemId", SYSTEM_ID), Map.entry("ownerId", owner),
                            Map.entry("tags", List.of("demo")),
                            Map.entry("exposedVia", List.of(okta ? "okta" : "github")),
                            Map.entry("grantsAccessTo", List.of(SYSTEM_ID)),
                            Map.entry("rotationPolicy", Map.of("maxAgeDays", 90, "generator", "password:32",
                                    "strategy", "in-place"))));
                    seeded.put(id, new SeededCredential(id, owner, role, vaultPath, password, okta));
                }
            }
        }
    }

    /** Polls the campaign and draws a progress bar until nothing is pending or the plan's timeout passes. */
    private JsonNode follow(InventoryClient client, String breachId, long reported) throws Exception {
        long deadline = reported + plan.timeout().toNanos();
        // on a terminal the bar redraws in place; into a log or a pipe, one line per second with news
        boolean terminal = System.console() != null;
        long lastLine = 0;
        int lastDone = -1;
        JsonNode state;
        while (true) {
            state = client.get("/breaches/" + breachId);
            int total = state.path("total").asInt();
            int done = state.path("rotated").asInt() + state.path("failed").asInt();
            boolean finished = state.path("pending").asInt() == 0 || System.nanoTime() > deadline;
            String line = ProgressBar.render(done, total, 40) + String.format("  rotated %d, failed %d  %5.1f s",
                    state.path("rotated").asInt(), state.path("failed").asInt(), (System.nanoTime() - reported) / 1e9);
            if (terminal) {
                out.print("\r" + line + (finished ? "\n" : ""));
            } else if (finished || (done != lastDone && System.nanoTime() - lastLine > 1_000_000_000L)) {
                out.println(line);
                lastLine = System.nanoTime();
                lastDone = done;
            }
            out.flush();
            if (finished) {
                return state;
            }
            Thread.sleep(200);
        }
    }

    /** Logs in to PostgreSQL with what Vault holds now and with the seeded password; returns {rotated ok, untouched ok}. */
    private int[] verifyCredentials(List<String> problems) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> checks = new ArrayList<>();
            for (SeededCredential credential : seeded.values()) {
                checks.add(pool.submit(() -> check(credential)));
            }
            int rotatedOk = 0;
            int untouchedOk = 0;
            for (int i = 0; i < checks.size(); i++) {
                String problem = checks.get(i).get();
                SeededCredential credential = new ArrayList<>(seeded.values()).get(i);
                if (problem != null) {
                    problems.add(credential.id() + ": " + problem);
                } else if (credential.exposedViaOkta()) {
                    rotatedOk++;
                } else {
                    untouchedOk++;
                }
            }
            out.printf("verified %d rotated credentials log in with their new Vault value and not with the old one; "
                    + "%d others untouched%n", rotatedOk, untouchedOk);
            return new int[]{rotatedOk, untouchedOk};
        } finally {
            pool.shutdown();
        }
    }

    private String check(SeededCredential credential) throws VaultException {
        LogicalResponse current = vault.logical().read("secret/" + credential.vaultPath());
        if (current.getRestResponse().getStatus() != 200) {
            return "Vault answered " + current.getRestResponse().getStatus();
        }
        String inVault = current.getData().get("password");
        secretValues.add(credential.password());
        if (inVault != null) {
            secretValues.add(inVault);
        }
        boolean vaultLogsIn = canLogIn(credential.role(), inVault);
        boolean oldLogsIn = canLogIn(credential.role(), credential.password());
        if (credential.exposedViaOkta()) {
            if (inVault.equals(credential.password())) {
                return "not rotated: Vault still holds the seeded password";
            }
            if (!vaultLogsIn) {
                return "the password in Vault does not log in";
            }
            if (oldLogsIn) {
                return "the old password still logs in";
            }
        } else if (!inVault.equals(credential.password()) || !oldLogsIn) {
            return "changed although it is outside the blast radius";
        }
        return null;
    }

    private boolean canLogIn(String role, String password) {
        try (Connection ignored = DriverManager.getConnection(
                stack.postgres().jdbcUrl(LocalStack.DOWNSTREAM_DATABASE), role, password)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Looks for every old and new credential value in the services' logs, the broker's topic data and the captured
     * mail: a secret must never reach any of them. Records are not compressed, so a value in one would show.
     */
    private void verifyNoSecretLeaked(List<String> problems) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("logs", "data/kafka", "mail")) {
            Path root = stack.workDir().resolve(dir);
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        int leaking = 0;
        for (Path file : files) {
            // ISO-8859-1 maps every byte to one char, so binary segment files read without decoding errors
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            if (secretValues.stream().anyMatch(content::contains)) {
                leaking++;
                problems.add("a credential value appears in " + stack.workDir().relativize(file));
            }
        }
        out.printf("%s in %d log, Kafka and mail files (%d values looked for)%n",
                leaking == 0 ? "no secret value" : "SECRET VALUES FOUND in " + leaking + " files", files.size(),
                secretValues.size());
    }

    /** Each owner with breached credentials gets one mail when the breach is reported and one summary. */
    private int verifyMail(List<String> problems) throws InterruptedException {
        Map<String, Long> expected = seeded.values().stream().filter(SeededCredential::exposedViaOkta)
                .collect(Collectors.groupingBy(c -> c.owner() + "@demo.rekey.dev", Collectors.counting()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            Map<String, Long> perRecipient = SmtpCapture.read(stack.mailDir()).stream()
                    .collect(Collectors.groupingBy(SmtpCapture.CapturedMail::recipient, Collectors.counting()));
            if (expected.keySet().stream().allMatch(r -> perRecipient.getOrDefault(r, 0L) >= 2)) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        Thread.sleep(500); // a duplicate would arrive right behind the expected mail
        List<SmtpCapture.CapturedMail> mails = SmtpCapture.read(stack.mailDir());
        for (String recipient : expected.keySet()) {
            List<SmtpCapture.CapturedMail> theirs = mails.stream().filter(m -> m.recipient().equals(recipient)).toList();
            if (theirs.size() != 2) {
                problems.add(recipient + " received " + theirs.size() + " mails, expected 2 (breach reported, summary)");
            }
            for (SmtpCapture.CapturedMail mail : theirs) {
                for (SeededCredential credential : seeded.values()) {
                    if (mail.raw().contains(credential.password())) {
                        problems.add("a mail to " + recipient + " contains a seeded password");
                    }
                }
            }
        }
        out.printf("mail: %d messages to %d owners%n", mails.size(), expected.size());
        return mails.size();
    }

    private static String randomPassword(SecureRandom random) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
