package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.simulation.Backtest.Options;
import java.io.FileReader;
import java.util.function.DoubleUnaryOperator;
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
        DoubleUnaryOperator trueRate = trueRate(new Traffic.Fluid(load, profile, ReplicaModel.Calibration.h100()),
                cfg.warmupSeconds());
        for (double perReplica : new double[] {8.5, 9.5, 10.5}) {
            FleetSimulator.Scaler knowsTheRate = (view, history) -> Math.max(1,
                    (int) Math.ceil(trueRate.applyAsDouble(view.now()) / perReplica));
            FleetSimulator.Result r = FluidFleet.run(load, profile, cfg, knowsTheRate);
            FleetSimulator.Result schedule = ForesightSchedule.of(load, profile, cfg.sloSeconds(), r.sloAttainment(),
                    (cfg.coldStartMin() + cfg.coldStartMax()) / 2, 12.29);
            System.out.printf("reactive-limit %s: %.1f req/s per replica: %.2f%%, %.2f GPU-h; schedule %.2f GPU-h: "
                    + "%.2fx%n", trace, perReplica, 100 * r.sloAttainment(), r.gpuHours(), schedule.gpuHours(),
                    r.gpuHours() / schedule.gpuHours());
            assertTrue(r.gpuHours() > 0 && schedule.sloAttainment() >= r.sloAttainment() - 1e-3);
        }
    }

    /**
     * The reactive frontier on any trace: ours, keda-rate over its sweep, and the scaler that knows the true rate
     * of the last 30 s over the same range of replicas per request/s, each at its cheapest setting reaching ours'
     * attainment. If even that scaler is not 15% below keda-rate there, no reactive rule is (issue 5's target).
     * {@code ./mvnw -Pbench test -Dtest=ReactiveLimitBenchmark#theReactiveFrontier -Dprobe.trace=T.csv
     * [-Dprobe.mode=fluid] [-Dprobe.seed=1]}
     */
    @Test
    void theReactiveFrontier() throws Exception {
        String trace = System.getProperty("probe.trace", "azure-llm-2023-conv.csv");
        long seed = Long.getLong("probe.seed", 1);
        Traffic traffic = Backtest.traffic(trace, () -> new FileReader("../shared/traces/" + trace), null, seed,
                Backtest.mode(System.getProperty("probe.mode", "auto")), 1, ReplicaModel.Calibration.h100());
        Options o = Options.of(null, null, false, null, seed, false, FleetSpec.DEFAULT);
        double slo = o.policy().models().get(0).slo().ttftSeconds();
        int start = Math.max(1, (int) Math.ceil(traffic.meanRate() / 10));
        FleetSimulator.Config cfg = FleetSpec.DEFAULT.config(start, seed, slo).withWarmup(Backtest.WARMUP_SECONDS);
        DoubleUnaryOperator trueRate = trueRate(traffic, cfg.warmupSeconds());
        FleetSimulator.Result ours = traffic.run(cfg.withVariants(Backtest.variants(o.policy()), 0),
                Scalers.gpuAutoscaler(o.policy(), false));
        double target = ours.sloAttainment();
        double keda = Double.NaN;
        double ideal = Double.NaN;
        for (double k : Backtest.KEDA_RATE_SWEEP) {
            FleetSimulator.Result r = traffic.run(cfg, Scalers.kedaRate(k, 1, 1000));
            FleetSimulator.Result i = traffic.run(cfg, knowsTheRate(trueRate, k));
            System.out.printf("frontier %s seed %d: %.1f req/s per replica: keda-rate %.2f%% %.2f GPU-h, "
                    + "knows-the-rate %.2f%% %.2f GPU-h%n", trace, seed, k, 100 * r.sloAttainment(), r.gpuHours(),
                    100 * i.sloAttainment(), i.gpuHours());
            keda = r.sloAttainment() >= target && !(r.gpuHours() >= keda) ? r.gpuHours() : keda;
            ideal = i.sloAttainment() >= target && !(i.gpuHours() >= ideal) ? i.gpuHours() : ideal;
        }
        System.out.printf("frontier %s seed %d: ours %.2f%% %.2f GPU-h; at that attainment keda-rate %.2fx ours, "
                + "knows-the-rate %.2fx ours, keda-rate %.2fx knows-the-rate%n", trace, seed, 100 * target,
                ours.gpuHours(), keda / ours.gpuHours(), ideal / ours.gpuHours(), keda / ideal);
        assertTrue(ours.gpuHours() > 0);
    }

    /**
     * {@code ceil(true rate / perReplica)}, a scale-down taking the highest of the last 5 minutes (the HPA's
     * default window, as keda-rate has it).
     */
    static FleetSimulator.Scaler knowsTheRate(DoubleUnaryOperator trueRate, double perReplica) {
        java.util.ArrayDeque<double[]> window = new java.util.ArrayDeque<>();
        return (view, history) -> {
            double now = view.now();
            window.addLast(new double[] {now, Math.max(1, Math.ceil(trueRate.applyAsDouble(now) / perReplica))});
            while (window.peekFirst()[0] <= now - 300) {
                window.removeFirst();
            }
            return (int) window.stream().mapToDouble(x -> x[1]).max().getAsDouble();
        };
    }

    /** Arrivals per second over the last {@link #LOOKBACK_SECONDS} as the simulators replay them, warm-up included. */
    static DoubleUnaryOperator trueRate(Traffic traffic, double warmup) {
        double[] times;
        if (traffic instanceof Traffic.Requests r) {
            int prefix = FleetSimulator.warmupPrefix(r.arrivals(), warmup);
            times = new double[prefix + r.arrivals().size()];
            for (int i = 0; i < times.length; i++) {
                times[i] = FleetSimulator.arrival(r.arrivals(), prefix, warmup, i).arrivalSeconds();
            }
            return now -> (count(times, now) - count(times, now - LOOKBACK_SECONDS)) / LOOKBACK_SECONDS;
        }
        Traffic.Fluid f = (Traffic.Fluid) traffic;
        double dt = Traffic.FLUID_STEP_SECONDS;
        int prefix = (int) Math.round(warmup / dt);
        int[] counts = f.load().counts();
        return now -> {
            int k = (int) (now / dt);
            double sum = 0;
            for (int i = k - (int) (LOOKBACK_SECONDS / dt); i < k; i++) {
                int j = FluidFleet.warmedUp(i, prefix);
                sum += i >= 0 && j >= 0 && j < counts.length ? counts[j] : 0;
            }
            return sum / LOOKBACK_SECONDS;
        };
    }

    /** How many of the sorted {@code times} are at most {@code t}. */
    private static int count(double[] times, double t) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < times.length && times[i + 1] == t) {
            i++;
        }
        return i + 1;
    }
}
