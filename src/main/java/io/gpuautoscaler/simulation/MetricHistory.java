package io.gpuautoscaler.simulation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The scrapes of the simulated Prometheus, kept for the longest window asked for, and {@code rate()} over
 * them: the increase between the first and last sample inside the window, per second of the time between
 * them (a series younger than the window reads over its own life, without extrapolation).
 */
public final class MetricHistory {

    private record Scrape(double at, Map<String, FleetSimulator.PodMetrics> pods) {
    }

    private final double scrapeSeconds;
    private final Deque<Scrape> scrapes = new ArrayDeque<>();

    MetricHistory(double scrapeSeconds) {
        this.scrapeSeconds = scrapeSeconds;
    }

    void record(double at, List<FleetSimulator.PodMetrics> pods) {
        Map<String, FleetSimulator.PodMetrics> byName = new HashMap<>();
        pods.forEach(p -> byName.put(p.name(), p));
        scrapes.addLast(new Scrape(at, byName));
        while (!scrapes.isEmpty() && scrapes.peekFirst().at() < at - 600) {
            scrapes.removeFirst();
        }
    }

    /** The latest scrape, by pod. */
    public Map<String, FleetSimulator.PodMetrics> latest() {
        return scrapes.isEmpty() ? Map.of() : scrapes.peekLast().pods();
    }

    public double scrapeSeconds() {
        return scrapeSeconds;
    }

    /** Per-second rate of a counter of one pod over the window ending at the latest scrape; NaN if unknown. */
    public double rate(String pod, ToDoubleFunction<FleetSimulator.PodMetrics> counter, double windowSeconds) {
        if (scrapes.isEmpty()) {
            return Double.NaN;
        }
        double end = scrapes.peekLast().at();
        FleetSimulator.PodMetrics first = null;
        double firstAt = 0;
        FleetSimulator.PodMetrics last = null;
        double lastAt = 0;
        for (Scrape s : scrapes) {
            if (s.at() < end - windowSeconds) {
                continue;
            }
            FleetSimulator.PodMetrics p = s.pods().get(pod);
            if (p == null) {
                continue;
            }
            if (first == null) {
                first = p;
                firstAt = s.at();
            }
            last = p;
            lastAt = s.at();
        }
        if (first == null || lastAt <= firstAt) {
            return Double.NaN;
        }
        return (counter.applyAsDouble(last) - counter.applyAsDouble(first)) / (lastAt - firstAt);
    }

    /** Per-second rate of each cumulative TTFT bucket of one pod over the window. */
    public double[] bucketRates(String pod, double windowSeconds) {
        double[] out = new double[FleetSimulator.TTFT_BUCKETS.length];
        for (int i = 0; i < out.length; i++) {
            int b = i;
            out[i] = rate(pod, p -> p.ttftBuckets()[b], windowSeconds);
        }
        return out;
    }
}
