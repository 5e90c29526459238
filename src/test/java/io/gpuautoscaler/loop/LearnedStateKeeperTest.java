package io.gpuautoscaler.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.policy.ModelKey;
import io.gpuautoscaler.policy.PolicyState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnedStateKeeperTest {

    static final ModelKey CHAT = new ModelKey("llm", "chat");
    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    /** Remembers what it was asked to save; fails while {@code failing}. */
    static final class Recording implements LearnedStateStore {
        final Map<ModelKey, Double> kept;
        final List<Map<ModelKey, Double>> saves = new ArrayList<>();
        boolean failing;

        Recording(Map<ModelKey, Double> kept) {
            this.kept = kept;
        }

        @Override
        public Map<ModelKey, Double> load() {
            return kept;
        }

        @Override
        public void save(Map<ModelKey, Double> capacities) {
            if (failing) {
                throw new IllegalStateException("forbidden");
            }
            saves.add(capacities);
        }
    }

    @Test
    void aRestartStartsFromTheCapacityLearnedBefore() {
        PolicyState s = new LearnedStateKeeper(new Recording(Map.of(CHAT, 13.5))).restore();
        assertEquals(13.5, s.of(CHAT).capacityEstimate().getAsDouble());
        assertTrue(new LearnedStateKeeper(LearnedStateStore.NONE).restore().capacityEstimates().isEmpty());
    }

    @Test
    void aChangeIsWrittenAtMostEveryFiveMinutesAndNothingWhenUnchanged() {
        Recording store = new Recording(Map.of(CHAT, 13.5));
        LearnedStateKeeper keeper = new LearnedStateKeeper(store);
        PolicyState s = keeper.restore();
        keeper.keep(s, T0);
        assertTrue(store.saves.isEmpty(), "unchanged since it was loaded");
        keeper.keep(s.withCapacityEstimates(Map.of(CHAT, 13.6)), T0.plusSeconds(15));
        assertEquals(List.of(Map.of(CHAT, 13.6)), store.saves);
        keeper.keep(s.withCapacityEstimates(Map.of(CHAT, 13.7)), T0.plusSeconds(60));
        assertEquals(1, store.saves.size(), "within five minutes of the last write");
        keeper.keep(s.withCapacityEstimates(Map.of(CHAT, 13.7)), T0.plusSeconds(15 + 300));
        assertEquals(Map.of(CHAT, 13.7), store.saves.get(1));
    }

    @Test
    void aFailedWriteLeavesTheLoopAloneAndIsRetriedLater() {
        Recording store = new Recording(Map.of());
        store.failing = true;
        LearnedStateKeeper keeper = new LearnedStateKeeper(store);
        PolicyState learned = keeper.restore().withCapacityEstimates(Map.of(CHAT, 11.0));
        keeper.keep(learned, T0);
        store.failing = false;
        keeper.keep(learned, T0.plusSeconds(60));
        assertTrue(store.saves.isEmpty(), "waits as long as after a write");
        keeper.keep(learned, T0.plusSeconds(300));
        assertEquals(List.of(Map.of(CHAT, 11.0)), store.saves);
    }
}
