package io.gpuautoscaler.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The Kubernetes HorizontalPodAutoscaler controller's arithmetic for one HPA, as in
 * {@code pkg/controller/podautoscaler} (horizontal.go, replica_calculator.go): External metrics of target
 * type AverageValue (sum over series / target, against all pods) or Value (ratio times ready pods);
 * tolerance; several metrics → the maximum, a failed metric blocks a scale-down; behavior with stabilisation
 * windows (highest recommendation in the down window, lowest in the up window) and rate policies over scale
 * events; min/max. Pure: time is a parameter; one call is one sync.
 */
public final class HpaEmulator {

    /** How a metric is compared with its target. */
    public enum TargetType { AVERAGE_VALUE, VALUE }

    /** A rate policy: at most {@code value} pods or percent per {@code period}. */
    public record Policy(boolean percent, int value, Duration period) {
    }

    /**
     * One direction of {@code behavior}.
     *
     * @param window stabilisation window
     * @param selectMax {@code selectPolicy: Max} (else Min)
     * @param disabled {@code selectPolicy: Disabled}
     * @param tolerance the per-direction tolerance (Kubernetes ≥ 1.33), empty: the controller's default
     */
    public record Rules(Duration window, boolean selectMax, boolean disabled, List<Policy> policies,
            OptionalDouble tolerance) {

        /** Kubernetes' defaults for scale up: no window, max(4 pods, 100%) per 15 s. */
        public static Rules defaultUp() {
            return new Rules(Duration.ZERO, true, false, List.of(new Policy(false, 4, Duration.ofSeconds(15)),
                    new Policy(true, 100, Duration.ofSeconds(15))), OptionalDouble.empty());
        }

        /** Kubernetes' defaults for scale down: 300 s window, 100% per 15 s. */
        public static Rules defaultDown() {
            return new Rules(Duration.ofSeconds(300), true, false, List.of(new Policy(true, 100,
                    Duration.ofSeconds(15))), OptionalDouble.empty());
        }
    }

    /** An HPA's spec: replicas bounds, one target per metric, behavior. */
    public record Spec(int minReplicas, int maxReplicas, List<TargetType> targetTypes, List<Double> targets,
            Rules scaleUp, Rules scaleDown) {
    }

    /**
     * What the controller sees in a sync.
     *
     * @param specReplicas the target's {@code spec.replicas}
     * @param podReplicas pods of the target ({@code status.replicas}: ready and not)
     * @param readyPods pods ready
     * @param metrics per metric, the sum of the returned series; empty = the metric failed
     */
    public record Observation(int specReplicas, int podReplicas, int readyPods, List<OptionalDouble> metrics) {
    }

    private record Recommendation(Instant at, int replicas) {
    }

    private record ScaleEvent(Instant at, int change) {
    }

    public static final double DEFAULT_TOLERANCE = 0.1;

    private final Spec spec;
    private final double tolerance;
    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<ScaleEvent> upEvents = new ArrayList<>();
    private final List<ScaleEvent> downEvents = new ArrayList<>();

    public HpaEmulator(Spec spec) {
        this(spec, DEFAULT_TOLERANCE);
    }

    public HpaEmulator(Spec spec, double controllerTolerance) {
        this.spec = spec;
        this.tolerance = controllerTolerance;
    }

    /** One sync: the replicas the controller sets (unchanged when it would not scale). */
    public int sync(Observation o, Instant now) {
        int current = o.specReplicas();
        if (current == 0 && spec.minReplicas() != 0) {
            return 0; // scaling disabled while the target is at zero
        }
        int desired;
        if (current > spec.maxReplicas()) {
            desired = spec.maxReplicas();
        } else if (current < spec.minReplicas()) {
            desired = spec.minReplicas();
        } else {
            int fromMetrics = Integer.MIN_VALUE;
            int invalid = 0;
            for (int i = 0; i < spec.targets().size(); i++) {
                OptionalDouble value = o.metrics().get(i);
                if (value.isEmpty()) {
                    invalid++;
                    continue;
                }
                fromMetrics = Math.max(fromMetrics, proposal(i, value.getAsDouble(), o, current));
            }
            if (invalid >= spec.targets().size() || invalid > 0 && fromMetrics < current) {
                return current; // the controller errors out of this sync: no change
            }
            desired = normalize(Math.max(0, fromMetrics), current, now);
        }
        if (desired != current) {
            (desired > current ? upEvents : downEvents).add(new ScaleEvent(now, Math.abs(desired - current)));
        }
        return desired;
    }

    /** replica_calculator.go: GetExternalPerPodMetricReplicas and GetExternalMetricReplicas. */
    int proposal(int metric, double value, Observation o, int current) {
        // The controller works on milli-quantities (int64, rounded up) and float64 ratios: so do we.
        long usage = milli(value);
        long target = milli(spec.targets().get(metric));
        if (spec.targetTypes().get(metric) == TargetType.AVERAGE_VALUE) {
            int replicas = o.podReplicas();
            double ratio = (double) usage / ((double) target * replicas);
            return Math.abs(1.0 - ratio) > tolerance(ratio) ? (int) Math.ceil((double) usage / target) : replicas;
        }
        double ratio = (double) usage / target;
        if (current == 0) {
            return (int) Math.ceil(ratio);
        }
        if (Math.abs(1.0 - ratio) <= tolerance(ratio)) {
            return current;
        }
        return (int) Math.ceil(ratio * o.readyPods());
    }

    static long milli(double v) {
        return (long) Math.ceil(v * 1000 - 1e-9);
    }

    private double tolerance(double ratio) {
        Rules r = ratio > 1 ? spec.scaleUp() : spec.scaleDown();
        return r.tolerance().orElse(tolerance);
    }

    /** horizontal.go: stabilizeRecommendationWithBehaviors, then convertDesiredReplicasWithBehaviorRate. */
    private int normalize(int proposed, int current, Instant now) {
        Instant upCutoff = now.minus(spec.scaleUp().window());
        Instant downCutoff = now.minus(spec.scaleDown().window());
        int up = proposed;
        int down = proposed;
        int oldIndex = -1;
        for (int i = 0; i < recommendations.size(); i++) {
            Recommendation r = recommendations.get(i);
            if (r.at().isAfter(upCutoff)) {
                up = Math.min(up, r.replicas());
            }
            if (r.at().isAfter(downCutoff)) {
                down = Math.max(down, r.replicas());
            }
            if (r.at().isBefore(upCutoff) && r.at().isBefore(downCutoff)) {
                oldIndex = i;
            }
        }
        int stabilized = current;
        if (stabilized < up) {
            stabilized = up;
        }
        if (stabilized > down) {
            stabilized = down;
        }
        if (oldIndex >= 0) {
            recommendations.set(oldIndex, new Recommendation(now, proposed));
        } else {
            recommendations.add(new Recommendation(now, proposed));
        }
        if (stabilized > current) {
            int limit = Math.max(current, upLimit(current, now));
            return Math.min(stabilized, Math.min(spec.maxReplicas(), limit));
        }
        if (stabilized < current) {
            int limit = Math.min(current, downLimit(current, now));
            return Math.max(stabilized, Math.max(spec.minReplicas(), limit));
        }
        return stabilized;
    }

    private int upLimit(int current, Instant now) {
        Rules r = spec.scaleUp();
        if (r.disabled()) {
            return current;
        }
        long result = r.selectMax() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (Policy p : r.policies()) {
            int start = current - changed(upEvents, p.period(), now);
            long proposed = p.percent() ? (long) Math.ceil(start * (1 + p.value() / 100.0)) : start + p.value();
            result = r.selectMax() ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
    }

    private int downLimit(int current, Instant now) {
        Rules r = spec.scaleDown();
        if (r.disabled()) {
            return current;
        }
        long result = r.selectMax() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (Policy p : r.policies()) {
            int start = current + changed(downEvents, p.period(), now);
            long proposed = p.percent() ? (long) (start * (1 - p.value() / 100.0)) : start - p.value();
            result = r.selectMax() ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return (int) result;
    }

    /** Replicas changed by events within the period before now (older events are dropped). */
    private static int changed(List<ScaleEvent> events, Duration period, Instant now) {
        Instant cutoff = now.minus(period);
        int sum = 0;
        for (Iterator<ScaleEvent> it = events.iterator(); it.hasNext();) {
            ScaleEvent e = it.next();
            if (e.at().isAfter(cutoff)) {
                sum += e.change();
            } else if (e.at().isBefore(now.minus(Duration.ofHours(1)))) {
                it.remove();
            }
        }
        return sum;
    }
}
