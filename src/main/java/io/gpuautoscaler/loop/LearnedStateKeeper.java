package io.gpuautoscaler.loop;

import io.gpuautoscaler.policy.ModelKey;
import io.gpuautoscaler.policy.PolicyState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/** What the policy learned: restored before the first tick, written back when it changed, at most every 5 min. */
final class LearnedStateKeeper {

    static final Duration SAVE_EVERY = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(LearnedStateKeeper.class);

    private final LearnedStateStore store;
    private Map<ModelKey, Double> saved = Map.of();
    private Instant savedAt = Instant.EPOCH;

    LearnedStateKeeper(LearnedStateStore store) {
        this.store = store;
    }

    /** A state holding the capacities kept (none when nothing is kept or it cannot be read). */
    PolicyState restore() {
        saved = store.load();
        if (!saved.isEmpty()) {
            LOG.infof("Learned capacities restored: %s", saved);
        }
        return PolicyState.empty().withCapacityEstimates(saved);
    }

    /** Writes the state's capacities if they changed and the last write is old enough; a failure waits as long. */
    void keep(PolicyState state, Instant now) {
        Map<ModelKey, Double> current = state.capacityEstimates();
        if (current.equals(saved) || Duration.between(savedAt, now).compareTo(SAVE_EVERY) < 0) {
            return;
        }
        savedAt = now;
        try {
            store.save(current);
            saved = current;
        } catch (RuntimeException e) {
            LOG.warnf("Learned capacities not saved (retried in %ds): %s", SAVE_EVERY.toSeconds(), e.getMessage());
        }
    }
}
