package dev.rekey.bench;

import dev.rekey.devstack.launcher.LocalStack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./rekey bench}: starts the whole stack in {@code .rekey/bench/} (apart from a stack of {@code ./rekey up},
 * which it leaves alone), runs {@link Bench} and prints its table, or JSON with {@code --json} (progress then goes to
 * stderr). Exit 0 when every check held, 1 when one did not, 2 for bad options. Called by the launcher's
 * {@code RekeyCommand}.
 */
public final class BenchCommand {

    private BenchCommand() {
    }

    /** The usage lines of {@code ./rekey bench}, for the launcher's help. */
    public static String usage() {
        return BenchOptions.USAGE;
    }

    public static int run(Path root, Path workDir, List<String> args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.print("bench: " + e.getMessage() + "\nusage: ./rekey\n" + BenchOptions.USAGE);
            return 2;
        }
        PrintStream progress = options.json() ? System.err : System.out;
        Path benchDir = workDir.resolve("bench");
        Map<String, List<String>> flags = Map.of();
        try {
            if (options.jfr()) {
                Path jfr = benchDir.resolve("jfr");
                Files.createDirectories(jfr);
                List<String> record = List.of("-XX:StartFlightRecording=filename=" + jfr + "/{name}.jfr,settings=profile,"
                        + "dumponexit=true");
                flags = Map.of("inventory-service", record, "rotation-worker", record);
            }
            long t0 = System.nanoTime();
            try (LocalStack stack = LocalStack.start(root, benchDir, m -> progress.println("==> " + m),
                    new LocalStack.Options(options.heap(), options.workers(), flags))) {
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "rekey-bench-stop"));
                double startup = (System.nanoTime() - t0) / 1e9;
                progress.printf("==> stack up in %.1f s (logs in %s)%n", startup, benchDir.resolve("logs"));
                BenchReport report = new Bench(stack, options, progress).run();
                report.startupSeconds = startup;
                if (options.json()) {
                    System.out.println(report.toJson());
                } else {
                    report.print(System.out);
                }
                if (options.jfr()) {
                    progress.println("==> JFR recordings are written to " + benchDir.resolve("jfr")
                            + " when the services stop");
                }
                return report.ok() ? 0 : 1;
            }
        } catch (Exception e) {
            System.err.println("BENCH FAILED: " + e);
            StackTraceElement[] trace = e.getStackTrace();
            for (int i = 0; i < Math.min(8, trace.length); i++) {
                System.err.println("    at " + trace[i]);
            }
            return 1;
        }
    }
}
