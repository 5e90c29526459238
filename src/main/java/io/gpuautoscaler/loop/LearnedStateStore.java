package io.gpuautoscaler.loop;

import io.gpuautoscaler.policy.ModelKey;
import java.util.Map;

/**
 * Keeps what the policy learned across restarts: each model's capacity per replica (ADR 0012), which takes
 * hours to learn. Best effort: a store that cannot be read gives nothing (the configured capacities apply,
 * the safe side), one that cannot be written is retried later.
 */
public interface LearnedStateStore {

    /** Nothing kept: embedded mode, or no place to keep it. */
    LearnedStateStore NONE = new LearnedStateStore() {
        @Override
        public Map<ModelKey, Double> load() {
            return Map.of();
        }

        @Override
        public void save(Map<ModelKey, Double> capacities) {
        }
    };

    /** The capacities kept; entries that cannot be read are left out (and logged). */
    Map<ModelKey, Double> load();

    /**
     * Replaces what is kept.
     *
     * @throws RuntimeException when it could not be written
     */
    void save(Map<ModelKey, Double> capacities);
}
