package io.gpuautoscaler.simulation;

import io.gpuautoscaler.policy.Autoscaler;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.PolicyState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The policies a backtest compares, as {@link FleetSimulator.Scaler}s. */
public final class Scalers {

    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private Scalers() {
    }

    /** A fixed fleet. */
    public static FleetSimulator.Scaler fixed(int replicas) {
        return (view, history) -> replicas;
    }

    /** The HPA's zero-damping behavior the deployer generates (docs/workloads.md). */
    static HpaEmulator passThroughHpa(int min, int max) {
        HpaEmulator.Rules up = new HpaEmulator.Rules(Duration.ZERO, true, false,
                List.of(new HpaEmulator.Policy(true, 1000, Duration.ofSeconds(15))), OptionalDouble.of(0));
        HpaEmulator.Rules down = new HpaEmulator.Rules(Duration.ZERO, true, false,
                List.of(new HpaEmulator.Policy(true, 100, Duration.ofSeconds(15))), OptionalDouble.of(0));
        return new HpaEmulator(new HpaEmulator.Spec(min, max, List.of(HpaEmulator.TargetType.AVERAGE_VALUE),
                List.of(1.0), up, down));
    }

    /**
     * KEDA's Prometheus scaler on {@code sum(rate(vllm:request_success_total[1m]))} with a target of
     * {@code perReplica} req/s per replica, through an HPA with Kubernetes' default behavior.
     */
    public static FleetSimulator.Scaler kedaRate(double perReplica, int min, int max) {
        return perPodAverage((view, history, p) -> history.rate(p.name(), FleetSimulator.PodMetrics::requests, 60),
                perReplica, min, max);
    }

    /**
     * The guide's HPA: DCGM GPU utilisation (busy share of the last 30 s, in percent, averaged over pods) with
     * {@code AverageValue: target}, Kubernetes' default behavior.
     */
    public static FleetSimulator.Scaler hpaGpuUtilization(double targetPercent, int min, int max) {
        return perPodAverage((view, history, p) -> 100 * history.rate(p.name(), FleetSimulator.PodMetrics::busySeconds,
                30), targetPercent, min, max);
    }

    /** KEDA's Prometheus scaler on {@code vllm:num_requests_waiting}, threshold per replica, default behavior. */
    public static FleetSimulator.Scaler kedaQueue(double waitingPerReplica, int min, int max) {
        return perPodAverage((view, history, p) -> {
            FleetSimulator.PodMetrics scraped = history.latest().get(p.name());
            return scraped == null ? Double.NaN : scraped.waiting();
        }, waitingPerReplica, min, max);
    }

    private interface PodValue {
        double of(FleetSimulator.View view, MetricHistory history, FleetSimulator.PodMetrics pod);
    }

    /** An HPA with default behavior on the sum of a per-pod value, target per replica (AverageValue). */
    private static FleetSimulator.Scaler perPodAverage(PodValue value, double target, int min, int max) {
        HpaEmulator hpa = new HpaEmulator(new HpaEmulator.Spec(min, max,
                List.of(HpaEmulator.TargetType.AVERAGE_VALUE), List.of(target), HpaEmulator.Rules.defaultUp(),
                HpaEmulator.Rules.defaultDown()));
        return (view, history) -> {
            double sum = 0;
            boolean any = false;
            for (FleetSimulator.PodMetrics p : view.pods()) {
                double v = value.of(view, history, p);
                if (Double.isFinite(v)) {
                    sum += v;
                    any = true;
                }
            }
            return hpa.sync(new HpaEmulator.Observation(view.replicas(), view.replicas(), view.readyReplicas(),
                    List.of(any ? OptionalDouble.of(sum) : OptionalDouble.empty())),
                    EPOCH.plusMillis((long) (view.now() * 1000)));
        };
    }

    /**
     * The project's policy ({@link Autoscaler}, not a copy), fed the simulated scrapes as Prometheus would
     * answer its queries, its decision applied through the HPA the deployer generates (one per variant) or
     * directly. The simulated fleet's variants are the policy's first model's, in order.
     */
    public static FleetSimulator.Scaler gpuAutoscaler(Policy policy, boolean direct) {
        ModelSpec model = policy.models().get(0);
        List<String> variants = model.variants().stream().map(v -> v.name()).toList();
        List<HpaEmulator> hpas = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            hpas.add(passThroughHpa(1, model.maxReplicas()));
        }
        PolicyState[] state = {PolicyState.empty()};
        double window = policy.prometheus().rateWindow().toSeconds();
        double loop = policy.loopInterval().toMillis() / 1000.0;
        return new FleetSimulator.Scaler() {
            /** The policy's last decision per variant, published until its next tick. */
            final int[] wanted = new int[variants.size()];
            double nextTick = Double.NEGATIVE_INFINITY;

            @Override
            public int desired(FleetSimulator.View view, MetricHistory history) {
                return Arrays.stream(desiredPerVariant(view, history)).sum();
            }

            @Override
            public int[] desiredPerVariant(FleetSimulator.View view, MetricHistory history) {
                Instant now = EPOCH.plusMillis((long) (view.now() * 1000));
                if (view.now() >= nextTick - 1e-9) { // the policy ticks at its loop interval, the HPAs at theirs
                    FleetReadings.Builder b = new FleetReadings.Builder();
                    List<PodInfo> pods = new ArrayList<>();
                    SimulatedReadings.add(model, variants, view.pods(), history, window, EPOCH.getEpochSecond(),
                            view.now(), b, pods);
                    Autoscaler.Outcome o = Autoscaler.decide(policy, pods, b.build(now, Map.of()), state[0], now);
                    state[0] = o.next();
                    for (var d : o.decisions()) {
                        if (d.workload().modelKey().equals(model.key())) { // the fleet simulates the first model
                            wanted[variants.indexOf(d.workload().variant())] = d.desiredReplicas();
                        }
                    }
                    nextTick = view.now() + loop;
                }
                int[] out = new int[variants.size()];
                for (int v = 0; v < out.length; v++) {
                    int live = view.replicasPerVariant()[v];
                    // 0<->1 is patched directly, as in production; otherwise the variant's HPA acts.
                    out[v] = direct || wanted[v] == 0 || live == 0 ? wanted[v]
                            : hpas.get(v).sync(new HpaEmulator.Observation(live, live, view.readyPerVariant()[v],
                                    List.of(OptionalDouble.of(wanted[v]))), now);
                }
                return out;
            }
        };
    }
}
