package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.downstream.DownstreamAccounts;
import dev.rekey.devstack.downstream.Secrets;
import dev.rekey.devstack.launcher.DemoScenario.DemoCredential;
import dev.rekey.devstack.launcher.DemoScenario.Reach;
import dev.rekey.devstack.smtp.SmtpCapture;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo scenario on a running {@link LocalStack}: finds which kinds of downstream this machine has
 * ({@link DemoKinds}), makes their users and an admin login for rekey, registers owners, systems and credentials
 * ({@link DemoScenario}, one bulk import), shows the dry run's paths for the credentials only the graph reaches,
 * reports a breach of Okta, follows the campaign, then checks every outcome from the outside: each rotated value in
 * Vault logs in and the old one does not, the others are untouched, each owner received its mail, no value leaked.
 * It removes the users it made at the end.
 */
public final class Demo {

    /**
     * Size of the scenario: PostgreSQL credentials per owner (and how many of them are exposed via Okta), the same for
     * each other kind, and kinds not to use even where a server answers ({@code mariadb}, {@code redis},
     * {@code rabbitmq}).
     */
    public record Plan(int owners, int credentialsPerOwner, int breachedPerOwner, int otherKindsPerOwner,
                       int otherKindsBreachedPerOwner, Duration timeout, Set<String> skipKinds) {

        public Plan {
            skipKinds = Set.copyOf(skipKinds);
        }

        /** The quickstart's scenario: 5 owners; 200 PostgreSQL roles, 150 exposed via Okta; 20 of each other kind, 15 exposed. */
        public static Plan standard() {
            return new Plan(5, 40, 30, 4, 3, Duration.ofMinutes(3), Set.of());
        }

        public Plan skipping(Set<String> kinds) {
            return new Plan(owners, credentialsPerOwner, breachedPerOwner, otherKindsPerOwner,
                    otherKindsBreachedPerOwner, timeout, kinds);
        }
    }

    /**
     * One kind's line of the summary: {@code inRadius} counts those reached only through the graph too
     * ({@code throughGraph}); {@code verified} are rotated ones whose Vault value logs in and whose old value does not;
     * {@code untouched} are outside the radius and unchanged. A skipped kind has a reason and zeros.
     */
    public record KindSummary(String type, String label, String where, String skipReason, int credentials,
                              int inRadius, int throughGraph, int rotated, int verified, int untouched) {

        public boolean used() {
            return skipReason == null;
        }
    }

    /** What the demo saw; {@link #problems()} is empty exactly when every check held. */
    public record Report(List<KindSummary> kinds, Map<String, String> graphPaths, int credentials, int breached,
                         int rotated, int failed, int verifiedRotated, int verifiedUntouched, int mails,
                         int usersRemoved, Duration seeding, Duration breachToCompleted, Duration breachToVerified,
                         List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }

        public KindSummary kind(String type) {
            return kinds.stream().filter(k -> k.type().equals(type)).findFirst().orElseThrow();
        }

        /** The table at the end of {@code ./rekey demo}, the times, and the verdict with the first problems. */
        public void print(PrintStream out) {
            out.println();
            out.printf("  %-11s %11s %10s %10s %8s %9s %10s%n", "kind", "credentials", "in radius", "via graph",
                    "rotated", "verified", "untouched");
            for (KindSummary k : kinds) {
                if (k.used()) {
                    out.printf("  %-11s %11d %10d %10d %8d %9d %10d%n", k.label(), k.credentials(), k.inRadius(),
                            k.throughGraph(), k.rotated(), k.verified(), k.untouched());
                } else {
                    out.printf("  %-11s skipped: %s%n", k.label(), k.skipReason());
                }
            }
            List<KindSummary> used = kinds.stream().filter(KindSummary::used).toList();
            out.printf("  %-11s %11d %10d %10d %8d %9d %10d%n", "all", credentials, breached,
                    used.stream().mapToInt(KindSummary::throughGraph).sum(), rotated, verifiedRotated,
                    verifiedUntouched);
            out.println();
            out.printf("  seeding (one bulk import)        %6.1f s%n", seeding.toMillis() / 1000.0);
            out.printf("  breach report -> all rotated     %6.1f s  (%d failed)%n",
                    breachToCompleted.toMillis() / 1000.0, failed);
            out.printf("  breach report -> all verified    %6.1f s%n", breachToVerified.toMillis() / 1000.0);
            out.printf("  emails sent                      %6d%n", mails);
            out.printf("  downstream users removed         %6d%n", usersRemoved);
            if (ok()) {
                out.println("DEMO OK");
                return;
            }
            out.println("DEMO FAILED:");
            problems.stream().limit(20).forEach(p -> out.println("  - " + p));
            if (problems.size() > 20) {
                out.println("  ... and " + (problems.size() - 20) + " more");
            }
        }
    }

    private static final int VERIFY_THREADS = 8;

    private final LocalStack stack;
    private final Plan plan;
    private final PrintStream out;
    private final KindSeeding seeding;
    private List<DemoCredential> credentials = List.of();
    /** Every credential value the demo has seen, old and new: none may appear in a log, a Kafka record or a mail. */
    private final Set<String> secretValues = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean usersRemoved = new AtomicBoolean();

    public Demo(LocalStack stack, Plan plan, PrintStream out) throws VaultException {
        this.stack = stack;
        this.plan = plan;
        this.out = out;
        Vault vault = Vault.create(new VaultConfig().address(stack.vaultAddress()).token(stack.vaultToken())
                .engineVersion(2).build());
        this.seeding = new KindSeeding(vault, stack.vaultAddress(), secretValues);
    }

    public Report run() throws Exception {
        List<String> problems = new ArrayList<>();
        String userPrefix = "rkdemo_" + Secrets.runTag() + "_";
        try (DemoKinds kinds = DemoKinds.open(stack, userPrefix, plan.skipKinds())) {
            printKinds(kinds);
            credentials = DemoScenario.build(plan, kinds.usedTypes(), userPrefix);
            // Ctrl-C must not leave users behind on the machine's servers
            Thread cleanup = new Thread(() -> removeUsers(kinds, new ArrayList<>()), "rekey-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                return scenario(kinds, problems);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    private Report scenario(DemoKinds kinds, List<String> problems) throws Exception {
        long t0 = System.nanoTime();
        InventoryClient admin = new InventoryClient(stack.inventoryUrl(),
                stack.tokens().issue("demo-admin", List.of("admin"), 3600));
        seed(admin, kinds);
        Duration seeding = since(t0);
        step(String.format("seeded %d credentials for %d owners in %.1f s (%s; one bulk import)", credentials.size(),
                plan.owners(), seeding.toMillis() / 1000.0, countsByType()));

        InventoryClient commander = new InventoryClient(stack.inventoryUrl(),
                stack.tokens().issue("demo-incident-commander", List.of("incident-commander"), 3600));
        Map<String, Object> breachRequest = Map.of(
                "title", "Okta support system breach",
                "reason", "Session tokens stolen from the Okta support system; rotate everything Okta could expose.",
                "selector", Map.of("providers", List.of(DemoScenario.PROVIDER)));
        Map<String, String> graphPaths = dryRun(commander, breachRequest, problems);

        long reported = System.nanoTime();
        JsonNode breach = commander.post("/breaches", breachRequest);
        String breachId = breach.path("id").asText();
        int total = breach.path("credentialCount").asInt(breach.path("total").asInt());
        step("breach " + breachId + " reported: " + total + " credentials to rotate");
        long expected = credentials.stream().filter(DemoCredential::inRadius).count();
        if (total != expected) {
            problems.add("the breach holds " + total + " credentials, expected " + expected);
        }
        JsonNode progress = follow(commander, breachId, reported);
        Duration toCompleted = since(reported);
        int failed = progress.path("failed").asInt();
        int unfinished = progress.path("pending").asInt() + progress.path("retrying").asInt();
        if (!CampaignWatch.ended(progress)) {
            problems.add(unfinished + " rotations still pending or retrying after " + plan.timeout().toSeconds()
                    + " s");
        }
        if (failed > 0) {
            problems.add(failed + " rotations failed: see GET /api/v1/breaches/" + breachId
                    + "/credentials?status=FAILED");
        }
        Set<String> rotatedIds = rotatedIds(commander, breachId);

        Map<String, String> outcome = verifyCredentials(kinds, problems);
        Duration toVerified = since(reported);
        int mails = verifyMail(problems);
        int removed = removeUsers(kinds, problems);
        verifyNoSecretLeaked(problems);

        List<KindSummary> summaries = new ArrayList<>();
        for (DemoKinds.Kind kind : kinds.all()) {
            List<DemoCredential> ofKind = credentials.stream().filter(c -> c.type().equals(kind.type())).toList();
            summaries.add(new KindSummary(kind.type(), kind.label(), kind.where(), kind.skipReason(), ofKind.size(),
                    count(ofKind, DemoCredential::inRadius), count(ofKind, c -> c.reach() == Reach.GRAPH),
                    count(ofKind, c -> rotatedIds.contains(c.id())),
                    count(ofKind, c -> "rotated".equals(outcome.get(c.id()))),
                    count(ofKind, c -> "untouched".equals(outcome.get(c.id())))));
        }
        int verifiedRotated = (int) outcome.values().stream().filter("rotated"::equals).count();
        int verifiedUntouched = (int) outcome.values().stream().filter("untouched"::equals).count();
        return new Report(List.copyOf(summaries), graphPaths, credentials.size(), total, rotatedIds.size(), failed,
                verifiedRotated, verifiedUntouched, mails, removed, seeding, toCompleted, toVerified,
                List.copyOf(problems));
    }

    private void printKinds(DemoKinds kinds) {
        step("downstream kinds:");
        for (DemoKinds.Kind kind : kinds.all()) {
            out.printf("      %-11s %s%n", kind.label() + ":", kind.used() ? "used, " + kind.where()
                    : "skipped, " + kind.skipReason());
        }
    }

    private void seed(InventoryClient admin, DemoKinds kinds) throws Exception {
        for (int o = 0; o < plan.owners(); o++) {
            String owner = DemoScenario.ownerId(o);
            admin.post("/owners", Map.of("id", owner, "name", "Team " + DemoScenario.TEAMS[o],
                    "email", owner + "@demo.rekey.dev"));
        }
        for (String type : kinds.usedTypes()) {
            DownstreamAccounts accounts = kinds.get(type).accounts();
            seeding.registerSystem(admin, type, DemoKinds.systemId(type), accounts,
                    type.equals("postgresql") ? 16 : 8, List.of("demo"));
            if (accounts != null) {
                Map<String, String> users = new LinkedHashMap<>();
                credentials.stream().filter(c -> c.type().equals(type))
                        .forEach(c -> users.put(c.username(), c.password()));
                accounts.createUsers(users);
            }
        }
        Parallel.map(credentials, VERIFY_THREADS, c -> {
            seeding.writeCredential(c.vaultPath(), c.username(), c.password());
            return null;
        });
        admin.post("/credentials/bulk", credentials.stream().map(DemoCredential::registration).toList());
    }

    /**
     * The dry run of the breach: the radius must be exactly the credentials exposed via Okta and those the graph
     * reaches from them; prints the path of each one that only the graph reaches. Returns those paths by credential.
     */
    private Map<String, String> dryRun(InventoryClient commander, Map<String, Object> breachRequest,
                                       List<String> problems) throws Exception {
        JsonNode radius = commander.post("/breaches?dryRun=true", breachRequest);
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        radius.path("credentials").forEach(e -> entries.put(e.path("credentialId").asText(), e));
        List<DemoCredential> graphOnly = credentials.stream().filter(c -> c.reach() == Reach.GRAPH).toList();
        step(String.format("dry run: %d credentials in the blast radius of %s, %d of them only through the graph:",
                entries.size(), DemoScenario.PROVIDER, graphOnly.stream().filter(c -> entries.containsKey(c.id())).count()));
        Map<String, String> paths = new LinkedHashMap<>();
        for (DemoCredential credential : graphOnly) {
            JsonNode entry = entries.get(credential.id());
            String path = entry == null ? null : DryRunPaths.render(entry);
            out.printf("      %-22s %s%n", credential.id(), entry == null ? "NOT IN THE RADIUS"
                    : path == null ? "(the dry run gives no path)" : path);
            if (entry == null) {
                problems.add("the dry run misses " + credential.id() + ", reached from " + DemoScenario.PROVIDER
                        + " only through the graph");
            } else if (path == null) {
                problems.add("the dry run gives no path for " + credential.id());
            } else {
                paths.put(credential.id(), path);
            }
        }
        Set<String> expected = credentials.stream().filter(DemoCredential::inRadius).map(DemoCredential::id)
                .collect(Collectors.toSet());
        List<String> missingDirect = credentials.stream().filter(c -> c.reach() == Reach.DIRECT)
                .map(DemoCredential::id).filter(id -> !entries.containsKey(id)).toList();
        List<String> extra = entries.keySet().stream().filter(id -> !expected.contains(id)).toList();
        if (!missingDirect.isEmpty()) {
            problems.add("the dry run misses " + missingDirect.size() + " credentials exposed via "
                    + DemoScenario.PROVIDER + ", e.g. " + missingDirect.get(0));
        }
        if (!extra.isEmpty()) {
            problems.add("the dry run holds " + extra.size() + " credentials outside the radius, e.g. " + extra.get(0));
        }
        return paths;
    }

    /**
     * Polls the campaign and draws a progress bar until it has ended (nothing pending or retrying) or the plan's
     * timeout passes.
     */
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
            boolean finished = CampaignWatch.ended(state) || System.nanoTime() > deadline;
            String line = "    " + ProgressBar.render(done, total, 40) + String.format("  rotated %d, failed %d  %5.1f s",
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

    /** The campaign's credentials that the inventory counts as rotated. */
    private Set<String> rotatedIds(InventoryClient client, String breachId) throws Exception {
        Set<String> ids = new HashSet<>();
        for (int page = 0; ; page++) {
            JsonNode items = client.get("/breaches/" + breachId + "/credentials?status=ROTATED&size=1000&page=" + page)
                    .path("items");
            items.forEach(item -> ids.add(item.path("credentialId").asText()));
            if (items.size() < 1000) {
                return ids;
            }
        }
    }

    /**
     * Logs in to each downstream with what Vault holds now and with the seeded value. Returns the credentials that
     * verified, as {@code rotated} or {@code untouched}; each other one is a problem.
     */
    private Map<String, String> verifyCredentials(DemoKinds kinds, List<String> problems) throws Exception {
        List<String> results = Parallel.map(credentials, VERIFY_THREADS, c -> {
            try {
                return check(c, kinds.get(c.type()).accounts());
            } catch (Exception e) {
                // a server that stopped answering is a finding of the demo, not a crash of it
                return "could not be checked (" + e.getClass().getSimpleName() + ")";
            }
        });
        Map<String, String> outcome = new LinkedHashMap<>();
        Iterator<String> result = results.iterator();
        for (DemoCredential credential : credentials) {
            String r = result.next();
            if (r.equals("rotated") || r.equals("untouched")) {
                outcome.put(credential.id(), r);
            } else {
                problems.add(credential.id() + ": " + r);
            }
        }
        long rotated = outcome.values().stream().filter("rotated"::equals).count();
        step(String.format("verified: %d rotated credentials log in with their new Vault value and not with the old "
                + "one; %d others untouched", rotated, outcome.size() - rotated));
        return outcome;
    }

    /** {@code rotated}, {@code untouched}, or what is wrong. */
    private String check(DemoCredential credential, DownstreamAccounts accounts) throws Exception {
        return seeding.check(credential.vaultPath(), credential.username(), credential.password(),
                credential.inRadius(), accounts);
    }

    /** Removes the users this run made on every server (once: also from the Ctrl-C hook); returns how many. */
    private int removeUsers(DemoKinds kinds, List<String> problems) {
        if (!usersRemoved.compareAndSet(false, true)) {
            return 0;
        }
        int removed = 0;
        List<String> from = new ArrayList<>();
        for (DemoKinds.Kind kind : kinds.all()) {
            if (kind.accounts() == null) {
                continue;
            }
            List<String> users = credentials.stream().filter(c -> c.type().equals(kind.type()))
                    .map(DemoCredential::username).toList();
            try {
                kind.accounts().dropUsers(users);
                removed += users.size();
                from.add(kind.label());
            } catch (Exception e) {
                problems.add("could not remove the demo's users from " + kind.label() + ": " + e.getMessage());
            }
        }
        kinds.close(); // the admin logins: the worker is done with them
        step("removed the " + removed + " users and " + from.size() + " admin logins this run made ("
                + String.join(", ", from) + ")");
        return removed;
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
        step(String.format("%s in %d log, Kafka and mail files (%d values looked for)",
                leaking == 0 ? "no secret value" : "SECRET VALUES FOUND in " + leaking + " files", files.size(),
                secretValues.size()));
    }

    /** Each owner with breached credentials gets one mail when the breach is reported and one summary. */
    private int verifyMail(List<String> problems) throws InterruptedException {
        Map<String, Long> expected = credentials.stream().filter(DemoCredential::inRadius)
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
        }
        step(String.format("mail: %d messages to %d owners (in %s)", mails.size(), expected.size(), stack.mailDir()));
        return mails.size();
    }

    private String countsByType() {
        return credentials.stream().collect(Collectors.groupingBy(c -> DemoKinds.label(c.type()),
                        LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static int count(List<DemoCredential> credentials, java.util.function.Predicate<DemoCredential> test) {
        return (int) credentials.stream().filter(test).count();
    }

    private void step(String message) {
        out.println("==> " + message);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
