package dev.rekey.examples.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady load on the example service: a few threads, each sending one request after the other to every endpoint in
 * turn with a short pause, so that queries run and (with a short pool max-lifetime) new connections log in all the
 * time. Every answer is counted: 200 as a query, anything else as a failure by endpoint and SQL state.
 */
final class QueryLoad implements AutoCloseable {

    /** Totals at one moment; {@link #minus} gives those of a phase. */
    record Counts(long queries, long failed, Map<String, Long> failures) {

        Counts minus(Counts before) {
            Map<String, Long> diff = new TreeMap<>(failures);
            before.failures.forEach((k, v) -> diff.merge(k, -v, Long::sum));
            diff.values().removeIf(v -> v == 0);
            return new Counts(queries - before.queries, failed - before.failed, diff);
        }
    }

    private static final Pattern SQL_STATE = Pattern.compile("\"sqlState\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService threads;
    private final LongAdder queries = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private QueryLoad(String baseUrl, List<String> paths, int threadCount, Duration pause) {
        threads = Executors.newFixedThreadPool(threadCount);
        for (int t = 0; t < threadCount; t++) {
            threads.execute(() -> {
                while (running) {
                    for (String path : paths) {
                        send(baseUrl, path);
                    }
                    sleep(pause);
                }
            });
        }
    }

    static QueryLoad start(String baseUrl, List<String> paths, int threads, Duration pause) {
        return new QueryLoad(baseUrl, paths, threads, pause);
    }

    Counts counts() {
        Map<String, Long> byKind = new TreeMap<>();
        failures.forEach((k, v) -> byKind.put(k, v.sum()));
        return new Counts(queries.sum(), failed.sum(), byKind);
    }

    private void send(String baseUrl, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .GET().build();
        queries.increment();
        String failure;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return;
            }
            Matcher state = SQL_STATE.matcher(response.body());
            failure = "HTTP " + response.statusCode() + (state.find() ? " SQL state " + state.group(1) : "");
        } catch (IOException e) {
            failure = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        failed.increment();
        failures.computeIfAbsent(path + ": " + failure, k -> new LongAdder()).increment();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.shutdown();
        threads.awaitTermination(60, TimeUnit.SECONDS);
    }
}
