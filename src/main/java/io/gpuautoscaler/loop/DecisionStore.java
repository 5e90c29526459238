package io.gpuautoscaler.loop;

import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.WorkloadKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest decision per variant and a bounded history of each; the one place readers (API, HPA
 * adapter, deployer, meters) take decisions from. Readers get immutable snapshots; one writer, the loop.
 */
public class DecisionStore {

    /** Summary of the last completed tick. */
    public record Tick(Instant at, double hourlyCost, long durationNanos) {
    }

    /**
     * A past decision without its signals: what the history keeps (the reasons list is shared by the
     * variants of a model, so an entry costs a few dozen bytes).
     */
    public record Past(Instant timestamp, int desiredReplicas, int currentReplicas, int readyReplicas,
            double hourlyCost, boolean held, List<io.gpuautoscaler.policy.Reason> reasons) {
        static Past of(Decision d) {
            return new Past(d.timestamp(), d.desiredReplicas(), d.currentReplicas(), d.readyReplicas(), d.hourlyCost(),
                    d.held(), d.reasons());
        }
    }

    private final int historySize;
    private final Map<WorkloadKey, Deque<Past>> history = new ConcurrentHashMap<>();
    private volatile List<Decision> latest = List.of();
    private volatile Map<WorkloadKey, Decision> latestByKey = Map.of();
    private volatile Tick lastTick;

    public DecisionStore(int historySize) {
        this.historySize = Math.max(1, historySize);
    }

    /** Records a tick's decisions; variants absent from it (removed models) are forgotten. */
    public void record(List<Decision> decisions, Tick tick) {
        Map<WorkloadKey, Decision> byKey = new java.util.HashMap<>(decisions.size() * 2);
        Set<WorkloadKey> seen = new HashSet<>();
        for (Decision d : decisions) {
            byKey.put(d.workload(), d);
            seen.add(d.workload());
            Deque<Past> h = history.computeIfAbsent(d.workload(), k -> new ArrayDeque<>());
            synchronized (h) {
                h.addLast(Past.of(d));
                while (h.size() > historySize) {
                    h.removeFirst();
                }
            }
        }
        history.keySet().retainAll(seen);
        latest = List.copyOf(decisions);
        latestByKey = Map.copyOf(byKey);
        lastTick = tick;
    }

    public List<Decision> latest() {
        return latest;
    }

    public Optional<Decision> latest(WorkloadKey key) {
        return Optional.ofNullable(latestByKey.get(key));
    }

    public List<Past> history(WorkloadKey key) {
        Deque<Past> h = history.get(key);
        if (h == null) {
            return List.of();
        }
        synchronized (h) {
            return List.copyOf(new ArrayList<>(h));
        }
    }

    public Optional<Tick> lastTick() {
        return Optional.ofNullable(lastTick);
    }
}
