package io.gpuautoscaler.simulation;

import io.gpuautoscaler.inventory.FleetInventory;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.ModelKey;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.signals.MetricsSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded mode's fleet: every model of the policy served by simulated replicas in real time, its load
 * following a bundled ServeGen day compressed into {@code daySeconds}, with request sizes from the Azure
 * conversation trace. It plays the cluster for the live loop: its pods are the inventory, its scrapes the
 * metrics, and it converges each variant to the latest decision after a cold start, as the HPA and the
 * Deployment would. A demo and a smoke test, not a benchmark (that is the backtest).
 */
public final class LiveFleet implements MetricsSource, FleetInventory, AutoCloseable {

    private static final double STEP = 0.25;
    private static final double SCRAPE = 5;
    private static final String[] CURVES = {"servegen-reason-deepseek-r1-rate-600s.csv",
        "servegen-language-m-small-rate-600s.csv", "servegen-language-m-mid-rate-600s.csv"};

    private final Clock clock;
    private final Supplier<List<Decision>> decisions;
    private final double daySeconds;
    private final double coldStartMin;
    private final double coldStartMax;
    private final long startMillis;
    private final Map<ModelKey, World> worlds = new HashMap<>();
    private final List<Request> sizes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "embedded-fleet");
        t.setDaemon(true);
        return t;
    });
    private double now;

    /** One model's simulated serving stack. */
    private final class World {
        final ModelSpec model;
        final List<String> variants;
        final RateCurve curve;
        final double scale;
        final List<FleetSimulator.Pod> pods = new ArrayList<>();
        final Deque<Request> unrouted = new ArrayDeque<>();
        final MetricHistory history = new MetricHistory(SCRAPE);
        final SplittableRandom rng;
        final ReplicaModel.Calibration cal = ReplicaModel.Calibration.h100();
        double nextArrival;
        double nextScrape;
        int created;

        World(ModelSpec model, RateCurve curve, long seed) {
            this.model = model;
            this.variants = model.variants().stream().map(VariantSpec::name).toList();
            this.curve = curve;
            double mean = java.util.Arrays.stream(curve.rates()).filter(Double::isFinite).average().orElse(1);
            // A quarter of the model's maximum capacity on average: room to scale both ways.
            this.scale = model.capacity().requestsPerSecond() * model.maxReplicas() / 4 / Math.max(1e-9, mean);
            this.rng = new SplittableRandom(seed);
            for (int i = 0; i < Math.max(1, model.minReplicas()); i++) {
                pods.add(new FleetSimulator.Pod(model.name() + "-" + created++, 0, new ReplicaModel(cal), now));
            }
            nextArrival = now;
        }

        double rate(double t) {
            double[] r = curve.rates();
            double window = daySeconds / (86_400 / curve.windowSeconds());
            double v = r[(int) (t / window) % r.length];
            return Double.isFinite(v) ? v * scale : 0;
        }

        void step(double t) {
            double lambda = rate(t);
            while (lambda > 0 && nextArrival < t + STEP) {
                Request size = sizes.get(rng.nextInt(sizes.size()));
                unrouted.add(new Request(nextArrival, size.promptTokens(), size.outputTokens()));
                nextArrival += -Math.log(1 - rng.nextDouble()) / lambda;
            }
            if (lambda <= 0) {
                nextArrival = t + STEP;
            }
            FleetSimulator.route(pods, unrouted, t);
            List<ReplicaModel.Served> first = new ArrayList<>();
            for (FleetSimulator.Pod p : pods) {
                first.clear();
                for (ReplicaModel.Served done : p.model.step(t, STEP, first)) {
                    p.requests++;
                    p.outputTokens += done.request().outputTokens();
                }
                for (ReplicaModel.Served f : first) {
                    p.ttft[FleetSimulator.bucket(f.ttftSeconds())]++;
                    p.promptTokens += f.request().promptTokens();
                }
            }
            pods.removeIf(p -> p.deleting && p.load() == 0);
            if (t >= nextScrape) {
                history.record(t, FleetSimulator.snapshot(pods, t));
                nextScrape += SCRAPE;
            }
        }

        /** Each variant to the latest decision's replicas (none yet: as it is). */
        void converge(Map<String, Integer> desired, double t) {
            for (int v = 0; v < variants.size(); v++) {
                Integer want = desired.get(variants.get(v));
                if (want == null) {
                    continue;
                }
                int live = 0;
                for (FleetSimulator.Pod p : pods) {
                    live += p.variant == v && !p.deleting ? 1 : 0;
                }
                int variant = v;
                created += FleetSimulator.converge(pods, v, live, want, t, unrouted, n -> new FleetSimulator.Pod(
                        model.name() + "-" + variants.get(variant) + "-" + n, variant, new ReplicaModel(cal),
                        t + coldStartMin + rng.nextDouble() * (coldStartMax - coldStartMin)), created);
            }
        }
    }

    /**
     * @param daySeconds real seconds in which a day of the load curve passes
     * @param coldStartMin shortest cold start of a new pod, real seconds
     */
    public LiveFleet(Clock clock, Supplier<List<Decision>> decisions, double daySeconds, double coldStartMin,
            double coldStartMax) {
        this.clock = clock;
        this.decisions = decisions;
        this.daySeconds = daySeconds;
        this.coldStartMin = coldStartMin;
        this.coldStartMax = coldStartMax;
        this.startMillis = clock.millis();
        this.sizes = BundledTraces.requests(BundledTraces.CONVERSATION);
        timer.scheduleAtFixedRate(this::advance, 0, (long) (STEP * 1000), TimeUnit.MILLISECONDS);
    }

    private synchronized void advance() {
        try {
            double target = (clock.millis() - startMillis) / 1000.0;
            Map<ModelKey, Map<String, Integer>> desired = new HashMap<>();
            for (Decision d : decisions.get()) {
                desired.computeIfAbsent(d.workload().modelKey(), k -> new HashMap<>()).put(d.workload().variant(),
                        d.desiredReplicas());
            }
            while (now + STEP <= target) {
                for (World w : worlds.values()) {
                    w.converge(desired.getOrDefault(w.model.key(), Map.of()), now);
                    w.step(now);
                }
                now += STEP;
            }
        } catch (RuntimeException e) {
            // a bad step must not kill the timer: the next one retries
            org.jboss.logging.Logger.getLogger(LiveFleet.class).warn("embedded fleet step failed", e);
        }
    }

    /** The policy's models get a world the first time they are read; removed models lose theirs. */
    private void adopt(Policy policy) {
        worlds.keySet().retainAll(policy.models().stream().map(ModelSpec::key).toList());
        int i = 0;
        for (ModelSpec m : policy.models()) {
            World w = worlds.get(m.key());
            if (w == null || !w.model.equals(m)) {
                worlds.put(m.key(), new World(m, BundledTraces.rates(CURVES[i % CURVES.length]), 17L + i));
            }
            i++;
        }
    }

    @Override
    public synchronized FleetReadings read(Policy policy, Instant at) {
        adopt(policy);
        FleetReadings.Builder b = new FleetReadings.Builder();
        List<PodInfo> ignored = new ArrayList<>();
        for (World w : worlds.values()) {
            SimulatedReadings.add(w.model, w.variants, FleetSimulator.snapshot(w.pods, now), w.history,
                    policy.prometheus().rateWindow().toSeconds(), startMillis / 1000, now, b, ignored);
        }
        return b.build(at, Map.of());
    }

    @Override
    public Map<String, OptionalDouble> probePrices(Policy policy) throws MetricsUnavailableException {
        throw new MetricsUnavailableException("embedded mode: prices are the policy's static ones", null);
    }

    @Override
    public synchronized List<PodInfo> pods() {
        List<PodInfo> out = new ArrayList<>();
        for (World w : worlds.values()) {
            SimulatedReadings.pods(w.model, w.variants, FleetSimulator.snapshot(w.pods, now), out);
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
