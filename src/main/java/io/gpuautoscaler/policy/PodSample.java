package io.gpuautoscaler.policy;

import java.util.Arrays;
import java.util.Set;

/** What one pod reported in a tick: a value per signal (NaN = did not report) and its TTFT buckets. */
public final class PodSample {

    private final double[] values = new double[Signal.values().length];
    private final Histogram ttft = new Histogram();
    private Set<String> runningAdapters = Set.of();
    private Set<String> waitingAdapters = Set.of();
    private double adaptersAt = Double.NEGATIVE_INFINITY;

    PodSample() {
        Arrays.fill(values, Double.NaN);
    }

    /** The value, NaN when the pod did not report it (or reported NaN/±Inf). */
    public double get(Signal s) {
        return values[s.ordinal()];
    }

    public Histogram ttft() {
        return ttft;
    }

    /** LoRA adapters with requests in the batch (vLLM's {@code running_lora_adapters}). */
    public Set<String> runningAdapters() {
        return runningAdapters;
    }

    /** LoRA adapters with requests waiting. */
    public Set<String> waitingAdapters() {
        return waitingAdapters;
    }

    /** Keeps the newest report (vLLM writes a new series, valued with its time, when the sets change). */
    void adapters(Set<String> running, Set<String> waiting, double reportedAt) {
        if (reportedAt >= adaptersAt) {
            runningAdapters = Set.copyOf(running);
            waitingAdapters = Set.copyOf(waiting);
            adaptersAt = reportedAt;
        }
    }

    void add(Signal s, double v) {
        double old = values[s.ordinal()];
        values[s.ordinal()] = Double.isNaN(old) ? v : old + v;
    }
}
