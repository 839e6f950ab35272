package dev.rekey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.downstream.DownstreamAccounts;
import dev.rekey.devstack.downstream.Secrets;
import dev.rekey.devstack.launcher.DemoKinds;
import dev.rekey.devstack.launcher.InventoryClient;
import dev.rekey.devstack.launcher.KindSeeding;
import dev.rekey.devstack.launcher.Parallel;
import dev.rekey.devstack.launcher.LocalStack;
import dev.rekey.devstack.launcher.ProgressBar;
import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One run of {@code ./rekey bench} on a started {@link LocalStack}: seeds, breaches, measures, verifies, runs the
 * floor; returns what it saw as a {@link BenchReport}. The seeding and the login checks are the demo's
 * ({@link DemoKinds}, {@link KindSeeding}).
 */
final class Bench {

    /** One seeded credential; {@code hot} ones are the backlog run's breach, {@code warmup} ones the warm-up's. */
    record Cred(String id, String systemId, String owner, String username, String vaultPath, String password,
                boolean hot, boolean warmup) {
        String email() {
            return owner + "@bench.rekey.dev";
        }

        @Override
        public String toString() {
            return "Cred[" + id + "]"; // never the password
        }
    }

    private static final int THREADS = 8;

    private final LocalStack stack;
    private final BenchOptions options;
    private final PrintStream out;
    private final Set<String> secretValues = ConcurrentHashMap.newKeySet();
    private final boolean terminal = System.console() != null;

    Bench(LocalStack stack, BenchOptions options, PrintStream out) {
        this.stack = stack;
        this.options = options;
        this.out = out;
    }

    BenchReport run() throws Exception {
        BenchReport report = new BenchReport(options);
        String prefix = "rkb_" + Secrets.runTag() + "_";
        Set<String> skip = new HashSet<>(DemoKinds.TYPES);
        skip.remove(options.kind());
        try (DemoKinds kinds = DemoKinds.open(stack, prefix, skip)) {
            DemoKinds.Kind kind = kinds.get(options.kind());
            if (!kind.used()) {
                throw new IllegalStateException(kind.label() + " cannot be used here: " + kind.skipReason());
            }
            report.where = kind.where();
            DownstreamAccounts accounts = kind.accounts();
            Vault vault = Vault.create(new VaultConfig().address(stack.vaultAddress()).token(stack.vaultToken())
                    .engineVersion(2).build());
            KindSeeding seeding = new KindSeeding(vault, stack.vaultAddress(), secretValues);
            InventoryClient admin = new InventoryClient(stack.inventoryUrl(),
                    stack.tokens().issue("bench-admin", List.of("admin"), 7200));
            InventoryClient commander = new InventoryClient(stack.inventoryUrl(),
                    stack.tokens().issue("bench-incident-commander", List.of("incident-commander"), 7200));

            long s0 = System.nanoTime();
            List<Cred> creds = build(prefix);
            seed(admin, seeding, accounts, creds);
            report.seedingSeconds = (System.nanoTime() - s0) / 1e9;
            step(String.format("seeded %d %s credentials for %d owners on %d system(s) in %.1f s (one bulk import per"
                    + " 10,000)", creds.size(), kind.label(), options.owners(), options.systems(), report.seedingSeconds));
            Floor floor = new Floor(options.kind(), accounts,
                    stack.postgres().jdbcUrl(LocalStack.DOWNSTREAM_DATABASE), stack.vaultAddress(), stack.vaultToken(),
                    prefix);
            Thread cleanup = new Thread(() -> removeUsers(accounts, creds, floor), "rekey-bench-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            List<Cred> toVerify = creds;
            try (EventTap tap = EventTap.start(stack.kafkaBootstrap())) {
                List<Cred> warm = creds.stream().filter(Cred::warmup).toList();
                if (!warm.isEmpty()) {
                    step("warm-up: a breach of " + warm.size() + " other credentials, so that the measured one"
                            + " meets services that have run before");
                    report.warmup = breach(commander, tap, warm, "bench-warmup", "warm-up");
                }
                Map<String, ProcStats.Reading> before = readProcesses();
                report.loadBefore = ProcStats.loadAverage();
                List<Cred> measured = creds.stream().filter(c -> !c.warmup()).toList();
                if (options.backlog() == 0) {
                    report.breaches.add(breach(commander, tap, measured, "bench", "all " + measured.size()));
                } else {
                    List<Cred> hot = creds.stream().filter(Cred::hot).toList();
                    step("idle run: a breach of " + hot.size() + " credentials on an idle system");
                    report.breaches.add(breach(commander, tap, hot, "bench-hot", "idle"));
                    Set<String> queued = queueBacklog(creds, report);
                    step("the same breach of " + hot.size() + " behind " + options.backlog() + " scheduled rotations");
                    report.breaches.add(breach(commander, tap, hot, "bench-hot", "backlogged"));
                    awaitBacklog(tap, report);
                    toVerify = creds.stream().filter(c -> c.hot() || c.warmup() || queued.contains(c.id())).toList();
                }
                report.loadAfter = ProcStats.loadAverage();
                Map<String, ProcStats.Reading> after = readProcesses();
                after.forEach((name, reading) -> {
                    ProcStats.Reading start = before.get(name);
                    report.processes.put(name, new BenchReport.ProcessUse(pid(name),
                            start == null ? Double.NaN : reading.cpuSeconds() - start.cpuSeconds(), reading.peakRssKb()));
                });
                report.servicesAlive = stack.processIds().entrySet().stream()
                        .allMatch(e -> ProcessHandle.of(e.getValue()).map(ProcessHandle::isAlive).orElse(false));
                report.unreadableEvents = tap.unreadable();
            }
            verify(seeding, accounts, toVerify, report);
            if (options.floor()) {
                runFloor(floor, report);
            }
            removeUsers(accounts, creds, floor);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            verifyNoSecretLeaked(report);
        }
        return report;
    }

    private List<Cred> build(String prefix) {
        List<Cred> creds = new ArrayList<>();
        String shortName = options.kind().equals("postgresql") ? "pg" : options.kind().equals("vault-kv") ? "kv"
                : options.kind();
        for (int i = 0; i < options.count() + options.warmup(); i++) {
            boolean warmup = i >= options.count();
            String id = (warmup ? "w-" : "b-") + shortName + "-" + String.format("%05d", i);
            String owner = ownerId(i % options.owners());
            String system = systemId(i % options.systems());
            String username = options.kind().equals("vault-kv") ? id : prefix + "u" + i;
            boolean hot = options.backlog() > 0 && i < options.breachSize();
            creds.add(new Cred(id, system, owner, username, "bench/" + owner + "/" + id, Secrets.password(), hot,
                    warmup));
        }
        return List.copyOf(creds);
    }

    private String systemId(int i) {
        return "bench-" + options.kind() + "-" + i;
    }

    private static String ownerId(int i) {
        return String.format("bench-owner-%03d", i);
    }

    private void seed(InventoryClient admin, KindSeeding seeding, DownstreamAccounts accounts, List<Cred> creds)
            throws Exception {
        for (int o = 0; o < options.owners(); o++) {
            admin.post("/owners", Map.of("id", ownerId(o), "name", "Bench team " + o,
                    "email", ownerId(o) + "@bench.rekey.dev"));
        }
        for (int s = 0; s < options.systems(); s++) {
            seeding.registerSystem(admin, options.kind(), systemId(s), accounts, options.maxConcurrent(),
                    List.of("bench"));
        }
        if (accounts != null) {
            // a few chunks side by side: PostgreSQL's SCRAM verifiers cost the client 4,096 PBKDF2 rounds each
            List<List<Cred>> chunks = chunks(creds, Math.max(1, (creds.size() + 3) / 4));
            Parallel.map(chunks, THREADS, chunk -> {
                Map<String, String> users = new LinkedHashMap<>();
                chunk.forEach(c -> users.put(c.username(), c.password()));
                accounts.createUsers(users);
                return null;
            });
        }
        Parallel.map(creds, THREADS, c -> {
            seeding.writeCredential(c.vaultPath(), c.username(), c.password());
            return null;
        });
        String credentialKind = DemoKinds.credentialKind(options.kind());
        for (List<Cred> chunk : chunks(creds, 10_000)) {
            admin.post("/credentials/bulk", chunk.stream().map(c -> Map.ofEntries(
                    Map.entry("id", c.id()), Map.entry("name", c.id()), Map.entry("kind", credentialKind),
                    Map.entry("vaultMount", KindSeeding.MOUNT), Map.entry("vaultPath", c.vaultPath()),
                    Map.entry("username", c.username()), Map.entry("systemId", c.systemId()),
                    Map.entry("ownerId", c.owner()),
                    Map.entry("tags", c.warmup() ? List.of("bench-warmup")
                            : c.hot() ? List.of("bench", "bench-hot") : List.of("bench")),
                    Map.entry("exposedVia", List.of()), Map.entry("grantsAccessTo", List.of()),
                    Map.entry("rotationPolicy", Map.of("maxAgeDays", 90, "generator", "password:32",
                            "strategy", "in-place")))).toList());
        }
    }

    /** Reports a breach of every credential tagged {@code tag} ({@code creds}) and measures it to the last digest. */
    private BenchReport.BreachRun breach(InventoryClient commander, EventTap tap, List<Cred> creds, String tag,
                                         String label) throws Exception {
        Map<String, Integer> mailBefore = mailCounts();
        long reportedMs = System.currentTimeMillis();
        long reportedNs = System.nanoTime();
        JsonNode breach = commander.post("/breaches", Map.of("title", "rekey bench: " + label,
                "reason", "Benchmark of a mass rotation.", "selector", Map.of("tags", List.of(tag))));
        double acceptedSeconds = (System.nanoTime() - reportedNs) / 1e9;
        UUID id = UUID.fromString(breach.path("id").asText());
        BenchReport.BreachRun run = new BenchReport.BreachRun(label, id.toString());
        run.acceptedSeconds = acceptedSeconds;
        run.total = breach.path("credentialCount").asInt(breach.path("total").asInt());
        if (run.total != creds.size()) {
            run.problems.add("the breach holds " + run.total + " credentials, expected " + creds.size());
        }
        long deadline = reportedNs + options.timeout().toNanos();
        long lastLine = 0;
        JsonNode state;
        while (true) {
            state = commander.get("/breaches/" + id);
            double t = (System.nanoTime() - reportedNs) / 1e9;
            int rotated = state.path("rotated").asInt();
            int failed = state.path("failed").asInt();
            if (rotated + failed > 0 && Double.isNaN(run.firstRotatedSeconds)) {
                run.firstRotatedSeconds = t;
            }
            boolean finished = state.path("pending").asInt() == 0 && rotated + failed >= run.total;
            boolean late = System.nanoTime() > deadline;
            if (finished || late || System.nanoTime() - lastLine > 1_000_000_000L) {
                String line = String.format("    %s  rotated %d, failed %d, due on Kafka %d  %5.1f s",
                        ProgressBar.render(rotated + failed, run.total, 30), rotated, failed, tap.dueTimes(id).size(), t);
                if (terminal) {
                    out.print("\r" + line + (finished || late ? "\n" : ""));
                } else {
                    out.println(line);
                }
                out.flush();
                lastLine = System.nanoTime();
            }
            if (finished || late) {
                run.allRotatedSeconds = finished ? t : Double.NaN;
                run.rotated = rotated;
                run.failed = failed;
                if (late) {
                    run.problems.add((run.total - rotated - failed) + " rotations still pending after "
                            + options.timeout().toSeconds() + " s");
                }
                break;
            }
            Thread.sleep(Double.isNaN(run.firstRotatedSeconds) ? 20 : 100);
        }
        if (run.failed > 0) {
            run.problems.add(run.failed + " rotations failed (GET /api/v1/breaches/" + id + "/credentials?status=FAILED)");
        }
        // the tap reads what the inventory and the worker wrote: give it a moment to catch up
        awaitCondition(() -> tap.dueTimes(id).size() >= run.total && tap.rotated(id).size() >= run.rotated,
                Duration.ofSeconds(15));
        List<Long> due = tap.dueTimes(id);
        run.dueOnKafka = due.size();
        run.allDueSeconds = due.size() >= run.total ? (Stats.max(due) - reportedMs) / 1000.0 : Double.NaN;
        run.firstDueSeconds = due.isEmpty() ? Double.NaN : (Stats.min(due) - reportedMs) / 1000.0;
        List<EventTap.Rotated> events = tap.rotated(id);
        run.firstRotatedEventSeconds = events.isEmpty() ? Double.NaN
                : (Stats.min(events.stream().map(EventTap.Rotated::brokerMillis).toList()) - reportedMs) / 1000.0;
        run.rotatedEvents = events.size();
        List<Long> durations = events.stream().map(e -> e.event().durationMs()).toList();
        List<Long> sinceReport = events.stream().map(e -> e.event().rotatedAt().toEpochMilli() - reportedMs).toList();
        run.durationP50Ms = Stats.percentile(durations, 50);
        run.durationP99Ms = Stats.percentile(durations, 99);
        run.sinceReportP50Ms = Stats.percentile(sinceReport, 50);
        run.sinceReportP99Ms = Stats.percentile(sinceReport, 99);
        run.rate = Double.isNaN(run.allRotatedSeconds) ? Double.NaN : run.rotated / run.allRotatedSeconds;

        // each owner of the radius: one alert at the report and one digest when its share is done
        Map<String, Long> lastRotationByOwner = new HashMap<>();
        events.forEach(e -> lastRotationByOwner.merge(e.event().owner().email(), e.event().rotatedAt().toEpochMilli(),
                Math::max));
        Set<String> recipients = creds.stream().map(Cred::email).collect(Collectors.toSet());
        awaitCondition(() -> {
            Map<String, Integer> now = mailCounts();
            return recipients.stream().allMatch(r -> now.getOrDefault(r, 0) - mailBefore.getOrDefault(r, 0) >= 2);
        }, Duration.ofSeconds(60));
        Map<String, List<Path>> mails = mailFiles();
        List<Long> digestLags = new ArrayList<>();
        long lastDigest = 0;
        int missing = 0;
        for (String recipient : recipients) {
            List<Path> theirs = mails.getOrDefault(recipient, List.of());
            int digestIndex = mailBefore.getOrDefault(recipient, 0) + 1;
            if (theirs.size() <= digestIndex) {
                missing++;
                continue;
            }
            long sent = Files.getLastModifiedTime(theirs.get(digestIndex)).toMillis();
            lastDigest = Math.max(lastDigest, sent);
            Long lastRotation = lastRotationByOwner.get(recipient);
            if (lastRotation != null) {
                digestLags.add(sent - lastRotation);
            }
            if (theirs.size() > digestIndex + 1) {
                run.problems.add(recipient + " received " + (theirs.size() - mailBefore.getOrDefault(recipient, 0))
                        + " mails for this breach, expected 2");
            }
        }
        if (missing > 0) {
            run.problems.add(missing + " of " + recipients.size() + " owners got no digest within 60 s");
        }
        run.owners = recipients.size();
        run.digests = recipients.size() - missing;
        run.allDigestsSeconds = missing == 0 ? (lastDigest - reportedMs) / 1000.0 : Double.NaN;
        run.digestLagP50Ms = Stats.percentile(digestLags, 50);
        run.digestLagMaxMs = Stats.max(digestLags);
        step(String.format("%s: first rotated %.2f s, all rotated %.2f s, every digest %.2f s after the report",
                label, run.firstRotatedSeconds, run.allRotatedSeconds, run.allDigestsSeconds));
        return run;
    }

    /**
     * Queues {@code --backlog} scheduled rotations of the credentials outside the breach on {@code rekey.rotation-due},
     * written directly to Kafka (the inventory has no scheduler yet) as the inventory would write them. Returns the ids
     * that got at least one.
     */
    private Set<String> queueBacklog(List<Cred> creds, BenchReport report) throws Exception {
        List<Cred> cold = creds.stream().filter(c -> !c.hot() && !c.warmup()).toList();
        Map<String, Object> fields = systemFields();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Set<String> queued = new HashSet<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < options.backlog(); i++) {
                Cred c = cold.get(i % cold.size());
                queued.add(c.id());
                RotationDue due = new RotationDue(UUID.randomUUID(), c.id(), Cause.scheduled(),
                        new RotationDue.Credential(DemoKinds.credentialKind(options.kind()), KindSeeding.MOUNT,
                                c.vaultPath(), c.username(), c.systemId()),
                        new RotationDue.Target(options.kind(), (String) fields.get("host"),
                                ((Number) fields.get("port")).intValue(), (String) fields.get("database"),
                                KindSeeding.MOUNT + "/rekey/admin/" + c.systemId(), options.maxConcurrent()),
                        new RotationDue.Policy("password:32", "in-place"), new OwnerRef(c.owner(), c.email()), false,
                        Instant.now());
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ROTATION_DUE, due.recordKey(),
                        EventJson.encode(due));
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", UUID.randomUUID().toString());
                header(record, "ce_source", "rekey/bench");
                header(record, "ce_type", EventTypes.ROTATION_DUE);
                header(record, "ce_subject", c.id());
                header(record, "ce_time", Instant.now().toString());
                header(record, "content-type", EventTypes.DATA_CONTENT_TYPE);
                producer.send(record);
            }
            producer.flush();
        }
        report.backlogQueuedSeconds = (System.nanoTime() - t0) / 1e9;
        step(String.format("queued %d scheduled rotations of %d credentials on %s in %.1f s", options.backlog(),
                queued.size(), Topics.ROTATION_DUE, report.backlogQueuedSeconds));
        report.backlogQueuedAtNanos = t0;
        return queued;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void awaitBacklog(EventTap tap, BenchReport report) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long lastLine = 0;
        while (tap.rotatedScheduled() + tap.failedScheduled() < options.backlog() && System.nanoTime() < deadline) {
            if (System.nanoTime() - lastLine > 2_000_000_000L) {
                out.printf("    backlog: %d of %d scheduled rotations done (%d failed)%n", tap.rotatedScheduled(),
                        options.backlog(), tap.failedScheduled());
                lastLine = System.nanoTime();
            }
            Thread.sleep(200);
        }
        report.backlogDrainedSeconds = (System.nanoTime() - report.backlogQueuedAtNanos) / 1e9;
        report.backlogRotated = tap.rotatedScheduled();
        report.backlogFailed = tap.failedScheduled();
        if (report.backlogRotated < options.backlog()) {
            report.problems.add((options.backlog() - report.backlogRotated) + " scheduled rotations of the backlog not"
                    + " rotated (" + report.backlogFailed + " failed)");
        }
        step(String.format("backlog: %d scheduled rotations done %.1f s after they were queued (%d failed)",
                report.backlogRotated, report.backlogDrainedSeconds, report.backlogFailed));
    }

    private Map<String, Object> systemFields() {
        Map<String, Object> fields = new HashMap<>();
        if (options.kind().equals("vault-kv")) {
            URI vault = URI.create(stack.vaultAddress());
            fields.put("host", vault.getHost());
            fields.put("port", vault.getPort());
            return fields;
        }
        return switch (options.kind()) {
            case "postgresql" -> Map.of("host", stack.postgres().host(), "port", stack.postgres().port(),
                    "database", LocalStack.DOWNSTREAM_DATABASE);
            case "mariadb" -> Map.of("host", "127.0.0.1", "port", 3306);
            default -> Map.of("host", "127.0.0.1", "port", 6379);
        };
    }

    /** Every credential's Vault value logs in and its seeded one does not (vault-kv: a new value with its rotation). */
    private void verify(KindSeeding seeding, DownstreamAccounts accounts, List<Cred> creds, BenchReport report)
            throws Exception {
        long t0 = System.nanoTime();
        List<String> results = Parallel.map(creds, THREADS, c -> {
            try {
                return seeding.check(c.vaultPath(), c.username(), c.password(), true, accounts);
            } catch (Exception e) {
                return "could not be checked (" + e.getClass().getSimpleName() + ")";
            }
        });
        int ok = 0;
        for (int i = 0; i < creds.size(); i++) {
            if (results.get(i).equals("rotated")) {
                ok++;
            } else if (report.problems.size() < 50) {
                report.problems.add(creds.get(i).id() + ": " + results.get(i));
            }
        }
        report.verified = ok;
        report.checked = creds.size();
        report.verifySeconds = (System.nanoTime() - t0) / 1e9;
        step(String.format("verified %d of %d: %s in %.1f s", ok, creds.size(), options.kind().equals("vault-kv")
                ? "Vault holds a new version written by the rotation"
                : "the value in Vault logs in, the seeded one is refused", report.verifySeconds));
    }

    private void runFloor(Floor floor, BenchReport report) throws Exception {
        int maxLevel = options.floorConcurrency().stream().mapToInt(Integer::intValue).max().orElse(1);
        step("floor: the same Vault and downstream work done directly, " + options.floorRotations()
                + " rotations at concurrency " + options.floorConcurrency());
        floor.prepare(Math.max(2 * maxLevel, 64));
        for (int level : options.floorConcurrency()) {
            Floor.Level result = floor.run(level, options.floorRotations());
            report.floorLevels.add(result);
            out.printf("    concurrency %3d: %6.1f rotations/s%n", level, result.rate());
        }
        report.floorRetries = floor.retries();
    }

    private void removeUsers(DownstreamAccounts accounts, List<Cred> creds, Floor floor) {
        synchronized (this) {
            if (accounts == null || removed) {
                return;
            }
            removed = true;
        }
        try {
            for (List<Cred> chunk : chunks(creds, 1000)) {
                accounts.dropUsers(chunk.stream().map(Cred::username).toList());
            }
        } catch (Exception e) {
            out.println("could not remove the bench's users: " + e.getMessage());
        }
        floor.cleanup();
    }

    private boolean removed;

    /** No credential value in the services' logs, the broker's data or the mail (as the demo checks). */
    private void verifyNoSecretLeaked(BenchReport report) throws IOException {
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
        SecretScan scan = new SecretScan(secretValues);
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".index") || name.endsWith(".timeindex")) {
                continue; // offsets and times only; preallocated to megabytes
            }
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // the broker's checkpoint .tmp files come and go
            }
            if (scan.foundIn(content)) {
                leaking++;
                report.problems.add("a credential value appears in " + stack.workDir().relativize(file));
            }
        }
        step(String.format("%s in %d log, Kafka and mail files (%d values looked for)",
                leaking == 0 ? "no secret value" : "SECRET VALUES FOUND in " + leaking + " files", files.size(),
                secretValues.size()));
    }

    /** Mails captured so far by recipient. */
    private Map<String, Integer> mailCounts() {
        Map<String, Integer> counts = new HashMap<>();
        mailFiles().forEach((r, files) -> counts.put(r, files.size()));
        return counts;
    }

    /** Captured mails by recipient in delivery order (the capture names them {@code <sequence>-<recipient>.eml}). */
    private Map<String, List<Path>> mailFiles() {
        try (Stream<Path> files = Files.list(stack.mailDir())) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted()
                    .collect(Collectors.groupingBy(p -> p.getFileName().toString().replaceFirst("^\\d+-", "")
                            .replaceFirst("\\.eml$", ""), LinkedHashMap::new, Collectors.toList()));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Readings of every process of the run: the stack's JVMs, this JVM, PostgreSQL's tree, the machine's server. */
    private Map<String, ProcStats.Reading> readProcesses() {
        Map<String, ProcStats.Reading> readings = new LinkedHashMap<>();
        pids().forEach((name, pid) -> ProcStats.read(pid, name.startsWith("postgres"))
                .ifPresent(r -> readings.put(name, r)));
        return readings;
    }

    private Map<String, Long> pidCache;

    private long pid(String name) {
        return pids().getOrDefault(name, -1L);
    }

    private synchronized Map<String, Long> pids() {
        if (pidCache == null) {
            Map<String, Long> pids = new LinkedHashMap<>(stack.processIds());
            pids.put("bench JVM (Vault dev server, SMTP, client)", ProcessHandle.current().pid());
            try {
                String postmaster = Files.readAllLines(stack.workDir().resolve("data/postgres/postmaster.pid")).get(0);
                pids.put("postgres (embedded, all processes)", Long.parseLong(postmaster.trim()));
            } catch (IOException | RuntimeException e) {
                // not there: left out of the table
            }
            Optional<Long> server = switch (options.kind()) {
                case "redis" -> ProcStats.findByName("redis-server");
                case "mariadb" -> ProcStats.findByName("mariadbd").or(() -> ProcStats.findByName("mysqld"));
                default -> Optional.empty();
            };
            server.ifPresent(pid -> pids.put(options.kind() + " (the machine's server)", pid));
            pidCache = pids;
        }
        return pidCache;
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return chunks;
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void step(String message) {
        out.println("==> " + message);
    }
}
