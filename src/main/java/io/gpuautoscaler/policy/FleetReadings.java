package io.gpuautoscaler.policy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one tick read from the metrics source: per pod, the value of each signal; per signal, the error
 * that makes it unknown for every pod; the values of single-value queries (prices, activations).
 *
 * @param at when the readings were taken
 * @param pods per pod, what it reported (absent: reported nothing)
 * @param failures per failed signal, why (the whole signal is unknown)
 * @param scalars value of each single-value query (prices, activations); absent or empty = unknown
 */
public record FleetReadings(
        Instant at,
        Map<PodKey, PodSample> pods,
        Map<Signal, String> failures,
        Map<String, OptionalDouble> scalars) {

    public boolean failed(Signal s) {
        return failures.containsKey(s);
    }

    public Optional<String> error(Signal s) {
        return Optional.ofNullable(failures.get(s));
    }

    /** One pod's value of one signal; empty when unknown. */
    public OptionalDouble value(PodKey pod, Signal s) {
        PodSample p = pods.get(pod);
        double v = p == null || failed(s) ? Double.NaN : p.get(s);
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** Readings where every signal failed with the same error (metrics source unreachable). */
    public static FleetReadings unavailable(Instant at, String error) {
        Builder b = new Builder();
        for (Signal s : Signal.values()) {
            b.fail(s, error);
        }
        return b.build(at, Map.of());
    }

    /** Collects readings signal by signal. Not thread-safe. */
    public static final class Builder {
        private final Map<PodKey, PodSample> pods = new HashMap<>();
        private final Map<Signal, String> failures = new EnumMap<>(Signal.class);

        /** Adds a pod's value (several series of one pod add up). */
        public Builder add(Signal s, PodKey pod, double value) {
            pods.computeIfAbsent(pod, k -> new PodSample()).add(s, value);
            return this;
        }

        /** A pod's LoRA adapter sets as of {@code reportedAt}; the newest report wins. */
        public Builder loraAdapters(PodKey pod, java.util.Set<String> running, java.util.Set<String> waiting,
                double reportedAt) {
            pods.computeIfAbsent(pod, k -> new PodSample()).adapters(running, waiting, reportedAt);
            return this;
        }

        public Builder ttftBucket(PodKey pod, double upperBound, double cumulativeRate) {
            pods.computeIfAbsent(pod, k -> new PodSample()).ttft().add(upperBound, cumulativeRate);
            return this;
        }

        public Builder fail(Signal s, String error) {
            failures.put(s, error);
            return this;
        }

        public FleetReadings build(Instant at, Map<String, OptionalDouble> scalars) {
            return new FleetReadings(at, pods, Map.copyOf(failures), Map.copyOf(scalars));
        }
    }
}
