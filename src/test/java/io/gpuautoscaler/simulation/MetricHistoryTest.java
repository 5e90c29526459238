package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** rate() over the simulated scrapes, as Prometheus computes it without extrapolation. */
class MetricHistoryTest {

    static FleetSimulator.PodMetrics pod(String name, double requests) {
        double[] buckets = new double[FleetSimulator.TTFT_BUCKETS.length];
        java.util.Arrays.fill(buckets, requests / 2);
        return new FleetSimulator.PodMetrics(name, 0, true, requests, 0, 0, 0, 0, 0, buckets);
    }

    @Test
    void rateIsTheIncreaseBetweenTheFirstAndLastSampleInsideTheWindow() {
        MetricHistory h = new MetricHistory(15);
        for (int i = 0; i <= 40; i++) {
            h.record(i * 15, List.of(pod("a", i * 15 * 3.0)));
        }
        assertEquals(3.0, h.rate("a", FleetSimulator.PodMetrics::requests, 60), 1e-9);
        assertEquals(1.5, h.bucketRates("a", 60)[0], 1e-9, "buckets over the same samples");
    }

    @Test
    void aSeriesYoungerThanTheWindowReadsOverItsOwnLifeAndOneSampleIsUnknown() {
        MetricHistory h = new MetricHistory(15);
        for (int i = 0; i <= 20; i++) {
            List<FleetSimulator.PodMetrics> pods = i < 18 ? List.of(pod("old", i * 10.0))
                    : List.of(pod("old", i * 10.0), pod("new", (i - 18) * 150.0));
            h.record(i * 15, pods);
        }
        assertEquals(10.0, h.rate("new", FleetSimulator.PodMetrics::requests, 120), 1e-9,
                "three samples 30 s apart, not the 120 s window");
        h.record(21 * 15, List.of(pod("old", 210), pod("newest", 5)));
        assertTrue(Double.isNaN(h.rate("newest", FleetSimulator.PodMetrics::requests, 60)));
        assertTrue(Double.isNaN(h.rate("absent", FleetSimulator.PodMetrics::requests, 60)));
    }

    @Test
    void aPodGoneFromTheLatestScrapeReadsUpToItsLastSampleAndExpiresWithTheWindow() {
        MetricHistory h = new MetricHistory(15);
        for (int i = 0; i <= 10; i++) {
            h.record(i * 15, List.of(pod("a", i * 30.0), pod("b", i * 60.0)));
        }
        h.record(165, List.of(pod("a", 330)));
        assertEquals(4.0, h.rate("b", FleetSimulator.PodMetrics::requests, 60), 1e-9);
        for (int i = 12; i <= 60; i++) {
            h.record(i * 15, List.of(pod("a", i * 30.0)));
        }
        assertTrue(Double.isNaN(h.rate("b", FleetSimulator.PodMetrics::requests, 60)));
        assertEquals(2.0, h.rate("a", FleetSimulator.PodMetrics::requests, 600), 1e-9, "ten minutes are kept");
        assertTrue(h.latest().containsKey("a") && !h.latest().containsKey("b"));
    }
}
