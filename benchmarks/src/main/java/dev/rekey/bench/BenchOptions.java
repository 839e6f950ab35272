package dev.rekey.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The options of {@code ./rekey bench}; {@link #parse} refuses anything else with a one-line reason. */
record BenchOptions(String kind, int count, int owners, int systems, int workers, String heap, int maxConcurrent,
                    int backlog, int breachSize, int warmup, List<Integer> floorConcurrency, int floorRotations, boolean floor,
                    boolean jfr, boolean json, Duration timeout) {

    static final List<String> KINDS = List.of("vault-kv", "redis", "postgresql", "mariadb");

    static final String USAGE = """
              bench [--kind vault-kv|redis|postgresql|mariadb] [--count N] [--workers N] [--backlog N] [--json]
                                                start the whole stack (services with -Xmx256m), seed N credentials
                                                (default 5000) of one kind through the bulk API, report a breach over
                                                all of them, measure until each rotation-due is on Kafka, the first
                                                and every credential is rotated and every owner's digest is out,
                                                against the floor (the same Vault and downstream work done directly);
                                                verify every login; exit 1 if one fails. --backlog N: queue N scheduled
                                                rotations, then compare a 100-credential breach with the idle one.
                                                --warmup N: first rotate N other credentials in a breach of their
                                                own, so that the measured breach meets warm services (default 0).
                                                More: --owners --systems --heap --max-concurrent --breach-size
                                                --floor-concurrency 4,8,16,32 --floor-rotations --no-floor --jfr
                                                --timeout SECONDS
            """;

    static BenchOptions parse(List<String> args) {
        String kind = "vault-kv";
        int count = 5000;
        int owners = 50;
        int systems = 1;
        int workers = 1;
        String heap = "256m";
        int maxConcurrent = 32;
        int backlog = 0;
        int breachSize = 100;
        int warmup = 0;
        List<Integer> floorConcurrency = List.of(4, 8, 16, 32);
        Integer floorRotations = null;
        boolean floor = true;
        boolean jfr = false;
        boolean json = false;
        long timeout = 600;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--no-floor" -> floor = false;
                case "--jfr" -> jfr = true;
                case "--json" -> json = true;
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("unknown option or missing value: " + a);
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--kind" -> {
                            if (!KINDS.contains(v)) {
                                throw new IllegalArgumentException("--kind is one of " + KINDS);
                            }
                            kind = v;
                        }
                        case "--count" -> count = number(a, v, 1, 50_000);
                        case "--owners" -> owners = number(a, v, 1, 1000);
                        case "--systems" -> systems = number(a, v, 1, 64);
                        case "--workers" -> workers = number(a, v, 1, 8);
                        case "--heap" -> {
                            if (!v.matches("\\d+[mMgG]")) {
                                throw new IllegalArgumentException("--heap takes a size like 256m");
                            }
                            heap = v;
                        }
                        case "--max-concurrent" -> maxConcurrent = number(a, v, 1, 1000);
                        case "--backlog" -> backlog = number(a, v, 0, 100_000);
                        case "--breach-size" -> breachSize = number(a, v, 1, 50_000);
                        case "--warmup" -> warmup = number(a, v, 0, 50_000);
                        case "--floor-concurrency" -> {
                            try {
                                floorConcurrency = Arrays.stream(v.split(",")).map(String::trim)
                                        .map(Integer::parseInt).toList();
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("--floor-concurrency takes numbers like 4,8,16,32");
                            }
                            if (floorConcurrency.isEmpty() || floorConcurrency.stream().anyMatch(c -> c < 1 || c > 256)) {
                                throw new IllegalArgumentException("--floor-concurrency: each from 1 to 256");
                            }
                        }
                        case "--floor-rotations" -> floorRotations = number(a, v, 1, 50_000);
                        case "--timeout" -> timeout = number(a, v, 10, 3600);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (backlog > 0 && breachSize >= count) {
            throw new IllegalArgumentException("--backlog needs --count above --breach-size (" + breachSize + ")");
        }
        if (owners > count) {
            owners = count;
        }
        if (systems > count) {
            systems = count;
        }
        return new BenchOptions(kind, count, owners, systems, workers, heap, maxConcurrent, backlog, breachSize, warmup,
                floorConcurrency, floorRotations != null ? floorRotations : Math.min(count, 500), floor, jfr, json,
                Duration.ofSeconds(timeout));
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " takes a number from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number");
        }
    }
}
