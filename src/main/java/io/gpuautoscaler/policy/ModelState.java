package io.gpuautoscaler.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What the policy remembers of a model between ticks.
 *
 * @param lastDesiredUnits last decided total capacity, in replicas of capacity factor 1
 * @param lastAllocation last decided replicas per variant
 * @param recommendations raw recommendations within the scale-down stabilisation window
 * @param unknownSince when demand became unknown; empty while it is known
 * @param lastPrices last known price per GPU-hour per variant
 * @param idleSince since when no request was seen (scale to zero); empty while busy
 * @param capacityEstimate requests/s one replica (capacity factor 1) serves within the SLO, as learned from
 *        TTFT against load; empty until learned (the configured capacity applies)
 */
public record ModelState(
        OptionalInt lastDesiredUnits,
        Map<String, Integer> lastAllocation,
        List<Recommendation> recommendations,
        Optional<Instant> unknownSince,
        Map<String, Double> lastPrices,
        Optional<Instant> idleSince,
        OptionalDouble capacityEstimate) {

    public ModelState {
        lastAllocation = Map.copyOf(lastAllocation);
        recommendations = List.copyOf(recommendations);
        lastPrices = Map.copyOf(lastPrices);
    }

    public static ModelState initial() {
        return new ModelState(OptionalInt.empty(), Map.of(), List.of(), Optional.empty(), Map.of(), Optional.empty(),
                OptionalDouble.empty());
    }

    /** A raw recommendation at a time. */
    public record Recommendation(Instant at, int units) {
    }
}
