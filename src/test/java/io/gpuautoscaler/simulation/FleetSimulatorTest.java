package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Simulator invariants, and the policies on the 1-hour Azure conversation trace. */
class FleetSimulatorTest {

    static List<Request> conv;
    static final ReplicaModel.Calibration H100 = ReplicaModel.Calibration.h100();

    @BeforeAll
    static void load() throws Exception {
        conv = TraceReader.requests(TraceReaderTest.bundled("azure-llm-2023-conv.csv"), "conv");
    }

    static Policy policy() throws Exception {
        return PolicyParser.parse("""
                models:
                  - name: chat
                    namespace: llm
                    modelId: meta-llama/Llama-3.1-8B-Instruct
                    minReplicas: 1
                    maxReplicas: 40
                    slo: {ttftP95Seconds: 1.0}
                    capacity: {requestsPerSecond: 10}
                    variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]
                """);
    }

    @Test
    void aFixedFleetUsesItsReplicaHoursAndServesEveryRequest() {
        FleetSimulator.Result r = FleetSimulator.run(conv, H100, FleetSimulator.Config.defaults(3, 1),
                Scalers.fixed(3));
        double hours = (conv.get(conv.size() - 1).arrivalSeconds() + 300) / 3600;
        assertEquals(3 * hours, r.gpuHours(), 3.0 / 3600 * 2, "GPU-hours are the integral of running pods");
        assertEquals(conv.size(), r.arrivals());
        assertEquals(conv.size(), r.served(), "every request gets its first token");
        assertTrue(r.sloAttainment() > 0.99, "3 H100s for 5.5 req/s: " + r.sloAttainment());
        assertEquals(12.29 * r.gpuHours(), r.cost(), 1e-9);
    }

    @Test
    void aWarmUpIsSimulatedButNotMeasured() {
        FleetSimulator.Config plain = FleetSimulator.Config.defaults(3, 1);
        FleetSimulator.Result cold = FleetSimulator.run(conv, H100, plain, Scalers.fixed(3));
        FleetSimulator.Result warm = FleetSimulator.run(conv, H100, plain.withWarmup(600), Scalers.fixed(3));
        assertEquals(cold.gpuHours(), warm.gpuHours(), 1e-9, "the warm-up's pods are not billed");
        assertEquals(conv.size(), warm.arrivals(), "the warm-up's requests are not counted");
        assertEquals(conv.size(), warm.served());
        assertEquals(cold.replicasPerMinute().length, warm.replicasPerMinute().length);
        assertEquals(cold.p95PerMinute().length, warm.p95PerMinute().length);
    }

    @Test
    void theWarmUpReplaysTheStartBackwardsSoItEndsAtTheRateTheTraceBeginsWith() {
        // 1 req/s for 5 minutes, then 10 req/s: the warm-up's last minute is at 1 req/s, not at 10.
        List<Request> step = new java.util.ArrayList<>();
        for (double t = 0; t < 900; t += t < 300 ? 1 : 0.1) {
            step.add(new Request(t, 100, 10));
        }
        double[] completed = new double[2];
        FleetSimulator.Scaler watching = (view, history) -> {
            double done = view.pods().stream().mapToDouble(FleetSimulator.PodMetrics::requests).sum();
            completed[0] = view.now() <= 540 ? done : completed[0];
            completed[1] = view.now() <= 600 ? done : completed[1];
            return 3;
        };
        FleetSimulator.run(step, H100, FleetSimulator.Config.defaults(3, 1).withWarmup(600), watching);
        assertEquals(60, completed[1] - completed[0], 5, "requests completed in the warm-up's last minute");
    }

    @Test
    void afterAWarmUpAScalerMeetsTheTraceWithTheFleetItBuilt() {
        List<Request> busy = Arrivals.scale(conv, 10, 1).stream().filter(r -> r.arrivalSeconds() < 900).toList();
        FleetSimulator.Config one = FleetSimulator.Config.defaults(1, 1);
        FleetSimulator.Result cold = FleetSimulator.run(busy, H100, one, Scalers.kedaRate(8, 1, 40));
        FleetSimulator.Result warm = FleetSimulator.run(busy, H100, one.withWarmup(600), Scalers.kedaRate(8, 1, 40));
        assertTrue(cold.sloAttainment() < 0.9, "one replica for 55 req/s until the first cold starts end: "
                + cold.sloAttainment());
        assertTrue(warm.sloAttainment() > 0.99, "the fleet scaled in the warm-up: " + warm.sloAttainment());
        assertTrue(warm.replicasPerMinute()[0] >= 6, "55 req/s at 8 per replica from the first minute: "
                + warm.replicasPerMinute()[0]);
    }

    @Test
    void theSameSeedGivesTheSameRun() throws Exception {
        FleetSimulator.Result a = FleetSimulator.run(conv, H100, FleetSimulator.Config.defaults(1, 7),
                Scalers.gpuAutoscaler(policy(), false));
        FleetSimulator.Result b = FleetSimulator.run(conv, H100, FleetSimulator.Config.defaults(1, 7),
                Scalers.gpuAutoscaler(policy(), false));
        assertEquals(a.gpuHours(), b.gpuHours());
        assertEquals(a.ttftP99(), b.ttftP99());
        assertTrue(java.util.Arrays.equals(a.replicasPerMinute(), b.replicasPerMinute()));
        assertEquals(a.sloMet(), b.sloMet());
        assertEquals(a.scaleEvents(), b.scaleEvents());
    }

    @Test
    void comparesThePoliciesOnTheConversationTraceAtTenTimesItsRate() throws Exception {
        List<Request> x10 = Arrivals.scale(conv, 10, 3);
        FleetSimulator.Result ours = FleetSimulator.run(x10, H100, FleetSimulator.Config.defaults(6, 1),
                Scalers.gpuAutoscaler(policy(), false));
        FleetSimulator.Result keda = FleetSimulator.run(x10, H100, FleetSimulator.Config.defaults(6, 1),
                Scalers.kedaRate(8, 1, 40));
        FleetSimulator.Result fixed = FleetSimulator.run(x10, H100, FleetSimulator.Config.defaults(10, 1),
                Scalers.fixed(10));
        for (var e : List.of(java.util.Map.entry("gpu-autoscaler", ours), java.util.Map.entry("keda-rate(8)", keda),
                java.util.Map.entry("static(10)", fixed))) {
            FleetSimulator.Result r = e.getValue();
            System.out.printf("SIM %-16s slo %.4f  ttft p50 %.3f p95 %.3f p99 %.3f  gpu-h %.2f  $%.2f  events %d%n",
                    e.getKey(), r.sloAttainment(), r.ttftP50(), r.ttftP95(), r.ttftP99(), r.gpuHours(), r.cost(),
                    r.scaleEvents());
        }
        assertEquals(x10.size(), ours.served(), "every request is eventually served");
        assertTrue(ours.gpuHours() > 0 && ours.sloAttainment() > 0);
    }

    @Test
    void spotInterruptionsKillPodsWhoseReplacementsColdStartAndNoRequestIsLost() {
        // Two pods at 11 req/s each: while one is replaced, the other is past its saturation (~16.5 req/s).
        List<Request> x4 = Arrivals.scale(conv, 4, 3);
        List<FleetSimulator.Variant> spot = List.of(new FleetSimulator.Variant("h100-spot", 5.5, true));
        FleetSimulator.Config cfg = FleetSimulator.Config.defaults(2, 1).withVariants(spot, 4.0);
        FleetSimulator.Result r = FleetSimulator.run(x4, H100, cfg, Scalers.fixed(2));
        double hours = (x4.get(x4.size() - 1).arrivalSeconds() + 300) / 3600;
        assertTrue(r.interruptions() > 3, "4 per pod-hour on 2 pods for ~1 h: " + r.interruptions());
        assertEquals(2 * hours, r.gpuHours(), 0.01, "replacements keep the Deployment at 2 pods");
        assertEquals(5.5 * r.gpuHours(), r.cost(), 1e-6, "cost at the variant's price");
        assertEquals(x4.size(), r.served(), "requests without a first token are retried, none is lost");
        FleetSimulator.Result calm = FleetSimulator.run(x4, H100, FleetSimulator.Config.defaults(2, 1)
                .withVariants(spot, 0), Scalers.fixed(2));
        assertEquals(0, calm.interruptions());
        assertTrue(r.sloAttainment() < calm.sloAttainment(), "cold replacements cost latency: "
                + r.sloAttainment() + " vs " + calm.sloAttainment());
    }

    @Test
    void ourPolicyPutsReplicasOnSpotWithinItsShareCap() throws Exception {
        Policy p = PolicyParser.parse(Backtest.DEFAULT_SPOT_POLICY);
        FleetSimulator.Config cfg = FleetSimulator.Config.defaults(1, 1).withVariants(Backtest.variants(p), 0);
        List<Request> x10 = Arrivals.scale(conv, 10, 3);
        FleetSimulator.Result withSpot = FleetSimulator.run(x10, H100, cfg, Scalers.gpuAutoscaler(p, false));
        FleetSimulator.Result onDemand = FleetSimulator.run(x10, H100, FleetSimulator.Config.defaults(1, 1),
                Scalers.gpuAutoscaler(PolicyParser.parse(Backtest.DEFAULT_POLICY), false));
        assertTrue(withSpot.cost() < 0.75 * onDemand.cost(), withSpot.cost() + " vs " + onDemand.cost());
        assertTrue(withSpot.gpuHours() > 0.8 * onDemand.gpuHours(), "the same fleet, cheaper capacity");
    }
}
