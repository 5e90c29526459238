package io.gpuautoscaler.observability;

import io.gpuautoscaler.loop.DecisionStore;
import io.gpuautoscaler.policy.Autoscaler;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.Reason;
import io.gpuautoscaler.policy.ReasonCode;
import io.gpuautoscaler.policy.Signal;
import io.gpuautoscaler.policy.WorkloadKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The {@code gpu_autoscaler_*} meters. Per-variant gauges read the decision store, so they always show
 * the latest decision; they are registered when a variant first appears and removed with it. An unknown
 * signal reads NaN.
 */
@ApplicationScoped
public class AutoscalerMeters {

    static final List<Signal> GAUGED = List.of(Signal.QUEUE_WAITING, Signal.QUEUE_RUNNING, Signal.REQUEST_RATE,
            Signal.PROMPT_TOKEN_RATE, Signal.GENERATION_TOKEN_RATE, Signal.KV_CACHE_USAGE, Signal.GPU_UTILIZATION);

    @Inject
    MeterRegistry registry;
    @Inject
    DecisionStore store;

    private final Map<WorkloadKey, List<Meter>> perWorkload = new HashMap<>();
    private volatile double fleetCost = Double.NaN;
    private volatile double budget = Double.NaN;
    private volatile double lastTick = Double.NaN;
    private Timer tickTimer;

    @PostConstruct
    void init() {
        Gauge.builder("gpu_autoscaler_fleet_hourly_cost_dollars", this, m -> m.fleetCost)
                .description("$/h of all desired replicas with a known price").register(registry);
        Gauge.builder("gpu_autoscaler_budget_dollars_per_hour", this, m -> m.budget)
                .description("Global hourly budget (NaN when unlimited)").register(registry);
        Gauge.builder("gpu_autoscaler_budget_used_ratio", this, m -> m.fleetCost / m.budget)
                .description("Fleet cost over the global budget").register(registry);
        Gauge.builder("gpu_autoscaler_last_tick_timestamp_seconds", this, m -> m.lastTick)
                .description("Unix time of the last completed tick").register(registry);
        tickTimer = Timer.builder("gpu_autoscaler_tick_duration").description("Duration of one control-loop tick")
                .publishPercentiles(0.5, 0.99).register(registry);
        for (ReasonCode code : ReasonCode.values()) {
            registry.counter("gpu_autoscaler_decisions", "reason", code.name());
        }
        for (String result : List.of("accepted", "rejected")) {
            registry.counter("gpu_autoscaler_policy_reloads", "result", result);
        }
        registry.counter("gpu_autoscaler_tick_failures");
    }

    public synchronized void recordTick(Policy policy, Autoscaler.Outcome outcome, long nanos) {
        tickTimer.record(nanos, TimeUnit.NANOSECONDS);
        fleetCost = outcome.hourlyCost();
        budget = policy.budget().hourly().orElse(Double.NaN);
        lastTick = outcome.decisions().isEmpty() ? System.currentTimeMillis() / 1e3
                : outcome.decisions().get(0).timestamp().toEpochMilli() / 1e3;
        Set<WorkloadKey> seen = new HashSet<>();
        for (Decision d : outcome.decisions()) {
            seen.add(d.workload());
            perWorkload.computeIfAbsent(d.workload(), this::register);
            EnumSet<ReasonCode> codes = EnumSet.noneOf(ReasonCode.class);
            for (Reason r : d.reasons()) {
                codes.add(r.code());
            }
            for (ReasonCode c : codes) {
                registry.counter("gpu_autoscaler_decisions", "reason", c.name()).increment();
            }
        }
        perWorkload.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
    }

    public void tickFailed() {
        registry.counter("gpu_autoscaler_tick_failures").increment();
    }

    private List<Meter> register(WorkloadKey key) {
        Tags tags = Tags.of("namespace", key.namespace(), "model", key.model(), "variant", key.variant());
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("gpu_autoscaler_desired_replicas", "Replicas the policy wants", tags, key,
                Decision::desiredReplicas));
        meters.add(gauge("gpu_autoscaler_current_replicas", "Replicas that exist (ready and starting)", tags, key,
                Decision::currentReplicas));
        meters.add(gauge("gpu_autoscaler_ready_replicas", "Replicas ready", tags, key, Decision::readyReplicas));
        meters.add(gauge("gpu_autoscaler_hourly_cost_dollars", "$/h of the desired replicas", tags, key,
                Decision::hourlyCost));
        meters.add(gauge("gpu_autoscaler_held", "1 while signals are unknown and the decision is held", tags, key,
                d -> d.held() ? 1 : 0));
        meters.add(gauge("gpu_autoscaler_capacity_per_replica", "Requests/s per replica the demand was sized with "
                + "(learned from the SLO; NaN when held or sized on tokens)", tags, key,
                AutoscalerMeters::capacityPerReplica));
        for (Signal s : GAUGED) {
            meters.add(gauge("gpu_autoscaler_signal", "Aggregated signal of the variant (NaN = unknown)",
                    tags.and("signal", s.id()), key, d -> d.signals().get(s).orElse(Double.NaN)));
        }
        meters.add(gauge("gpu_autoscaler_signal", "Aggregated signal of the variant (NaN = unknown)",
                tags.and("signal", "ttft_p95_seconds"), key, d -> d.signals().ttftP95().orElse(Double.NaN)));
        return meters;
    }

    /** The capacity per replica of the decision's request-rate demand reason; NaN without one. */
    static double capacityPerReplica(Decision d) {
        return d.reasons().stream().filter(r -> r.code() == ReasonCode.DEMAND_REQUESTS)
                .map(r -> r.numbers().get("capacityPerReplica")).filter(java.util.Objects::nonNull).findFirst()
                .orElse(Double.NaN);
    }

    private Meter gauge(String name, String help, Tags tags, WorkloadKey key, ToDoubleFunction<Decision> f) {
        return Gauge.builder(name, store, s -> s.latest(key).map(f::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).register(registry);
    }
}
