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
 * @param ttftAtSlo TTFT at the percentile of the model's SLO (the same as {@code ttftP95} for a p95 SLO)
 * @param notes why a value is unknown or extrapolated
 * @param adapters per LoRA adapter, how many ready pods run and queue its requests (traffic attribution)
 */
public record VariantSignals(
        int readyReplicas,
        int pendingReplicas,
        Map<Signal, OptionalDouble> values,
        OptionalDouble ttftP95,
        OptionalDouble ttftAtSlo,
        List<String> notes,
        Map<String, AdapterActivity> adapters) {

    public VariantSignals {
        values = Map.copyOf(values);
        notes = List.copyOf(notes);
        adapters = Map.copyOf(adapters);
    }

    public VariantSignals(int readyReplicas, int pendingReplicas, Map<Signal, OptionalDouble> values,
            OptionalDouble ttftP95, List<String> notes) {
        this(readyReplicas, pendingReplicas, values, ttftP95, ttftP95, notes, Map.of());
    }

    /** Ready pods with an adapter's requests running, and with its requests waiting. */
    public record AdapterActivity(int runningPods, int waitingPods) {
        AdapterActivity plus(AdapterActivity o) {
            return new AdapterActivity(runningPods + o.runningPods, waitingPods + o.waitingPods);
        }
    }

    public OptionalDouble get(Signal s) {
        return values.getOrDefault(s, OptionalDouble.empty());
    }

    public int currentReplicas() {
        return readyReplicas + pendingReplicas;
    }
}
