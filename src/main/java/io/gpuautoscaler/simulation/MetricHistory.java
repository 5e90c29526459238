package io.gpuautoscaler.simulation;

import java.util.ArrayList;
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

    private static final double KEPT_SECONDS = 600;

    private record Scrape(double at, Map<String, FleetSimulator.PodMetrics> pods) {
    }

    /** A pod's first and last samples inside a window. */
    private record Span(FleetSimulator.PodMetrics first, double firstAt, FleetSimulator.PodMetrics last,
            double lastAt) {
    }

    private final double scrapeSeconds;
    /** Oldest first; entries before {@code head} are expired. */
    private final List<Scrape> scrapes = new ArrayList<>();
    private int head;

    MetricHistory(double scrapeSeconds) {
        this.scrapeSeconds = scrapeSeconds;
    }

    void record(double at, List<FleetSimulator.PodMetrics> pods) {
        Map<String, FleetSimulator.PodMetrics> byName = new HashMap<>(pods.size() * 2);
        pods.forEach(p -> byName.put(p.name(), p));
        scrapes.add(new Scrape(at, byName));
        while (head < scrapes.size() && scrapes.get(head).at() < at - KEPT_SECONDS) {
            head++;
        }
        if (head > 256) {
            scrapes.subList(0, head).clear();
            head = 0;
        }
    }

    /** The latest scrape, by pod. */
    public Map<String, FleetSimulator.PodMetrics> latest() {
        return scrapes.size() == head ? Map.of() : scrapes.get(scrapes.size() - 1).pods();
    }

    public double scrapeSeconds() {
        return scrapeSeconds;
    }

    /** Per-second rate of a counter of one pod over the window ending at the latest scrape; NaN if unknown. */
    public double rate(String pod, ToDoubleFunction<FleetSimulator.PodMetrics> counter, double windowSeconds) {
        Span s = span(pod, windowSeconds);
        return s == null ? Double.NaN
                : (counter.applyAsDouble(s.last()) - counter.applyAsDouble(s.first())) / (s.lastAt() - s.firstAt());
    }

    /** Per-second rate of each cumulative TTFT bucket of one pod over the window. */
    public double[] bucketRates(String pod, double windowSeconds) {
        double[] out = new double[FleetSimulator.TTFT_BUCKETS.length];
        Span s = span(pod, windowSeconds);
        for (int i = 0; i < out.length; i++) {
            out[i] = s == null ? Double.NaN
                    : (s.last().ttftBuckets()[i] - s.first().ttftBuckets()[i]) / (s.lastAt() - s.firstAt());
        }
        return out;
    }

    private Span span(String pod, double windowSeconds) {
        if (scrapes.size() == head) {
            return null;
        }
        double end = scrapes.get(scrapes.size() - 1).at();
        int lo = head;
        int hi = scrapes.size() - 1;
        while (lo < hi) { // the first scrape inside the window
            int mid = (lo + hi) >>> 1;
            if (scrapes.get(mid).at() < end - windowSeconds) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int firstIdx = -1;
        for (int i = lo; i < scrapes.size() && firstIdx < 0; i++) {
            if (scrapes.get(i).pods().containsKey(pod)) {
                firstIdx = i;
            }
        }
        if (firstIdx < 0) {
            return null;
        }
        int lastIdx = scrapes.size() - 1;
        while (lastIdx > firstIdx && !scrapes.get(lastIdx).pods().containsKey(pod)) {
            lastIdx--;
        }
        if (lastIdx == firstIdx) {
            return null;
        }
        Scrape f = scrapes.get(firstIdx);
        Scrape l = scrapes.get(lastIdx);
        return new Span(f.pods().get(pod), f.at(), l.pods().get(pod), l.at());
    }
}
