package io.gpuautoscaler.policy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one tick read from the metrics source: per signal, per-pod values or the reason it is unknown;
 * per-pod TTFT histograms; prices by query.
 *
 * @param at when the readings were taken
 * @param signals per signal, values by pod (absent entries: that pod did not report)
 * @param ttft TTFT bucket rates by pod
 * @param ttftError why the TTFT query failed, if it did
 * @param prices price per GPU-hour by query; absent or empty = unknown
 */
public record FleetReadings(
        Instant at,
        Map<Signal, Readings> signals,
        Map<PodKey, Histogram> ttft,
        Optional<String> ttftError,
        Map<String, OptionalDouble> prices) {

    /** One signal's answer: values by pod, or the error that makes the whole signal unknown. */
    public record Readings(Map<PodKey, Double> byPod, Optional<String> error) {
        public static Readings failed(String error) {
            return new Readings(Map.of(), Optional.of(error));
        }

        public static Readings of(Map<PodKey, Double> byPod) {
            return new Readings(byPod, Optional.empty());
        }

        public boolean failed() {
            return error.isPresent();
        }
    }

    public Readings get(Signal signal) {
        return signals.getOrDefault(signal, Readings.failed("not queried"));
    }

    /** Readings where every signal failed with the same error (metrics source unreachable). */
    public static FleetReadings unavailable(Instant at, String error) {
        Map<Signal, Readings> all = new EnumMap<>(Signal.class);
        for (Signal s : Signal.values()) {
            all.put(s, Readings.failed(error));
        }
        return new FleetReadings(at, all, Map.of(), Optional.of(error), Map.of());
    }
}
