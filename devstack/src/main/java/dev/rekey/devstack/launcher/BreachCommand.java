package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.launcher.BreachOptions.UsageError;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code ./rekey breach report | status | list | retry | evidence}: the incident commander's command over the
 * inventory's breach API. Exit 0 when it did what was asked (a campaign followed to its end rotated everything),
 * 1 on an error or a campaign that ended with failures, 2 on wrong usage; an error is one line on stderr.
 */
public final class BreachCommand {

    static final String USAGE = """
            usage: ./rekey breach <subcommand>
              report --title TEXT [--reason TEXT] [--provider ID]... [--system ID]... [--tag TAG]...
                     [--owner ID]... [--credential ID]... [--all] [--issued-before INSTANT|DATE] [--yes]
                                    show the dry run (counts per owner and system, the path of each credential
                                    only the graph reaches), ask, report, follow the campaign to its end and
                                    print the failures with their reasons (--yes: do not ask)
              status ID             the campaign's counts, retries and failures with their reasons
              list                  every breach: id, reported, status, total/rotated/failed, title
              retry ID              rotate the campaign's failed credentials again and follow them
              evidence ID [--csv | --json]
                                    the campaign's evidence: a table, the CSV (for > file.csv) or the JSON
            The inventory is INVENTORY_URL, else the one in .rekey/stack.env; the token is REKEY_TOKEN, else an
            incident-commander token minted with the running stack's key. Exit 0 done, 1 error or failed
            rotations, 2 wrong usage.
            """;

    /**
     * Where the command reads and writes: stdin for the confirmation, stdout for results, stderr for the prompt,
     * progress and errors; whether stdin and stderr are terminals; the environment and the stack's work directory.
     */
    public record Io(BufferedReader in, PrintStream out, PrintStream err, boolean stdinTerminal,
                     boolean stderrTerminal, Map<String, String> env, Path workDir) {

        /**
         * This process's streams. {@code ./rekey} tells whether stdin and stderr are terminals
         * ({@code -Drekey.stdin.tty}, {@code -Drekey.stderr.tty}); without it, whether there is a console.
         */
        public static Io system(Path workDir) {
            boolean console = System.console() != null;
            return new Io(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out,
                    System.err, tty("rekey.stdin.tty", console), tty("rekey.stderr.tty", console), System.getenv(),
                    workDir);
        }

        private static boolean tty(String property, boolean fallback) {
            String value = System.getProperty(property);
            return value == null ? fallback : Boolean.parseBoolean(value);
        }
    }

    /** Went wrong: one line for stderr, exit 1. */
    private static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "incident-commander";
    private static final Set<String> SELECTOR_OPTIONS = Set.of("--provider", "--system", "--tag", "--owner",
            "--credential");

    private final Io io;
    private String inventoryUrl = "the inventory";

    private BreachCommand(Io io) {
        this.io = io;
    }

    /** Runs {@code ./rekey breach ARGS}; returns the exit status. */
    public static int run(List<String> args, Io io) {
        return new BreachCommand(io).dispatch(args);
    }

    private int dispatch(List<String> args) {
        String sub = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        try {
            return switch (sub) {
                case "report" -> report(BreachOptions.parse(rest,
                        Set.of("--title", "--reason", "--provider", "--system", "--tag", "--owner", "--credential",
                                "--issued-before"), Set.of("--all", "--yes")));
                case "status" -> status(id(BreachOptions.parse(rest, Set.of(), Set.of())));
                case "list" -> list(BreachOptions.parse(rest, Set.of(), Set.of()));
                case "retry" -> retry(id(BreachOptions.parse(rest, Set.of(), Set.of())));
                case "evidence" -> evidence(BreachOptions.parse(rest, Set.of(), Set.of("--csv", "--json")));
                case "help", "-h", "--help" -> {
                    io.out().print(USAGE);
                    yield 0;
                }
                case "" -> throw new UsageError("which one: report, status, list, retry or evidence?");
                default -> throw new UsageError("unknown subcommand '" + sub + "'");
            };
        } catch (UsageError e) {
            io.err().println("breach" + (sub.isEmpty() || sub.startsWith("-") ? "" : " " + sub) + ": "
                    + e.getMessage() + " (./rekey breach help)");
            return 2;
        } catch (Failure | StackAccess.Unavailable e) {
            io.err().println("error: " + e.getMessage());
            return 1;
        } catch (InventoryClient.ApiError e) {
            io.err().println("error: " + describe(e));
            return 1;
        } catch (ConnectException | HttpConnectTimeoutException e) {
            io.err().println("error: no rekey stack answers at " + inventoryUrl + ": start one with ./rekey up");
            return 1;
        } catch (IOException e) {
            io.err().println("error: talking to " + inventoryUrl + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            io.err().println("error: interrupted");
            return 1;
        } catch (Exception e) {
            io.err().println("error: " + e);
            return 1;
        }
    }

    /** {@code title: detail (field: message; ...)} of a problem, or the status when the body was not one. */
    static String describe(InventoryClient.ApiError e) {
        String line = e.title() == null ? "the inventory answered " + e.status()
                : e.title() + (e.detail() == null ? "" : ": " + e.detail());
        if (!e.fieldErrors().isEmpty()) {
            line += " (" + String.join("; ", e.fieldErrors()) + ")";
        }
        return line.replaceAll("[\\r\\n]+", " ");
    }

    // ---- report

    private int report(BreachOptions options) throws Exception {
        if (!options.positional().isEmpty()) {
            throw new UsageError("unexpected argument '" + options.positional().get(0) + "'");
        }
        String title = options.single("--title");
        if (title == null) {
            throw new UsageError("--title is required");
        }
        Map<String, Object> selector = selector(options);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("title", title);
        if (options.single("--reason") != null) {
            request.put("reason", options.single("--reason"));
        }
        request.put("selector", selector);
        InventoryClient client = client();

        JsonNode radius = client.post("/breaches?dryRun=true", request);
        int total = radius.path("total").asInt(radius.path("credentials").size());
        printRadius(radius, total);
        if (total == 0) {
            throw new Failure("the blast radius is empty: nothing reported");
        }
        if (!options.flag("--yes") && !confirmed(title, total)) {
            return 1;
        }
        JsonNode breach = client.post("/breaches", request);
        String id = breach.path("id").asText();
        io.out().println("breach " + id + " reported: " + breach.path("total").asInt(total)
                + " credentials to rotate");
        io.out().flush();
        return followToEnd(client, id);
    }

    private Map<String, Object> selector(BreachOptions options) throws UsageError {
        Map<String, Object> selector = new LinkedHashMap<>();
        Map<String, String> fields = Map.of("--provider", "providers", "--system", "systems", "--tag", "tags",
                "--owner", "owners", "--credential", "credentialIds");
        for (String option : List.of("--provider", "--system", "--tag", "--owner", "--credential")) {
            if (!options.all(option).isEmpty()) {
                selector.put(fields.get(option), options.all(option));
            }
        }
        if (options.flag("--all")) {
            selector.put("all", true);
        }
        if (selector.isEmpty()) {
            throw new UsageError("name what was breached: " + String.join(", ", SELECTOR_OPTIONS.stream().sorted()
                    .toList()) + " or --all");
        }
        String issuedBefore = options.single("--issued-before");
        if (issuedBefore != null) {
            selector.put("issuedBefore", instant(issuedBefore).toString());
        }
        return selector;
    }

    /** {@code 2026-11-30T12:00:00Z}, an offset date-time, or a date (its start in UTC). */
    private static Instant instant(String text) throws UsageError {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new UsageError("--issued-before takes an instant (2026-11-30T12:00:00Z) or a date (2026-11-30)");
            }
        }
    }

    private void printRadius(JsonNode radius, int total) {
        PrintStream out = io.out();
        out.println("dry run: " + total + " credential" + (total == 1 ? "" : "s") + " in the blast radius");
        JsonNode entries = radius.path("credentials");
        printCounts("per owner", entries, "ownerId");
        printCounts("per system", entries, "systemId");
        List<String[]> indirect = new ArrayList<>();
        for (JsonNode entry : entries) {
            String path = entry.path("matchedBy").isEmpty() ? DryRunPaths.render(entry) : null;
            if (path != null) {
                indirect.add(new String[]{entry.path("credentialId").asText(), path});
            }
        }
        if (!indirect.isEmpty()) {
            out.println("  reached only through the graph (" + indirect.size() + "):");
            int width = indirect.stream().mapToInt(p -> p[0].length()).max().orElse(0);
            indirect.forEach(p -> out.printf("    %-" + width + "s  %s%n", p[0], p[1]));
        }
        out.flush();
    }

    private void printCounts(String heading, JsonNode entries, String field) {
        Map<String, Integer> counts = new TreeMap<>();
        entries.forEach(e -> counts.merge(e.path(field).asText("-"), 1, Integer::sum));
        if (counts.isEmpty()) {
            return;
        }
        io.out().println("  " + heading + ":");
        int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
        counts.forEach((key, count) -> io.out().printf("    %-" + width + "s %6d%n", key, count));
    }

    /** Asks on the terminal; without one, refuses (a script must say --yes). */
    private boolean confirmed(String title, int total) throws IOException {
        if (!io.stdinTerminal()) {
            io.err().println("not confirmed: pass --yes to report without asking (stdin is not a terminal);"
                    + " nothing reported");
            return false;
        }
        io.err().print("report breach \"" + title + "\" and rotate these " + total + " credentials now? [y/N] ");
        io.err().flush();
        String answer = io.in().readLine();
        String a = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
        if (a.equals("y") || a.equals("yes")) {
            return true;
        }
        io.err().println("not confirmed: nothing reported");
        return false;
    }

    // ---- following a campaign

    /** Follows the campaign to its end, prints its outcome and failures; 0 when nothing failed. */
    private int followToEnd(InventoryClient client, String id) throws Exception {
        long start = System.nanoTime();
        JsonNode view = new CampaignWatch(client, io.err(), io.stderrTerminal()).follow(id);
        io.out().printf("breach %s %s in %.1f s: %d rotated, %d failed of %d%n", id,
                view.path("status").asText("ended"), (System.nanoTime() - start) / 1e9, view.path("rotated").asInt(),
                view.path("failed").asInt(), view.path("total").asInt());
        int failed = printFailures(client, id);
        if (failed > 0) {
            io.out().println("rotate them again with ./rekey breach retry " + id);
        }
        return failed == 0 ? 0 : 1;
    }

    /** Prints the campaign's failed credentials with the reason of their last attempt; returns how many. */
    private int printFailures(InventoryClient client, String id) throws Exception {
        return printCredentials(client, id, "FAILED", "failures");
    }

    /** Prints the campaign's credentials in {@code status} with the reason of their last attempt; returns how many. */
    private int printCredentials(InventoryClient client, String id, String status, String heading) throws Exception {
        List<JsonNode> failures = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode items = client.get("/breaches/" + id + "/credentials?status=" + status + "&size=1000&page="
                    + page).path("items");
            items.forEach(failures::add);
            if (items.size() < 1000) {
                break;
            }
        }
        if (failures.isEmpty()) {
            return 0;
        }
        io.out().println(heading + " (" + failures.size() + "):");
        table(List.of("CREDENTIAL", "OWNER", "ATTEMPTS", "REASON"), failures.stream()
                .map(f -> List.of(f.path("credentialId").asText(), f.path("ownerId").asText("-"),
                        f.path("attempts").asText(), f.path("reason").asText("(no reason given)")))
                .toList());
        return failures.size();
    }

    // ---- status, list, retry, evidence

    private int status(String id) throws Exception {
        InventoryClient client = client();
        JsonNode view = client.get("/breaches/" + id);
        PrintStream out = io.out();
        out.println("breach " + view.path("id").asText() + ": " + view.path("title").asText());
        if (view.hasNonNull("reason")) {
            out.println("  reason:    " + view.path("reason").asText());
        }
        out.println("  selector:  " + selectorText(view.path("selector")));
        out.println("  reported:  " + time(view.path("reportedAt")) + " by " + view.path("reportedBy").asText("-"));
        out.println("  completed: " + (view.hasNonNull("completedAt") ? time(view.path("completedAt")) : "not yet"));
        StringBuilder counts = new StringBuilder("  status:    " + view.path("status").asText() + "  total "
                + view.path("total").asInt() + ", rotated " + view.path("rotated").asInt() + ", failed "
                + view.path("failed").asInt() + ", pending " + view.path("pending").asInt());
        if (view.has("retrying")) {
            counts.append(", retrying ").append(view.path("retrying").asInt());
        }
        out.println(counts);
        for (JsonNode retry : view.path("retries")) {
            out.println("  retried:   " + time(retry.path("retriedAt")) + " by " + retry.path("retriedBy").asText()
                    + ": " + retry.path("count").asInt() + " credentials");
        }
        if (view.path("retrying").asInt() > 0) {
            printCredentials(client, id, "RETRYING", "retrying, the last attempt failed");
        }
        printFailures(client, id);
        return 0;
    }

    private int list(BreachOptions options) throws Exception {
        if (!options.positional().isEmpty()) {
            throw new UsageError("unexpected argument '" + options.positional().get(0) + "'");
        }
        InventoryClient client = client();
        List<JsonNode> breaches = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode items = client.get("/breaches?size=1000&page=" + page).path("items");
            items.forEach(breaches::add);
            if (items.size() < 1000) {
                break;
            }
        }
        if (breaches.isEmpty()) {
            io.out().println("no breach reported yet");
            return 0;
        }
        table(List.of("ID", "REPORTED", "STATUS", "TOTAL/ROTATED/FAILED", "TITLE"), breaches.stream()
                .map(b -> List.of(b.path("id").asText(), time(b.path("reportedAt")), b.path("status").asText(),
                        b.path("total").asInt() + "/" + b.path("rotated").asInt() + "/" + b.path("failed").asInt(),
                        b.path("title").asText()))
                .toList());
        return 0;
    }

    private int retry(String id) throws Exception {
        InventoryClient client = client();
        JsonNode view = client.post("/breaches/" + id + "/retry");
        JsonNode retries = view.path("retries");
        int count = retries.isArray() && !retries.isEmpty() ? retries.get(retries.size() - 1).path("count").asInt()
                : view.path("pending").asInt();
        io.out().println("breach " + id + ": rotating " + count + " failed credentials again");
        io.out().flush();
        return followToEnd(client, id);
    }

    private int evidence(BreachOptions options) throws Exception {
        String id = id(options);
        if (options.flag("--csv") && options.flag("--json")) {
            throw new UsageError("--csv or --json, not both");
        }
        InventoryClient client = client();
        String path = "/breaches/" + id + "/report";
        if (options.flag("--csv")) {
            String csv = client.getText(path, "text/csv");
            io.out().print(csv.endsWith("\n") || csv.isEmpty() ? csv : csv + "\n");
            return 0;
        }
        JsonNode report = client.get(path);
        if (options.flag("--json")) {
            io.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return 0;
        }
        JsonNode breach = report.path("breach");
        io.out().println("evidence of breach " + breach.path("id").asText(id) + ": " + breach.path("title").asText()
                + " (generated " + time(report.path("generatedAt")) + ")");
        table(List.of("CREDENTIAL", "OWNER", "SYSTEM", "OUTCOME", "VERSION", "VERIFIED", "ATTEMPTS", "REASON"),
                java.util.stream.StreamSupport.stream(report.path("credentials").spliterator(), false)
                        .map(c -> List.of(c.path("credentialId").asText(), c.path("ownerId").asText("-"),
                                c.path("systemId").asText("-"), c.path("outcome").asText(),
                                c.path("previousVersion").asText("-") + " -> " + c.path("version").asText("-"),
                                time(c.path("verifiedAt")), c.path("attempts").asText("-"),
                                c.hasNonNull("reason") ? c.path("reason").asText() : ""))
                        .toList());
        return 0;
    }

    // ---- helpers

    private InventoryClient client() throws Exception {
        StackAccess access = StackAccess.resolve(io.env(), io.workDir(), ROLE);
        inventoryUrl = access.inventoryUrl();
        return new InventoryClient(access.inventoryUrl(), access.token());
    }

    /** The one positional argument, a breach id; a text that is no UUID names no breach. */
    private static String id(BreachOptions options) throws UsageError, Failure {
        if (options.positional().size() != 1) {
            throw new UsageError(options.positional().isEmpty() ? "which breach? give its ID (./rekey breach list)"
                    : "one breach ID, not " + options.positional().size());
        }
        String id = options.positional().get(0);
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new Failure("no breach with id '" + id + "': breach ids are UUIDs (./rekey breach list)");
        }
    }

    private static String selectorText(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        selector.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isArray() && !value.isEmpty()) {
                List<String> values = new ArrayList<>();
                value.forEach(v -> values.add(v.asText()));
                parts.add(field.getKey() + " " + String.join(",", values));
            } else if (value.isBoolean() && value.asBoolean()) {
                parts.add(field.getKey());
            } else if (value.isTextual()) {
                parts.add(field.getKey() + " " + value.asText());
            }
        });
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    /** An instant to the second, or {@code -}. */
    private static String time(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return "-";
        }
        try {
            return Instant.parse(node.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return node.asText();
        }
    }

    /** Columns padded to their widest cell; the last one is not padded. */
    private void table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (List<String> row : concat(header, rows)) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : concat(header, rows)) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.size(); i++) {
                line.append(' ').append(i == row.size() - 1 ? row.get(i)
                        : String.format("%-" + widths[i] + "s ", row.get(i)));
            }
            io.out().println(line.toString().stripTrailing());
        }
        io.out().flush();
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
