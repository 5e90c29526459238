package io.gpuautoscaler.policy;

import java.time.Duration;
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
 *        TTFT against load (¼ to 1.5 times the configured capacity); empty while it is the configured one
 * @param scaleDown the scale-down window as the traffic has taught it
 * @param rates the request rate of the last hour, per minute
 */
public record ModelState(
        OptionalInt lastDesiredUnits,
        Map<String, Integer> lastAllocation,
        List<Recommendation> recommendations,
        Optional<Instant> unknownSince,
        Map<String, Double> lastPrices,
        Optional<Instant> idleSince,
        OptionalDouble capacityEstimate,
        ScaleDownWindow scaleDown,
        RateHistory rates) {

    public ModelState {
        lastAllocation = Map.copyOf(lastAllocation);
        recommendations = List.copyOf(recommendations);
        lastPrices = Map.copyOf(lastPrices);
    }

    public static ModelState initial() {
        return new ModelState(OptionalInt.empty(), Map.of(), List.of(), Optional.empty(), Map.of(), Optional.empty(),
                OptionalDouble.empty(), ScaleDownWindow.CONFIGURED, RateHistory.EMPTY);
    }

    /** This state with another capacity estimate. */
    public ModelState withCapacityEstimate(OptionalDouble estimate) {
        return new ModelState(lastDesiredUnits, lastAllocation, recommendations, unknownSince, lastPrices, idleSince,
                estimate, scaleDown, rates);
    }

    /** This state with the decision as made, after the budget and the variants' allocation. */
    public ModelState decided(OptionalInt units, Map<String, Integer> allocation, Map<String, Double> prices) {
        return new ModelState(units, allocation, recommendations, unknownSince, prices, idleSince, capacityEstimate,
                scaleDown, rates);
    }

    /**
     * The scale-down stabilisation window, a multiple of the configured one: doubled (up to
     * {@link #MAX_FACTOR}x) when the SLO is missed within {@link #REGRET} of a release, so bursty traffic keeps
     * what it will need again within a cold start; halved back after {@link #CALM} without a change.
     *
     * @param factor multiple of the configured window
     * @param lastRelease when a scale-down was last decided
     * @param changedAt when the factor last changed
     */
    public record ScaleDownWindow(int factor, Optional<Instant> lastRelease, Optional<Instant> changedAt) {

        public static final ScaleDownWindow CONFIGURED = new ScaleDownWindow(1, Optional.empty(), Optional.empty());
        /** A miss this soon after a release is blamed on it: a cold start (up to ~3 min) plus detection. */
        public static final Duration REGRET = Duration.ofMinutes(5);
        public static final Duration CALM = Duration.ofMinutes(30);
        public static final int MAX_FACTOR = 4;

        public Duration of(Duration configured) {
            return configured.multipliedBy(factor);
        }

        /** The same window, a scale-down decided at {@code at}. */
        public ScaleDownWindow released(Instant at) {
            return new ScaleDownWindow(factor, Optional.of(at), changedAt);
        }
    }

    /** A raw recommendation at a time. */
    public record Recommendation(Instant at, int units) {
    }
}
