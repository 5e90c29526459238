package io.gpuautoscaler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistogramTest {

    private static Histogram buckets(double... boundsAndCounts) {
        Histogram h = new Histogram();
        for (int i = 0; i < boundsAndCounts.length; i += 2) {
            h.add(boundsAndCounts[i], boundsAndCounts[i + 1]);
        }
        return h;
    }

    @ParameterizedTest(name = "q={0} -> {1}")
    @CsvSource({
        "0.5,  0.5",
        "0.95, 0.95",
        "0.25, 0.25",
        "1.0,  1.0",
    })
    void interpolatesLinearlyInsideABucketLikeHistogramQuantile(double q, double expected) {
        Histogram h = buckets(0.5, 50, 1.0, 100, Double.POSITIVE_INFINITY, 100);
        assertEquals(expected, h.quantile(q).getAsDouble(), 1e-9);
    }

    @Test
    void returnsTheHighestFiniteBoundWhenTheQuantileFallsInTheInfBucket() {
        Histogram h = buckets(0.5, 10, 1.0, 20, Double.POSITIVE_INFINITY, 100);
        assertEquals(1.0, h.quantile(0.95).getAsDouble(), 1e-9);
    }

    @Test
    void isUnknownWithoutObservationsOrWithoutAnInfBucket() {
        assertTrue(buckets(0.5, 0, Double.POSITIVE_INFINITY, 0).quantile(0.95).isEmpty());
        assertTrue(buckets(0.5, 3).quantile(0.95).isEmpty());
        assertTrue(new Histogram().quantile(0.95).isEmpty());
    }

    @Test
    void mergesPodsByAddingEqualBounds() {
        Histogram a = buckets(0.5, 90, 1.0, 100, Double.POSITIVE_INFINITY, 100);
        Histogram b = buckets(0.5, 0, 1.0, 0, Double.POSITIVE_INFINITY, 100);
        // Together: 90 of 200 under 0.5 s, 100 under 1 s, 100 beyond.
        assertEquals(1.0, a.addAll(b).quantile(0.95).getAsDouble(), 1e-9);
    }

    @Test
    void toleratesNonMonotonicRates() {
        Histogram h = buckets(0.5, 60, 1.0, 59.9, 2.0, 100, Double.POSITIVE_INFINITY, 100);
        assertEquals(1.875, h.quantile(0.95).getAsDouble(), 1e-6);
    }
}
