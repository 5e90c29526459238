package io.gpuautoscaler.policy;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Cumulative histogram bucket rates by upper bound ({@code le}), as Prometheus exposes them.
 * Buckets of several pods are merged by adding equal bounds.
 */
public final class Histogram {

    private final TreeMap<Double, Double> buckets = new TreeMap<>();

    public Histogram add(double upperBound, double cumulativeRate) {
        buckets.merge(upperBound, cumulativeRate, Double::sum);
        return this;
    }

    public Histogram addAll(Histogram other) {
        other.buckets.forEach(this::add);
        return this;
    }

    public boolean isEmpty() {
        return buckets.isEmpty();
    }

    /**
     * The q-quantile with Prometheus' {@code histogram_quantile} rules: linear interpolation inside a
     * bucket, the lower bound of the first bucket being 0, the highest finite bound returned for +Inf.
     * Empty when there are no observations.
     */
    public OptionalDouble quantile(double q) {
        if (buckets.isEmpty() || !buckets.containsKey(Double.POSITIVE_INFINITY)) {
            return OptionalDouble.empty();
        }
        double total = buckets.get(Double.POSITIVE_INFINITY);
        if (!(total > 0) || Double.isNaN(total)) {
            return OptionalDouble.empty();
        }
        double rank = q * total;
        double prevBound = 0;
        double prevCount = 0;
        double highestFinite = 0;
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            double bound = e.getKey();
            // Counts are monotonic in theory; rates over a window may jitter, so never go backwards.
            double count = Math.max(prevCount, e.getValue());
            if (count >= rank) {
                if (Double.isInfinite(bound)) {
                    return OptionalDouble.of(highestFinite);
                }
                double inBucket = count - prevCount;
                double lower = prevBound;
                if (inBucket <= 0) {
                    return OptionalDouble.of(bound);
                }
                return OptionalDouble.of(lower + (bound - lower) * (rank - prevCount) / inBucket);
            }
            prevBound = bound;
            prevCount = count;
            if (!Double.isInfinite(bound)) {
                highestFinite = bound;
            }
        }
        return OptionalDouble.of(highestFinite);
    }
}
