package io.gpuautoscaler.policy;

import java.util.Map;

/** What the policy remembers between ticks, per model. Immutable; each tick returns the next one. */
public record PolicyState(Map<ModelKey, ModelState> models) {

    public PolicyState {
        models = Map.copyOf(models);
    }

    public static PolicyState empty() {
        return new PolicyState(Map.of());
    }

    public ModelState of(ModelKey key) {
        return models.getOrDefault(key, ModelState.initial());
    }

    /** Each model's learned capacity per replica, where it differs from the configured one. */
    public Map<ModelKey, Double> capacityEstimates() {
        Map<ModelKey, Double> out = new java.util.TreeMap<>();
        models.forEach((k, m) -> m.capacityEstimate().ifPresent(c -> out.put(k, c)));
        return out;
    }

    /** This state with the given learned capacities (the policy bounds them by what is configured now). */
    public PolicyState withCapacityEstimates(Map<ModelKey, Double> capacities) {
        Map<ModelKey, ModelState> next = new java.util.HashMap<>(models);
        capacities.forEach((k, c) -> next.put(k, of(k).withCapacityEstimate(java.util.OptionalDouble.of(c))));
        return new PolicyState(next);
    }
}
