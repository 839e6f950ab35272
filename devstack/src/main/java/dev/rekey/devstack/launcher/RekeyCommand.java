package dev.rekey.devstack.launcher;

import dev.rekey.devstack.auth.DevKeyPair;
import dev.rekey.devstack.auth.DevTokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** {@code ./rekey up | down | token | demo | breach}: the local stack's command line (see the root README). */
public final class RekeyCommand {

    private static final String USAGE = """
            usage: ./rekey <command>
              demo                              start everything, seed PostgreSQL, vault-kv and (where they answer)
                                                MariaDB, Redis, RabbitMQ credentials, report a breach of Okta,
                                                verify every rotation and mail; exit 0 only when all of it holds
              up                                start Kafka, PostgreSQL, the Vault dev server, SMTP capture and the
                                                three services; run until Ctrl-C or ./rekey down
              down                              stop what ./rekey up started
              token --role ROLE [--sub ID] [--ttl SECONDS]
                                                print a JWT the running stack trusts, signed with
                                                its key in .rekey/jwt (roles: admin, incident-commander,
                                                owner, auditor; negative ttl: expired)
              breach report|status|list|retry|evidence ...
                                                the incident commander's breach campaigns on the running
                                                stack (./rekey breach help)
            """ + benchUsage();

    private RekeyCommand() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("rekey.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".rekey");
        String command = args.length == 0 ? "help" : args[0];
        List<String> options = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "demo" -> demo(root, workDir);
            case "up" -> up(root, workDir);
            case "down" -> down(workDir);
            case "token" -> token(workDir, options);
            case "bench" -> bench(root, workDir, options);
            case "breach" -> BreachCommand.run(options, BreachCommand.Io.system(workDir));
            case "help", "-h", "--help" -> {
                System.out.print(USAGE);
                yield 0;
            }
            default -> {
                System.err.print("unknown command '" + command + "'\n" + USAGE);
                yield 2;
            }
        };
        System.exit(status);
    }

    private static int demo(Path root, Path workDir) throws Exception {
        if (alreadyRunning(workDir)) {
            return 1;
        }
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(root, workDir, RekeyCommand::step)) {
            // Ctrl-C must not leave the service JVMs, Kafka and PostgreSQL behind
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "rekey-demo-stop"));
            Duration startup = Duration.ofNanos(System.nanoTime() - t0);
            step(String.format("stack up in %.1f s (logs in %s)", startup.toMillis() / 1000.0, workDir.resolve("logs")));
            Demo.Report report = new Demo(stack, Demo.Plan.standard().skipping(skippedKinds()), System.out).run();
            System.out.println();
            System.out.printf("rekey demo summary (stack start-up %.1f s)%n", startup.toMillis() / 1000.0);
            report.print(System.out);
            return report.ok() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("DEMO FAILED: " + e.getMessage());
            return 1;
        }
    }

    /** {@code REKEY_DEMO_SKIP=mariadb,redis}: kinds the demo leaves alone even where their server answers. */
    private static Set<String> skippedKinds() {
        String skip = System.getenv().getOrDefault("REKEY_DEMO_SKIP", "");
        return Arrays.stream(skip.split(",")).map(String::trim).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
    }

    private static int up(Path root, Path workDir) throws Exception {
        if (alreadyRunning(workDir)) {
            return 1;
        }
        Path pidFile = workDir.resolve("launcher.pid");
        LocalStack stack = LocalStack.start(root, workDir, RekeyCommand::step);
        Files.writeString(pidFile, String.valueOf(ProcessHandle.current().pid()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the stack");
            stack.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // best effort
            }
            stopped.countDown();
        }, "rekey-down"));
        System.out.println("rekey is up; " + workDir.resolve("stack.env") + ":");
        stack.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.println("  " + e.getKey() + "=" + e.getValue()));
        System.out.println("token: ./rekey token --role admin   stop: Ctrl-C or ./rekey down");
        stopped.await();
        return 0;
    }

    /** A stack started by {@code ./rekey up} owns {@code .rekey/}: another start would wipe its stores. */
    private static boolean alreadyRunning(Path workDir) throws IOException {
        Path pidFile = workDir.resolve("launcher.pid");
        if (isRunning(workDir)) {
            System.err.println("the stack is already running (pid " + Files.readString(pidFile).trim()
                    + "); ./rekey down first");
            return true;
        }
        return false;
    }

    private static boolean isRunning(Path workDir) throws IOException {
        Path pidFile = workDir.resolve("launcher.pid");
        return Files.exists(pidFile) && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                .map(ProcessHandle::isAlive).orElse(false);
    }

    private static int down(Path workDir) throws Exception {
        Path pidFile = workDir.resolve("launcher.pid");
        if (!Files.exists(pidFile)) {
            System.out.println("nothing is running");
            return 0;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> launcher = ProcessHandle.of(pid);
        if (launcher.isEmpty() || !launcher.get().isAlive()) {
            Files.deleteIfExists(pidFile);
            System.out.println("nothing is running");
            return 0;
        }
        List<ProcessHandle> children = new ArrayList<>(launcher.get().descendants().toList());
        launcher.get().destroy();
        launcher.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        System.out.println("stopped");
        return 0;
    }

    private static int token(Path workDir, List<String> options) throws IOException {
        String role = option(options, "--role").orElse(null);
        List<String> roles = List.of("admin", "incident-commander", "owner", "auditor");
        if (role == null || !roles.contains(role)) {
            System.err.println("token: --role is one of " + roles);
            return 2;
        }
        Optional<String> sub = option(options, "--sub");
        if (role.equals("owner") && sub.isEmpty()) {
            System.err.println("token: an owner token needs --sub OWNER_ID");
            return 2;
        }
        long ttl;
        try {
            ttl = Long.parseLong(option(options, "--ttl").orElse("3600"));
        } catch (NumberFormatException e) {
            System.err.println("token: --ttl takes a whole number of seconds");
            return 2;
        }
        Path keyDir = workDir.resolve(LocalStack.JWT_DIR);
        if (!Files.exists(keyDir.resolve(DevKeyPair.PRIVATE_KEY_FILE))) {
            System.err.println("token: no stack key in " + keyDir + "; start the stack with ./rekey up first");
            return 1;
        }
        if (!isRunning(workDir)) {
            System.err.println("token: no stack is running; this token is signed with the key of the last one");
        }
        DevTokens tokens = new DevTokens(DevKeyPair.readFrom(keyDir));
        System.out.println(tokens.issue(sub.orElse("rekey-" + role), List.of(role), ttl));
        return 0;
    }

    /** {@code ./rekey bench} lives in the benchmarks module, which depends on this one: found on the class path. */
    private static final String BENCH = "dev.rekey.bench.BenchCommand";

    private static int bench(Path root, Path workDir, List<String> options) throws Exception {
        try {
            return (int) Class.forName(BENCH).getMethod("run", Path.class, Path.class, List.class)
                    .invoke(null, root, workDir, options);
        } catch (ClassNotFoundException e) {
            System.err.println("bench: the benchmarks module is not built (./mvnw -DskipTests package)");
            return 1;
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String benchUsage() {
        try {
            return (String) Class.forName(BENCH).getMethod("usage").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "  bench …                           (the benchmarks module is not built)\n";
        }
    }

    private static Optional<String> option(List<String> options, String name) {
        int i = options.indexOf(name);
        return i >= 0 && i + 1 < options.size() ? Optional.of(options.get(i + 1)) : Optional.empty();
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }
}
