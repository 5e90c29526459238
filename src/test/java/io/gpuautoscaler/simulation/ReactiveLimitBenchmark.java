package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileReader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How far a reactive scaler can go (ADR 0012): one that knows the true arrival rate of the last 30 s (no
 * scrape, rate window or HPA) and holds {@code ceil(rate / L)} replicas, against the foresight schedule at its
 * attainment. Fluid, seed 1, the default fleet.
 * {@code ./mvnw -Pbench test -Dtest=ReactiveLimitBenchmark -Dprobe.trace=servegen-reason-deepseek-r1-rate-600s.csv}
 */
@Tag("benchmark")
class ReactiveLimitBenchmark {

    static final double LOOKBACK_SECONDS = 30;

    @Test
    void aScalerThatKnowsTheCurrentRateAgainstTheSchedule() throws Exception {
        String trace = System.getProperty("probe.trace", "servegen-reason-deepseek-r1-rate-600s.csv");
        List<Request> sizes = TraceReader.requests(TraceReaderTest.bundled("azure-llm-2023-conv.csv"), "conv");
        RateCurve curve;
        try (FileReader r = new FileReader("../shared/traces/" + trace)) {
            curve = TraceReader.rates(r, trace);
        }
        double mean = Arrays.stream(curve.rates()).filter(Double::isFinite).average().orElse(1);
        double dt = Traffic.FLUID_STEP_SECONDS;
        FluidFleet.Load load = FluidFleet.Load.fromRates(curve, Backtest.DEFAULT_TARGET_RATE / mean, sizes, 1, 1, dt);
        ReplicaProfile profile = ReplicaProfile.measure(ReplicaModel.Calibration.h100(), sizes,
                Backtest.PROFILE_REPLICAS, 1, 1);
        FleetSimulator.Config cfg = FleetSpec.DEFAULT.config(12, 1, 1.0).withWarmup(Backtest.WARMUP_SECONDS);
        cfg = new FleetSimulator.Config(dt, cfg.scrapeSeconds(), cfg.syncSeconds(), cfg.coldStartMin(),
                cfg.coldStartMax(), cfg.sloSeconds(), cfg.variants(), 0, cfg.initialReplicas(), 1,
                cfg.warmupSeconds());
        int prefix = (int) Math.round(cfg.warmupSeconds() / dt); // the warm-up replays the first steps
        int[] counts = load.counts();
        for (double perReplica : new double[] {8.5, 9.5, 10.5}) {
            FleetSimulator.Scaler knowsTheRate = (view, history) -> {
                int k = (int) (view.now() / dt);
                double sum = 0;
                for (int i = k - (int) (LOOKBACK_SECONDS / dt); i < k; i++) {
                    int j = i < prefix ? i : i - prefix;
                    sum += i >= 0 && j < counts.length ? counts[Math.max(0, j)] : 0;
                }
                return Math.max(1, (int) Math.ceil(sum / LOOKBACK_SECONDS / perReplica));
            };
            FleetSimulator.Result r = FluidFleet.run(load, profile, cfg, knowsTheRate);
            FleetSimulator.Result schedule = ForesightSchedule.of(load, profile, cfg.sloSeconds(), r.sloAttainment(),
                    (cfg.coldStartMin() + cfg.coldStartMax()) / 2, 12.29);
            System.out.printf("reactive-limit %s: %.1f req/s per replica: %.2f%%, %.2f GPU-h; schedule %.2f GPU-h: "
                    + "%.2fx%n", trace, perReplica, 100 * r.sloAttainment(), r.gpuHours(), schedule.gpuHours(),
                    r.gpuHours() / schedule.gpuHours());
            assertTrue(r.gpuHours() > 0 && schedule.sloAttainment() >= r.sloAttainment() - 1e-3);
        }
    }
}
