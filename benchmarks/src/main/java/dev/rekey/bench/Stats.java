package dev.rekey.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Percentiles by the nearest-rank method. */
final class Stats {

    private Stats() {
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) of {@code values}, or NaN when there are none. */
    static double percentile(Collection<? extends Number> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    static double min(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }
}
