package io.gpuautoscaler.signals;

import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.Policy;
import java.time.Instant;
import java.util.Map;

/** Where the per-pod signals and prices of the whole fleet come from. */
public interface MetricsSource {

    /**
     * Reads every signal for every pod, one batched query per signal, plus every price query. Never throws:
     * a failed signal is recorded in the readings as unknown.
     */
    FleetReadings read(Policy policy, Instant now);

    /**
     * Evaluates each price query of a candidate policy on its own, for validation on load.
     *
     * @return per query: a value, or empty when the query answered but with no usable value
     * @throws MetricsUnavailableException when the source cannot be asked at all
     */
    Map<String, java.util.OptionalDouble> probePrices(Policy policy) throws MetricsUnavailableException;

    /** The source could not answer (unreachable, timed out, refused). */
    class MetricsUnavailableException extends Exception {
        public MetricsUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
