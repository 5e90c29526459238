package io.gpuautoscaler.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fleet of vLLM replicas of one model serving a request trace, scaled by a {@link Scaler}: pods are created
 * with a cold start before they serve, deleted pods stop taking requests and finish what they hold, arrivals
 * go to the ready pod with the least work (or wait for one), and every pod's counters, gauges and TTFT
 * buckets are scraped like Prometheus would. Deterministic for a seed.
 */
public final class FleetSimulator {

    /**
     * @param stepSeconds simulation step
     * @param scrapeSeconds scrape interval of the simulated Prometheus
     * @param syncSeconds how often the scaler decides
     * @param coldStartMin shortest cold start, seconds
     * @param coldStartMax longest cold start, seconds (uniform between)
     * @param sloSeconds TTFT objective
     * @param variants where replicas run (one GPU per replica: GPU-hours are replica-hours); the first is
     *        where the initial replicas and single-variant scalers' replicas go
     * @param spotInterruptionsPerHour hazard of an interruption per spot pod and hour: the pod dies, its
     *        requests without a first token are retried elsewhere, and its Deployment starts a replacement
     * @param initialReplicas replicas at the start, ready
     * @param warmupSeconds the arrivals' first seconds are replayed once before them, in reverse, as a warm-up,
     *        so that each scaler meets the trace with the fleet it would hold by then and the warm-up ends at
     *        the rate the trace starts with; nothing in the warm-up is measured (SLO, GPU-hours, cost, events,
     *        interruptions, per-minute series)
     */
    public record Config(double stepSeconds, double scrapeSeconds, double syncSeconds, double coldStartMin,
            double coldStartMax, double sloSeconds, List<Variant> variants, double spotInterruptionsPerHour,
            int initialReplicas, long seed, double warmupSeconds) {

        public Config {
            variants = List.copyOf(variants);
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("at least one variant");
            }
        }

        public static Config defaults(int initialReplicas, long seed) {
            return FleetSpec.DEFAULT.config(initialReplicas, seed, 1.0);
        }

        public Config withVariants(List<Variant> v, double interruptionsPerHour) {
            return new Config(stepSeconds, scrapeSeconds, syncSeconds, coldStartMin, coldStartMax, sloSeconds, v,
                    interruptionsPerHour, initialReplicas, seed, warmupSeconds);
        }

        public Config withWarmup(double seconds) {
            return new Config(stepSeconds, scrapeSeconds, syncSeconds, coldStartMin, coldStartMax, sloSeconds,
                    variants, spotInterruptionsPerHour, initialReplicas, seed, seconds);
        }

        /** The minute of the measured run that {@code t} falls in; -1 during the warm-up. */
        int minute(double t) {
            return t < warmupSeconds ? -1 : (int) ((t - warmupSeconds) / 60);
        }

        /** Price of the first variant, $ per replica-hour. */
        public double pricePerReplicaHour() {
            return variants.get(0).pricePerHour();
        }
    }

    /** A kind of capacity: its price and whether it can be interrupted. */
    public record Variant(String name, double pricePerHour, boolean spot) {
    }

    /** What a scaler sees at a sync; per variant in the order of {@link Config#variants()}. */
    public record View(double now, int replicas, int readyReplicas, int[] replicasPerVariant, int[] readyPerVariant,
            List<PodMetrics> pods) {
    }

    /** One pod's cumulative counters and current gauges, as scraped. */
    public record PodMetrics(String name, int variant, boolean ready, double requests, double promptTokens,
            double outputTokens, double waiting, double running, double busySeconds, double[] ttftBuckets) {
    }

    /** Decides the replicas; called every sync. */
    public interface Scaler {
        int desired(View view, MetricHistory history);

        /** Replicas per variant; by default all on the first. */
        default int[] desiredPerVariant(View view, MetricHistory history) {
            int[] out = new int[view.replicasPerVariant().length];
            out[0] = desired(view, history);
            return out;
        }
    }

    /**
     * The outcome of a run.
     *
     * @param served requests that got their first token
     * @param sloMet of those, how many within the SLO; unserved requests count as misses
     */
    public record Result(int arrivals, int served, int sloMet, double ttftP50, double ttftP95, double ttftP99,
            double gpuHours, double cost, int scaleEvents, double[] replicasPerMinute, double[] p95PerMinute,
            int interruptions) {

        public double sloAttainment() {
            return arrivals == 0 ? 1 : (double) sloMet / arrivals;
        }
    }

    /** Simulated, and billed, after the last arrival: the fleet serves what is left. */
    public static final double TAIL_SECONDS = 300;

    /** TTFT histogram bounds of vLLM's {@code time_to_first_token_seconds}. */
    public static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
        2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0, Double.POSITIVE_INFINITY};

    static final class Pod {
        final String name;
        final int variant;
        final ReplicaModel model;
        final double readyAt;
        boolean deleting;
        double requests;
        double promptTokens;
        double outputTokens;
        final double[] ttft = new double[TTFT_BUCKETS.length];

        Pod(String name, int variant, ReplicaModel model, double readyAt) {
            this.name = name;
            this.variant = variant;
            this.model = model;
            this.readyAt = readyAt;
        }

        boolean ready(double now) {
            return !deleting && now >= readyAt;
        }

        int load() {
            return model.waiting() + model.running();
        }
    }

    private FleetSimulator() {
    }

    public static Result run(List<Request> arrivals, ReplicaModel.Calibration cal, Config cfg, Scaler scaler) {
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        List<Pod> pods = new ArrayList<>();
        int created = 0;
        for (int i = 0; i < cfg.initialReplicas(); i++) {
            pods.add(new Pod("pod-" + created++, 0, new ReplicaModel(cal), 0));
        }
        Deque<Request> unrouted = new ArrayDeque<>();
        MetricHistory history = new MetricHistory(cfg.scrapeSeconds());
        List<Double> ttfts = new ArrayList<>(arrivals.size());
        double w = cfg.warmupSeconds();
        double end = arrivals.isEmpty() ? 0
                : arrivals.get(arrivals.size() - 1).arrivalSeconds() + w + TAIL_SECONDS;
        int minutes = Math.max(0, cfg.minute(end)) + 2;
        int prefix = warmupPrefix(arrivals, w);
        int total = prefix + arrivals.size();
        double[] replicasPerMinute = new double[minutes];
        List<List<Double>> ttftByMinute = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            ttftByMinute.add(new ArrayList<>());
        }
        int variants = cfg.variants().size();
        double podSeconds = 0;
        double cost = 0;
        int interruptions = 0;
        double pInterrupt = 1 - Math.exp(-cfg.spotInterruptionsPerHour() * cfg.stepSeconds() / 3600);
        int scaleEvents = 0;
        int next = 0;
        int sloMet = 0;
        double nextScrape = 0;
        double nextSync = cfg.syncSeconds();
        List<ReplicaModel.Served> first = new ArrayList<>();
        for (double t = 0; t < end; t += cfg.stepSeconds()) {
            double stepEnd = t + cfg.stepSeconds();
            while (next < total) {
                Request r = arrival(arrivals, prefix, w, next);
                if (r.arrivalSeconds() >= stepEnd) {
                    break;
                }
                unrouted.addLast(r);
                next++;
            }
            route(pods, unrouted, t);
            first.clear();
            for (Pod p : pods) {
                int before = first.size();
                List<ReplicaModel.Served> done = p.model.step(t, cfg.stepSeconds(), first);
                for (int i = before; i < first.size(); i++) {
                    double ttft = first.get(i).ttftSeconds();
                    p.ttft[bucket(ttft)]++;
                    Request r = first.get(i).request();
                    p.promptTokens += r.promptTokens();
                }
                for (ReplicaModel.Served s : done) {
                    p.requests++;
                    p.outputTokens += s.request().outputTokens();
                }
            }
            for (ReplicaModel.Served s : first) {
                // Wait for a pod (unrouted) counts: ttft is measured from the request's arrival.
                int minute = cfg.minute(s.request().arrivalSeconds());
                if (minute < 0) {
                    continue;
                }
                ttfts.add(s.ttftSeconds());
                if (s.ttftSeconds() <= cfg.sloSeconds()) {
                    sloMet++;
                }
                if (minute < minutes) {
                    ttftByMinute.get(minute).add(s.ttftSeconds());
                }
            }
            boolean measuring = t >= cfg.warmupSeconds();
            if (measuring) {
                podSeconds += pods.size() * cfg.stepSeconds();
                for (Pod p : pods) {
                    cost += cfg.variants().get(p.variant).pricePerHour() * cfg.stepSeconds() / 3600;
                }
            }
            pods.removeIf(p -> p.deleting && p.load() == 0);
            if (pInterrupt > 0) {
                for (int i = 0; i < pods.size(); i++) {
                    Pod p = pods.get(i);
                    if (cfg.variants().get(p.variant).spot() && rng.nextDouble() < pInterrupt) {
                        interruptions += measuring ? 1 : 0;
                        unrouted.addAll(p.model.kill());
                        pods.set(i, p.deleting ? null : new Pod("pod-" + created++, p.variant, new ReplicaModel(cal),
                                t + coldStart(cfg, rng)));
                    }
                }
                pods.removeIf(java.util.Objects::isNull);
            }
            List<PodMetrics> scraped = null; // shared by a scrape and a sync at the same step
            if (t >= nextScrape) {
                scraped = snapshot(pods, t);
                history.record(t, scraped);
                nextScrape += cfg.scrapeSeconds();
            }
            if (t >= nextSync) {
                List<PodMetrics> now = scraped != null ? scraped : snapshot(pods, t);
                int[] live = new int[variants];
                int[] ready = new int[variants];
                for (Pod p : pods) {
                    live[p.variant] += p.deleting ? 0 : 1;
                    ready[p.variant] += p.ready(t) ? 1 : 0;
                }
                int[] desired = scaler.desiredPerVariant(new View(t, Arrays.stream(live).sum(),
                        Arrays.stream(ready).sum(), live, ready, now), history);
                boolean changed = false;
                for (int v = 0; v < variants; v++) {
                    int want = Math.max(0, desired[v]);
                    changed |= want != live[v];
                    int variant = v;
                    double at = t;
                    created += converge(pods, v, live[v], want, t, unrouted, n -> new Pod("pod-" + n, variant,
                            new ReplicaModel(cal), at + coldStart(cfg, rng)), created);
                }
                scaleEvents += changed && measuring ? 1 : 0;
                nextSync += cfg.syncSeconds();
            }
            int minute = cfg.minute(t);
            if (minute >= 0 && minute < minutes) {
                replicasPerMinute[minute] = Math.max(replicasPerMinute[minute], pods.size());
            }
        }
        int served = ttfts.size();
        double[] sorted = ttfts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] p95PerMinute = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            double[] m = ttftByMinute.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            p95PerMinute[i] = m.length == 0 ? Double.NaN : quantile(m, 0.95);
        }
        double gpuHours = podSeconds / 3600;
        return new Result(arrivals.size(), served, sloMet, quantile(sorted, 0.5), quantile(sorted, 0.95),
                quantile(sorted, 0.99), gpuHours, cost, scaleEvents, replicasPerMinute, p95PerMinute, interruptions);
    }

    /**
     * Brings one variant from {@code live} to {@code want} pods as a Deployment would: new pods (named from
     * {@code next}) cold-start; removal takes not-ready pods first, then the newest ready ones, whose queued
     * requests go back to the router. Returns how many pods it created.
     */
    static int converge(List<Pod> pods, int variant, int live, int want, double t, Deque<Request> unrouted,
            java.util.function.IntFunction<Pod> newPod, int next) {
        for (int i = live; i < want; i++) {
            pods.add(newPod.apply(next + i - live));
        }
        for (int i = want; i < live; i++) {
            Pod victim = null;
            for (Pod p : pods) {
                if (p.variant == variant && !p.deleting && (victim == null || !p.ready(t) && victim.ready(t)
                        || p.ready(t) == victim.ready(t) && p.readyAt > victim.readyAt)) {
                    victim = p;
                }
            }
            victim.deleting = true;
            unrouted.addAll(victim.model.drainQueued());
        }
        return Math.max(0, want - live);
    }

    /** How many arrivals come before {@code warmup}: they are replayed in reverse in the warm-up. */
    static int warmupPrefix(List<Request> arrivals, double warmup) {
        int prefix = 0;
        while (warmup > 0 && prefix < arrivals.size() && arrivals.get(prefix).arrivalSeconds() < warmup) {
            prefix++;
        }
        return prefix;
    }

    /**
     * The {@code i}th arrival when the first {@code prefix}, those before {@code warmup}, are replayed in reverse
     * (at just under {@code warmup - t}) as a warm-up before all of them.
     */
    static Request arrival(List<Request> arrivals, int prefix, double warmup, int i) {
        if (i < prefix) {
            Request r = arrivals.get(prefix - 1 - i);
            // Strictly before the measured part: an arrival at 0 is replayed just before the warm-up ends.
            return new Request(Math.nextDown(warmup - r.arrivalSeconds()), r.promptTokens(), r.outputTokens());
        }
        Request r = arrivals.get(i - prefix);
        return warmup == 0 ? r : new Request(r.arrivalSeconds() + warmup, r.promptTokens(), r.outputTokens());
    }

    static double coldStart(Config cfg, SplittableRandom rng) {
        return cfg.coldStartMin() + rng.nextDouble() * (cfg.coldStartMax() - cfg.coldStartMin());
    }

    static void route(List<Pod> pods, Deque<Request> unrouted, double now) {
        while (!unrouted.isEmpty()) {
            Pod best = null;
            for (Pod p : pods) {
                if (p.ready(now) && (best == null || p.load() < best.load())) {
                    best = p;
                }
            }
            if (best == null) {
                return;
            }
            best.model.enqueue(unrouted.pollFirst());
        }
    }

    static List<PodMetrics> snapshot(List<Pod> pods, double now) {
        List<PodMetrics> out = new ArrayList<>(pods.size());
        for (Pod p : pods) {
            double[] cumulative = new double[TTFT_BUCKETS.length];
            double c = 0;
            for (int i = 0; i < cumulative.length; i++) {
                c += p.ttft[i];
                cumulative[i] = c;
            }
            out.add(new PodMetrics(p.name, p.variant, p.ready(now), p.requests, p.promptTokens, p.outputTokens,
                    p.model.waiting(), p.model.running(), p.model.busySeconds(), cumulative));
        }
        return out;
    }

    static int bucket(double ttft) {
        for (int i = 0; i < TTFT_BUCKETS.length; i++) {
            if (ttft <= TTFT_BUCKETS[i]) {
                return i;
            }
        }
        return TTFT_BUCKETS.length - 1;
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
