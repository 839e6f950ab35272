package dev.rekey.devstack.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a task for each item on a few threads, as the demo and the bench do to seed and verify many credentials. */
public final class Parallel {

    /** One item's work. */
    public interface Task<T, R> {
        R run(T item) throws Exception;
    }

    private Parallel() {
    }

    /** The results in the items' order; the first failure is thrown once every task has been submitted. */
    public static <T, R> List<R> map(List<T> items, int threads, Task<T, R> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.run(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
