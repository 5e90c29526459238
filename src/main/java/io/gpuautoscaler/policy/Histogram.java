package io.gpuautoscaler.policy;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Cumulative histogram bucket rates by upper bound ({@code le}), as Prometheus exposes them. Buckets of
 * several pods are merged by adding equal bounds. Arrays sorted by bound: pods of one model share their
 * bounds, so merging is a vector add.
 */
public final class Histogram {

    private double[] bounds = new double[0];
    private double[] counts = new double[0];

    public Histogram add(double upperBound, double cumulativeRate) {
        int i = Arrays.binarySearch(bounds, upperBound);
        if (i >= 0) {
            counts[i] += cumulativeRate;
            return this;
        }
        int at = -i - 1;
        bounds = insert(bounds, at, upperBound);
        counts = insert(counts, at, cumulativeRate);
        return this;
    }

    private static double[] insert(double[] a, int at, double v) {
        double[] out = new double[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    public Histogram addAll(Histogram other) {
        if (bounds.length == 0) {
            bounds = other.bounds.clone();
            counts = other.counts.clone();
        } else if (Arrays.equals(bounds, other.bounds)) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += other.counts[i];
            }
        } else {
            for (int i = 0; i < other.bounds.length; i++) {
                add(other.bounds[i], other.counts[i]);
            }
        }
        return this;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /**
     * The q-quantile with Prometheus' {@code histogram_quantile} rules: linear interpolation inside a
     * bucket, the lower bound of the first bucket being 0, the highest finite bound returned for +Inf.
     * Empty when there are no observations.
     */
    public OptionalDouble quantile(double q) {
        int n = bounds.length;
        if (n == 0 || bounds[n - 1] != Double.POSITIVE_INFINITY) {
            return OptionalDouble.empty();
        }
        double total = counts[n - 1];
        if (!(total > 0)) {
            return OptionalDouble.empty();
        }
        double rank = q * total;
        double prevBound = 0;
        double prevCount = 0;
        double highestFinite = 0;
        for (int i = 0; i < n; i++) {
            double bound = bounds[i];
            // Counts are monotonic in theory; rates over a window may jitter, so never go backwards.
            double count = Math.max(prevCount, counts[i]);
            if (count >= rank) {
                if (Double.isInfinite(bound)) {
                    return OptionalDouble.of(highestFinite);
                }
                double inBucket = count - prevCount;
                if (inBucket <= 0) {
                    return OptionalDouble.of(bound);
                }
                return OptionalDouble.of(prevBound + (bound - prevBound) * (rank - prevCount) / inBucket);
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
