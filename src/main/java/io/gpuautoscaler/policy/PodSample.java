package io.gpuautoscaler.policy;

import java.util.Arrays;

/** What one pod reported in a tick: a value per signal (NaN = did not report) and its TTFT buckets. */
public final class PodSample {

    private final double[] values = new double[Signal.values().length];
    private final Histogram ttft = new Histogram();

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

    void add(Signal s, double v) {
        double old = values[s.ordinal()];
        values[s.ordinal()] = Double.isNaN(old) ? v : old + v;
    }
}
