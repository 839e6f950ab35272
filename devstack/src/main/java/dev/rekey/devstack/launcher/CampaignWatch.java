package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/**
 * Follows a breach campaign until it ends: a progress bar redrawn in place on a terminal, plain lines (on news, at
 * most every two seconds, and at least every ten) into a log or a pipe. Ctrl-C while it follows leaves the campaign
 * running in rekey and says how to watch it again.
 */
final class CampaignWatch {

    private static final long POLL_MILLIS = 500;
    private static final long PLAIN_MIN_NANOS = 2_000_000_000L;
    private static final long PLAIN_MAX_NANOS = 10_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final InventoryClient client;
    private final PrintStream progress;
    private final boolean terminal;

    CampaignWatch(InventoryClient client, PrintStream progress, boolean terminal) {
        this.client = client;
        this.progress = progress;
        this.terminal = terminal;
    }

    /** Polls {@code GET /breaches/{id}} until the campaign ends; returns its last view. */
    JsonNode follow(String breachId) throws Exception {
        Thread interrupted = new Thread(() -> {
            progress.println();
            progress.println("stopped watching; breach " + breachId + " keeps running in rekey: watch it with"
                    + " ./rekey breach status " + breachId);
            progress.flush();
        }, "rekey-breach-watch");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return poll(breachId);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook says its line
            }
        }
    }

    private JsonNode poll(String breachId) throws Exception {
        long start = System.nanoTime();
        long lastLine = 0;
        int lastDone = -1;
        while (true) {
            JsonNode view = client.get("/breaches/" + breachId);
            boolean ended = ended(view);
            int done = view.path("rotated").asInt() + view.path("failed").asInt();
            String line = line(view, (System.nanoTime() - start) / 1e9);
            long now = System.nanoTime();
            if (terminal) {
                progress.print("\r" + line + (ended ? "\n" : ""));
            } else if (ended || lastLine == 0 || (done != lastDone && now - lastLine >= PLAIN_MIN_NANOS)
                    || now - lastLine >= PLAIN_MAX_NANOS) {
                progress.println(line);
                lastLine = now;
                lastDone = done;
            }
            progress.flush();
            if (ended) {
                return view;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * The campaign has ended once it has a completion time and does not call itself running (a retry runs it
     * again). Both the status names of the first API (IN_PROGRESS, COMPLETED[_WITH_FAILURES]) and the campaign
     * contract's (RUNNING, COMPLETED) read right.
     */
    static boolean ended(JsonNode view) {
        String status = view.path("status").asText("");
        return view.hasNonNull("completedAt") && !status.equals("RUNNING") && !status.equals("IN_PROGRESS");
    }

    /** {@code [#######---]  7/10  rotated 6, failed 1, retrying 0   4.2 s} */
    static String line(JsonNode view, double seconds) {
        int rotated = view.path("rotated").asInt();
        int failed = view.path("failed").asInt();
        String retrying = view.has("retrying") ? ", retrying " + view.path("retrying").asInt() : "";
        return ProgressBar.render(rotated + failed, view.path("total").asInt(), BAR_WIDTH)
                + String.format("  rotated %d, failed %d%s  %6.1f s", rotated, failed, retrying, seconds);
    }
}
