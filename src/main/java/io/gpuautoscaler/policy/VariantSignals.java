package io.gpuautoscaler.policy;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Signals of one variant (or of a whole model), aggregated over its ready pods.
 *
 * @param readyReplicas pods passing readiness
 * @param pendingReplicas pods created but not ready yet (capacity on its way)
 * @param values per signal: sum (additive signals) or mean over reporting pods; empty = unknown
 * @param ttftP95 95th percentile TTFT in seconds over all pods; empty = unknown or no traffic
 * @param notes why a value is unknown or extrapolated
 */
public record VariantSignals(
        int readyReplicas,
        int pendingReplicas,
        Map<Signal, OptionalDouble> values,
        OptionalDouble ttftP95,
        List<String> notes) {

    public VariantSignals {
        values = Map.copyOf(values);
        notes = List.copyOf(notes);
    }

    public OptionalDouble get(Signal s) {
        return values.getOrDefault(s, OptionalDouble.empty());
    }

    public int currentReplicas() {
        return readyReplicas + pendingReplicas;
    }
}
