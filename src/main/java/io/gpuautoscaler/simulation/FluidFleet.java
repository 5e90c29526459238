package io.gpuautoscaler.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fleet of {@link FleetSimulator} served as a fluid, for traces too long to replay request by request
 * (14 days at 100 req/s is 120M requests). Arrivals are counts per step. The ready replicas share them evenly
 * (the least-loaded router balances them) and each behaves as {@link ReplicaProfile} measured at that load;
 * what exceeds the profile's highest load waits in a FIFO backlog, and a served cohort's TTFT is its wait
 * plus the profile's TTFT distribution. Pods, cold starts, deletion (a deleted pod is billed while it drains),
 * spot interruptions, scrapes, syncs and the scalers are those of the per-request simulator.
 */
public final class FluidFleet {

    /**
     * What arrives.
     *
     * @param counts requests arriving in each step
     * @param meanPrompt mean prompt tokens of a request
     * @param meanOutput mean generated tokens of a request
     */
    public record Load(double stepSeconds, int[] counts, double meanPrompt, double meanOutput) {

        public long requests() {
            long n = 0;
            for (int c : counts) {
                n += c;
            }
            return n;
        }

        public double durationSeconds() {
            return counts.length * stepSeconds;
        }

        /**
         * The arrivals of {@link Arrivals#fromRates} (the same instants for the same seed) counted per step,
         * with the mean sizes of {@code sizes}.
         */
        public static Load fromRates(RateCurve curve, double scale, List<Request> sizes, long seed, double cv,
                double stepSeconds) {
            if (!(stepSeconds > 0)) {
                throw new IllegalArgumentException("the step must be > 0");
            }
            int[] counts = new int[(int) Math.ceil(curve.durationSeconds() / stepSeconds)];
            Arrivals.generate(curve, scale, sizes, seed, cv, (t, size) -> counts[Math.min(counts.length - 1,
                    (int) (t / stepSeconds))]++);
            return sized(stepSeconds, counts, sizes);
        }

        /** A request trace's arrivals counted per step, with its mean sizes. */
        public static Load fromRequests(List<Request> requests, double stepSeconds) {
            double last = requests.isEmpty() ? 0 : requests.get(requests.size() - 1).arrivalSeconds();
            int[] counts = new int[(int) Math.floor(last / stepSeconds) + 1];
            for (Request r : requests) {
                counts[(int) (r.arrivalSeconds() / stepSeconds)]++;
            }
            return sized(stepSeconds, counts, requests);
        }

        private static Load sized(double stepSeconds, int[] counts, List<Request> sizes) {
            return new Load(stepSeconds, counts, sizes.stream().mapToDouble(Request::promptTokens).average()
                    .orElse(0), sizes.stream().mapToDouble(Request::outputTokens).average().orElse(0));
        }

        /** Arrivals per second in each minute. */
        public double[] perMinute(int minutes) {
            double[] out = new double[minutes];
            for (int k = 0; k < counts.length; k++) {
                int m = (int) (k * stepSeconds / 60);
                if (m < minutes) {
                    out[m] += counts[k] / 60.0;
                }
            }
            return out;
        }
    }

    /** Counters every ready pod shares: requests, prompt and output tokens, busy seconds, TTFT buckets. */
    private static final int REQUESTS = 0;
    private static final int PROMPT = 1;
    private static final int OUTPUT = 2;
    private static final int BUSY = 3;
    private static final int BUCKETS = 4;

    /** Bounds of the histogram the TTFT quantiles are read from: 1 ms to 10^4 s, 40 per decade. */
    private static final double[] FINE = new double[281];

    static {
        for (int i = 0; i < FINE.length; i++) {
            FINE[i] = 1e-3 * Math.pow(10, i / 40.0);
        }
    }

    /**
     * A pod. Its counters are the fleet's shared ones between when it became ready and when it stopped
     * serving, which is exact because ready pods share the load evenly.
     */
    private static final class Pod {
        final String name;
        final int variant;
        final double readyAt;
        boolean deleting;
        double goneAt = Double.POSITIVE_INFINITY;
        double[] start;
        double[] stop;

        Pod(String name, int variant, double readyAt) {
            this.name = name;
            this.variant = variant;
            this.readyAt = readyAt;
        }

        boolean serving() {
            return start != null && stop == null;
        }
    }

    /** Requests that arrived together (mid-step) and wait for a replica. */
    private static final class Cohort {
        final double arrivedAt;
        double count;

        Cohort(double arrivedAt, double count) {
            this.arrivedAt = arrivedAt;
            this.count = count;
        }
    }

    private FluidFleet() {
    }

    /** Runs in the load's steps ({@code cfg.stepSeconds()} is the per-request simulator's and unused here). */
    public static FleetSimulator.Result run(Load load, ReplicaProfile profile, FleetSimulator.Config cfg,
            FleetSimulator.Scaler scaler) {
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        double dt = load.stepSeconds();
        int variants = cfg.variants().size();
        List<Pod> pods = new ArrayList<>();
        int created = 0;
        for (int i = 0; i < cfg.initialReplicas(); i++) {
            pods.add(new Pod("pod-" + created++, 0, 0));
        }
        double[] shared = new double[BUCKETS + FleetSimulator.TTFT_BUCKETS.length];
        Deque<Cohort> backlog = new ArrayDeque<>();
        double backlogged = 0; // requests in the backlog, kept as a sum: it can hold days of cohorts
        MetricHistory history = new MetricHistory(cfg.scrapeSeconds());
        int prefix = (int) Math.round(cfg.warmupSeconds() / dt); // steps replayed in reverse in the warm-up
        double end = load.durationSeconds() + prefix * dt + FleetSimulator.TAIL_SECONDS;
        int minutes = Math.max(0, cfg.minute(end)) + 2;
        double[] replicasPerMinute = new double[minutes];
        double[] p95PerMinute = new double[minutes];
        Arrays.fill(p95PerMinute, Double.NaN);
        double[] all = new double[FINE.length + 1];
        double[] minute = new double[FINE.length + 1];
        int currentMinute = -1;
        double pInterrupt = 1 - Math.exp(-cfg.spotInterruptionsPerHour() * dt / 3600);
        double podSeconds = 0;
        double cost = 0;
        double served = 0;
        double sloMet = 0;
        int interruptions = 0;
        int scaleEvents = 0;
        double nextScrape = 0;
        double nextSync = cfg.syncSeconds();
        ReplicaProfile.Point point = profile.at(0);
        int steps = (int) Math.ceil(end / dt);
        for (int k = 0; k < steps; k++) {
            double t = k * dt;
            int j = warmedUp(k, prefix);
            if (j >= 0 && j < load.counts().length && load.counts()[j] > 0) {
                backlog.addLast(new Cohort(t + dt / 2, load.counts()[j]));
                backlogged += load.counts()[j];
            }
            int serving = 0;
            for (Pod p : pods) {
                if (p.start == null && !p.deleting && t >= p.readyAt) {
                    p.start = shared.clone();
                }
                serving += p.serving() ? 1 : 0;
            }
            // Serve the backlog in order at the profile's highest load per replica.
            double rate = serving * profile.maxLoad();
            double capacity = rate * dt;
            double taken = 0;
            List<double[]> portions = new ArrayList<>(2);
            while (!backlog.isEmpty() && capacity - taken > 1e-9) {
                Cohort c = backlog.peekFirst();
                double n = Math.min(c.count, capacity - taken);
                double wait = Math.max(0, t + (taken + n / 2) / rate - c.arrivedAt);
                portions.add(new double[] {n, wait, c.arrivedAt});
                taken += n;
                backlogged -= n;
                c.count -= n;
                if (c.count <= 1e-9) {
                    backlog.removeFirst();
                }
            }
            if (serving > 0) {
                point = profile.at(taken / (serving * dt));
                shared[REQUESTS] += taken / serving;
                shared[PROMPT] += taken / serving * load.meanPrompt();
                shared[OUTPUT] += taken / serving * load.meanOutput();
                shared[BUSY] += point.busy() * dt;
            }
            boolean measuring = t >= cfg.warmupSeconds();
            if (cfg.minute(t) > currentMinute) {
                if (currentMinute >= 0) {
                    p95PerMinute[currentMinute] = quantile(minute, 0.95);
                }
                Arrays.fill(minute, 0);
                currentMinute = cfg.minute(t);
            }
            for (double[] portion : portions) {
                double n = portion[0];
                double wait = portion[1];
                if (portion[2] < cfg.warmupSeconds()) {
                    continue;
                }
                served += n;
                sloMet += n * point.within(cfg.sloSeconds(), wait);
                for (int b = 0; b < FleetSimulator.TTFT_BUCKETS.length; b++) {
                    shared[BUCKETS + b] += n / serving * point.within(FleetSimulator.TTFT_BUCKETS[b], wait);
                }
                addQuantiles(all, point.ttftQuantiles(), wait, n);
                addQuantiles(minute, point.ttftQuantiles(), wait, n);
            }
            if (measuring) {
                podSeconds += pods.size() * dt;
                for (Pod p : pods) {
                    cost += cfg.variants().get(p.variant).pricePerHour() * dt / 3600;
                }
            }
            pods.removeIf(p -> p.deleting && t >= p.goneAt);
            if (pInterrupt > 0) {
                for (int i = 0; i < pods.size(); i++) {
                    Pod p = pods.get(i);
                    if (cfg.variants().get(p.variant).spot() && rng.nextDouble() < pInterrupt) {
                        interruptions += measuring ? 1 : 0;
                        pods.set(i, p.deleting ? null
                                : new Pod("pod-" + created++, p.variant, t + FleetSimulator.coldStart(cfg, rng)));
                    }
                }
                pods.removeIf(java.util.Objects::isNull);
            }
            List<FleetSimulator.PodMetrics> scraped = null; // shared by a scrape and a sync at the same step
            if (t >= nextScrape) {
                scraped = snapshot(pods, shared, point, serving == 0 ? 0 : Math.max(0, backlogged) / serving);
                history.record(t, scraped);
                nextScrape += cfg.scrapeSeconds();
            }
            if (t >= nextSync) {
                List<FleetSimulator.PodMetrics> now = scraped != null ? scraped
                        : snapshot(pods, shared, point, serving == 0 ? 0 : Math.max(0, backlogged) / serving);
                int[] live = new int[variants];
                int[] ready = new int[variants];
                for (Pod p : pods) {
                    live[p.variant] += p.deleting ? 0 : 1;
                    ready[p.variant] += p.serving() ? 1 : 0;
                }
                int[] desired = scaler.desiredPerVariant(new FleetSimulator.View(t, Arrays.stream(live).sum(),
                        Arrays.stream(ready).sum(), live, ready, now), history);
                boolean changed = false;
                for (int v = 0; v < variants; v++) {
                    int want = Math.max(0, desired[v]);
                    changed |= want != live[v];
                    for (int i = live[v]; i < want; i++) {
                        pods.add(new Pod("pod-" + created++, v, t + FleetSimulator.coldStart(cfg, rng)));
                    }
                    for (int i = want; i < live[v]; i++) {
                        Pod victim = victim(pods, v);
                        victim.deleting = true;
                        victim.goneAt = victim.serving() ? t + point.drainSeconds() : t;
                        if (victim.serving()) {
                            victim.stop = shared.clone();
                        }
                    }
                }
                scaleEvents += changed && measuring ? 1 : 0;
                nextSync += cfg.syncSeconds();
            }
            int m = cfg.minute(t);
            if (m >= 0) {
                replicasPerMinute[m] = Math.max(replicasPerMinute[m], pods.size());
            }
        }
        if (currentMinute >= 0) {
            p95PerMinute[currentMinute] = quantile(minute, 0.95);
        }
        long arrivals = load.requests();
        return new FleetSimulator.Result((int) arrivals, (int) Math.round(served), (int) Math.round(sloMet),
                quantile(all, 0.5), quantile(all, 0.95), quantile(all, 0.99), podSeconds / 3600, cost, scaleEvents,
                replicasPerMinute, p95PerMinute, interruptions);
    }

    /** As a Deployment scales down: a pod not serving yet first, else the newest serving one. */
    private static Pod victim(List<Pod> pods, int variant) {
        Pod victim = null;
        for (Pod p : pods) {
            if (p.variant == variant && !p.deleting && (victim == null || !p.serving() && victim.serving()
                    || p.serving() == victim.serving() && p.readyAt > victim.readyAt)) {
                victim = p;
            }
        }
        return victim;
    }

    private static List<FleetSimulator.PodMetrics> snapshot(List<Pod> pods, double[] shared,
            ReplicaProfile.Point point, double backlogPerPod) {
        List<FleetSimulator.PodMetrics> out = new ArrayList<>(pods.size());
        double[] zero = new double[shared.length];
        for (Pod p : pods) {
            double[] from = p.start == null ? zero : p.start;
            double[] to = p.start == null ? zero : p.stop == null ? shared : p.stop;
            double[] buckets = new double[FleetSimulator.TTFT_BUCKETS.length];
            for (int b = 0; b < buckets.length; b++) {
                buckets[b] = to[BUCKETS + b] - from[BUCKETS + b];
            }
            boolean serving = p.serving();
            out.add(new FleetSimulator.PodMetrics(p.name, p.variant, serving, to[REQUESTS] - from[REQUESTS],
                    to[PROMPT] - from[PROMPT], to[OUTPUT] - from[OUTPUT], serving ? point.waiting() + backlogPerPod : 0,
                    serving ? point.running() : 0, to[BUSY] - from[BUSY], buckets));
        }
        return out;
    }

    /** Adds {@code n} requests distributed as the quantiles shifted by {@code wait} to a FINE histogram. */
    private static void addQuantiles(double[] histogram, double[] quantiles, double wait, double n) {
        double each = n / quantiles.length;
        int bin = 0;
        for (double q : quantiles) {
            double v = q + wait;
            while (bin < FINE.length && FINE[bin] < v) {
                bin++;
            }
            histogram[bin] += each;
        }
    }

    /** A quantile of a FINE histogram (the upper bound of the bin it falls in); NaN when empty. */
    private static double quantile(double[] histogram, double q) {
        double total = 0;
        for (double h : histogram) {
            total += h;
        }
        if (total <= 0) {
            return Double.NaN;
        }
        double c = 0;
        for (int i = 0; i < histogram.length; i++) {
            c += histogram[i];
            if (c >= q * total) {
                return i < FINE.length ? FINE[i] : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The load's step simulated at step {@code k} when its first {@code prefix} steps are replayed in reverse
     * before it as a warm-up.
     */
    static int warmedUp(int k, int prefix) {
        return k < prefix ? prefix - 1 - k : k - prefix;
    }
}
