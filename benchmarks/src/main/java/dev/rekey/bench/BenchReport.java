package dev.rekey.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one {@code ./rekey bench} run measured: the table at the end, or {@code --json}. */
final class BenchReport {

    /** One breach campaign, measured from the moment the bench sent {@code POST /breaches}. */
    static final class BreachRun {
        final String label;
        final String breachId;
        int total;
        int rotated;
        int failed;
        int dueOnKafka;
        int rotatedEvents;
        int owners;
        int digests;
        double acceptedSeconds = Double.NaN;
        double firstDueSeconds = Double.NaN;
        double allDueSeconds = Double.NaN;
        double firstRotatedEventSeconds = Double.NaN;
        double firstRotatedSeconds = Double.NaN;
        double allRotatedSeconds = Double.NaN;
        double allDigestsSeconds = Double.NaN;
        double rate = Double.NaN;
        double durationP50Ms = Double.NaN;
        double durationP99Ms = Double.NaN;
        double sinceReportP50Ms = Double.NaN;
        double sinceReportP99Ms = Double.NaN;
        double digestLagP50Ms = Double.NaN;
        double digestLagMaxMs = Double.NaN;
        final List<String> problems = new ArrayList<>();

        BreachRun(String label, String breachId) {
            this.label = label;
            this.breachId = breachId;
        }

        /** Rotated and every owner notified: the design's "end to end". */
        double endToEndSeconds() {
            return Math.max(allRotatedSeconds, allDigestsSeconds);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            m.put("breachId", breachId);
            m.put("credentials", total);
            m.put("rotated", rotated);
            m.put("failed", failed);
            m.put("rotationDueOnKafka", dueOnKafka);
            m.put("secretRotatedSeen", rotatedEvents);
            m.put("reportAcceptedSeconds", num(acceptedSeconds));
            m.put("firstRotationDueOnKafkaSeconds", num(firstDueSeconds));
            m.put("allRotationDueOnKafkaSeconds", num(allDueSeconds));
            m.put("firstSecretRotatedOnKafkaSeconds", num(firstRotatedEventSeconds));
            m.put("firstRotatedSeconds", num(firstRotatedSeconds));
            m.put("allRotatedSeconds", num(allRotatedSeconds));
            m.put("allDigestsSentSeconds", num(allDigestsSeconds));
            m.put("endToEndSeconds", num(endToEndSeconds()));
            m.put("rotationsPerSecond", num(rate));
            m.put("workerDurationP50Ms", num(durationP50Ms));
            m.put("workerDurationP99Ms", num(durationP99Ms));
            m.put("reportToRotatedP50Ms", num(sinceReportP50Ms));
            m.put("reportToRotatedP99Ms", num(sinceReportP99Ms));
            m.put("owners", owners);
            m.put("digests", digests);
            m.put("digestAfterOwnersLastRotationP50Ms", num(digestLagP50Ms));
            m.put("digestAfterOwnersLastRotationMaxMs", num(digestLagMaxMs));
            m.put("problems", problems);
            return m;
        }
    }

    record ProcessUse(long pid, double cpuSeconds, long peakRssKb) {
    }

    final BenchOptions options;
    String where;
    double startupSeconds = Double.NaN;
    double seedingSeconds = Double.NaN;
    double loadBefore = -1;
    double loadAfter = -1;
    final List<BreachRun> breaches = new ArrayList<>();
    /** The {@code --warmup} breach, run before the measured ones (its CPU is not counted); null without one. */
    BreachRun warmup;
    final Map<String, ProcessUse> processes = new LinkedHashMap<>();
    boolean servicesAlive;
    int unreadableEvents;
    double backlogQueuedSeconds = Double.NaN;
    long backlogQueuedAtNanos;
    double backlogDrainedSeconds = Double.NaN;
    long backlogRotated;
    int backlogFailed;
    int verified;
    int checked;
    double verifySeconds = Double.NaN;
    final List<Floor.Level> floorLevels = new ArrayList<>();
    int floorRetries;
    final List<String> problems = new ArrayList<>();

    BenchReport(BenchOptions options) {
        this.options = options;
    }

    /** Every problem of the run: a failed or missing rotation, login, digest, a dead service, a leak. */
    List<String> allProblems() {
        List<String> all = new ArrayList<>();
        breaches.forEach(b -> b.problems.forEach(p -> all.add(b.label + ": " + p)));
        all.addAll(problems);
        if (checked == 0) {
            all.add("nothing was verified");
        } else if (verified < checked) {
            all.add((checked - verified) + " of " + checked + " credentials did not verify");
        }
        if (!servicesAlive) {
            all.add("a service process exited during the run (see .rekey/bench/logs)");
        }
        return all;
    }

    boolean ok() {
        return allProblems().isEmpty();
    }

    Floor.Level bestFloor() {
        return floorLevels.stream().max(Comparator.comparingDouble(Floor.Level::rate)).orElse(null);
    }

    /** The campaign's time from report to the last rotation, against the floor's time for the same count. */
    double floorRatio() {
        Floor.Level best = bestFloor();
        BreachRun main = breaches.isEmpty() ? null : breaches.get(0);
        if (best == null || main == null || Double.isNaN(main.allRotatedSeconds)) {
            return Double.NaN;
        }
        return main.allRotatedSeconds / (main.total / best.rate());
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("kind", options.kind());
        setup.put("where", where);
        setup.put("credentials", options.count());
        setup.put("owners", options.owners());
        setup.put("systems", options.systems());
        setup.put("maxConcurrentRotations", options.maxConcurrent());
        setup.put("workers", options.workers());
        setup.put("heap", options.heap());
        setup.put("backlog", options.backlog());
        setup.put("cores", Runtime.getRuntime().availableProcessors());
        setup.put("loadAverageBefore", num(loadBefore));
        setup.put("loadAverageAfter", num(loadAfter));
        m.put("setup", setup);
        m.put("stackStartupSeconds", num(startupSeconds));
        m.put("seedingSeconds", num(seedingSeconds));
        m.put("warmup", warmup == null ? null : warmup.toMap());
        m.put("breaches", breaches.stream().map(BreachRun::toMap).toList());
        if (options.backlog() > 0) {
            Map<String, Object> backlog = new LinkedHashMap<>();
            backlog.put("queued", options.backlog());
            backlog.put("queuedInSeconds", num(backlogQueuedSeconds));
            backlog.put("rotated", backlogRotated);
            backlog.put("failed", backlogFailed);
            backlog.put("drainedSecondsAfterQueued", num(backlogDrainedSeconds));
            backlog.put("backloggedOverIdle", num(backlogRatio()));
            m.put("backlog", backlog);
        }
        List<Map<String, Object>> floor = new ArrayList<>();
        floorLevels.forEach(l -> floor.add(Map.of("concurrency", l.concurrency(), "rotations", l.rotations(),
                "seconds", num(l.seconds()), "rotationsPerSecond", num(l.rate()))));
        m.put("floor", floor);
        m.put("floorVaultCallsRetried", floorRetries);
        m.put("floorBestRotationsPerSecond", bestFloor() == null ? null : num(bestFloor().rate()));
        m.put("campaignOverFloor", num(floorRatio()));
        Map<String, Object> procs = new LinkedHashMap<>();
        processes.forEach((name, use) -> procs.put(name, Map.of("pid", use.pid(), "cpuSeconds", num(use.cpuSeconds()),
                "peakRssMb", use.peakRssKb() < 0 ? -1 : num(use.peakRssKb() / 1024.0))));
        m.put("processes", procs);
        m.put("servicesAlive", servicesAlive);
        m.put("verified", verified);
        m.put("checked", checked);
        m.put("verifySeconds", num(verifySeconds));
        m.put("problems", allProblems());
        m.put("ok", ok());
        return m;
    }

    double backlogRatio() {
        if (breaches.size() < 2) {
            return Double.NaN;
        }
        return breaches.get(1).allRotatedSeconds / breaches.get(0).allRotatedSeconds;
    }

    String toJson() throws Exception {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
    }

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "rekey bench: %d %s credentials (%s), %d owners, %d system(s) of maxConcurrentRotations %d,"
                        + " %d worker process(es), services -Xmx%s; %d cores, load %.1f -> %.1f%n",
                options.count(), options.kind(), where, options.owners(), options.systems(), options.maxConcurrent(),
                options.workers(), options.heap(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        out.printf(Locale.ROOT, "  stack start-up %.1f s, seeding %.1f s%n", startupSeconds, seedingSeconds);
        boolean downstream = !options.kind().equals("vault-kv");
        List<BreachRun> shown = new ArrayList<>(breaches);
        if (warmup != null) {
            shown.add(0, warmup);
        }
        for (BreachRun b : shown) {
            out.println();
            out.printf("  breach %-12s %s%n", b.label, b.breachId);
            row(out, "credentials in the radius", String.valueOf(b.total), "");
            row(out, "report accepted (202)", sec(b.acceptedSeconds), "");
            row(out, "report -> first rotation-due on Kafka", sec(b.firstDueSeconds), "");
            row(out, "report -> every rotation-due on Kafka", sec(b.allDueSeconds), b.dueOnKafka + " seen");
            row(out, "report -> first secret-rotated on Kafka", sec(b.firstRotatedEventSeconds), "(the worker)");
            row(out, "report -> first rotated (inventory)", sec(b.firstRotatedSeconds), target(b.firstRotatedSeconds, 1.0));
            row(out, "report -> all rotated (inventory)", sec(b.allRotatedSeconds),
                    b.total >= 5000 && !options.kind().equals("postgresql") && !options.kind().equals("mariadb")
                            ? target(b.allRotatedSeconds, 10.0) : "");
            row(out, "report -> every owner's digest sent", sec(b.allDigestsSeconds), b.digests + " of " + b.owners
                    + " owners");
            row(out, "digest after the owner's last rotation",
                    ms(b.digestLagP50Ms) + " p50", ms(b.digestLagMaxMs) + " max  " + target(b.digestLagMaxMs / 1000.0, 2.0));
            row(out, "end to end (rotated and notified)", sec(b.endToEndSeconds()),
                    b.total >= 5000 && !options.kind().equals("postgresql") && !options.kind().equals("mariadb")
                            ? target(b.endToEndSeconds(), 10.0) : "");
            row(out, "rotations per second", String.format(Locale.ROOT, "%.1f", b.rate), b.failed + " failed");
            row(out, "worker: received -> committed (durationMs)", ms(b.durationP50Ms) + " p50", ms(b.durationP99Ms) + " p99");
            row(out, "per credential, report -> rotatedAt", ms(b.sinceReportP50Ms) + " p50",
                    ms(b.sinceReportP99Ms) + " p99");
        }
        if (options.backlog() > 0) {
            out.println();
            row(out, "backlog queued (rekey.rotation-due, direct)", options.backlog() + " in " + sec(backlogQueuedSeconds), "");
            row(out, "backlog done after queued", sec(backlogDrainedSeconds), backlogRotated + " rotated, "
                    + backlogFailed + " failed");
            double ratio = backlogRatio();
            row(out, "backlogged breach / idle breach", String.format(Locale.ROOT, "%.2fx", ratio),
                    Double.isNaN(ratio) ? "" : ratio <= 2.0 ? "target <= 2x: met" : "target <= 2x: NOT met");
        }
        if (!floorLevels.isEmpty()) {
            out.println();
            StringBuilder levels = new StringBuilder();
            floorLevels.forEach(l -> levels.append(String.format(Locale.ROOT, "%d: %.0f/s  ", l.concurrency(), l.rate())));
            row(out, "floor (" + (downstream ? "set + login + " : "") + "Vault, direct)", levels.toString().trim(), "");
            Floor.Level best = bestFloor();
            row(out, "floor, best", String.format(Locale.ROOT, "%.1f/s", best.rate()), "at concurrency " + best.concurrency());
            double ratio = floorRatio();
            row(out, "campaign time / floor time", String.format(Locale.ROOT, "%.2fx", ratio),
                    options.kind().equals("postgresql") && !Double.isNaN(ratio)
                            ? (ratio <= 1.3 ? "target <= 1.3x: met" : "target <= 1.3x: NOT met") : "");
        }
        out.println();
        out.printf("  %-46s %8s %10s %12s%n", "process", "pid", "peak RSS", "CPU s (run)");
        processes.forEach((name, use) -> out.printf(Locale.ROOT, "  %-46s %8d %7.0f MB %12.1f%n", name, use.pid(),
                use.peakRssKb() / 1024.0, use.cpuSeconds()));
        out.printf("  (CPU from the first report to the last digest; peak RSS = VmHWM since the process started;"
                + " services at -Xmx%s: %s)%n", options.heap(), servicesAlive ? "all alive" : "ONE EXITED");
        out.println();
        out.printf(Locale.ROOT, "  verified %d of %d credentials in %.1f s (%s)%n", verified, checked, verifySeconds,
                downstream ? "the value in Vault logs in, the seeded one is refused"
                        : "Vault holds a new version committed by the rotation");
        List<String> all = allProblems();
        if (all.isEmpty()) {
            out.println("BENCH OK");
        } else {
            out.println("BENCH FAILED:");
            all.stream().limit(20).forEach(p -> out.println("  - " + p));
            if (all.size() > 20) {
                out.println("  ... and " + (all.size() - 20) + " more");
            }
        }
    }

    private static void row(PrintStream out, String what, String value, String note) {
        out.printf("  %-46s %14s  %s%n", what, value, note);
    }

    private static String target(double seconds, double limit) {
        if (Double.isNaN(seconds)) {
            return "";
        }
        return String.format(Locale.ROOT, "target <= %.0f s: %s", limit, seconds <= limit ? "met" : "NOT met");
    }

    private static String sec(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static Object num(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 1000) / 1000.0;
    }
}
