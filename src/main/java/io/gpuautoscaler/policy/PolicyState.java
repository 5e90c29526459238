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
}
