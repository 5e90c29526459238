package io.gpuautoscaler.policy;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How fast and how carefully a model's replicas move. Policy {@code defaults} hold the fleet-wide values;
 * a model's {@code scaling} overrides single keys.
 *
 * @param headroom extra capacity over measured demand, as a fraction (0.1 = 10%)
 * @param queueDrainSeconds a waiting queue should be drained within this time
 * @param scaleUpMaxPods a tick adds at most max(this, scaleUpMaxPercent of current) replicas
 * @param scaleUpMaxPercent see scaleUpMaxPods
 * @param scaleDownMaxPods a tick removes at most max(this, scaleDownMaxPercent of current) replicas
 * @param scaleDownMaxPercent see scaleDownMaxPods
 * @param scaleDownStabilization a scale-down takes the highest recommendation within this window
 * @param sloStepPercent replicas added per tick while TTFT p95 exceeds its target (at least one)
 * @param kvCacheTarget KV-cache usage per replica above which more replicas are wanted
 * @param computeBoundGpuUtilization GPU utilisation below which a TTFT miss is not a capacity problem
 * @param unknownGracePeriod how long decisions hold on unknown signals before the floor applies
 * @param unknownFloorReplicas replicas kept, at least, after the grace period; empty = minReplicas
 */
public record ScalingSettings(
        double headroom,
        double queueDrainSeconds,
        int scaleUpMaxPods,
        int scaleUpMaxPercent,
        int scaleDownMaxPods,
        int scaleDownMaxPercent,
        Duration scaleDownStabilization,
        int sloStepPercent,
        double kvCacheTarget,
        double computeBoundGpuUtilization,
        Duration unknownGracePeriod,
        OptionalInt unknownFloorReplicas) {

    public static ScalingSettings defaults() {
        return new ScalingSettings(0.1, 30, 4, 100, 1, 25, Duration.ofMinutes(2), 20, 0.9, 0.5,
                Duration.ofMinutes(2), OptionalInt.empty());
    }
}
