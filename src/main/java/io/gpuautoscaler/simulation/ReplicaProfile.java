package io.gpuautoscaler.simulation;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a replica behaves at each steady load, measured on {@link ReplicaModel} itself: a few replicas behind
 * the least-loaded router take Poisson (or Gamma) arrivals with the trace's request sizes at a grid of loads up to
 * saturation, and the TTFT distribution, queue, batch, busy share and drain time are recorded per load. The
 * fluid fleet ({@link FluidFleet}) looks replicas up here instead of simulating every request.
 */
public final class ReplicaProfile {

    /** Quantiles kept of each load's TTFT distribution. */
    static final int QUANTILES = 200;
    /** Fractions of the saturation rate measured; above the last one a replica is treated as saturated. */
    static final double[] GRID = {0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95};
    private static final int REQUESTS_PER_POINT = 8000;

    /** A replica at one load: interpolated between the measured points. */
    public record Point(double load, double[] ttftQuantiles, double waiting, double running, double busy,
            double drainSeconds) {

        /** Share of requests whose TTFT plus {@code extraWait} is within {@code seconds}. */
        public double within(double seconds, double extraWait) {
            return cdf(ttftQuantiles, seconds - extraWait);
        }
    }

    private final double saturation;
    private final Point[] points;

    private ReplicaProfile(double saturation, Point[] points) {
        this.saturation = saturation;
        this.points = points;
    }

    /** Requests per second one replica can take at most, as measured (first tokens per second in overload). */
    public double saturation() {
        return saturation;
    }

    /** Highest load per replica the profile covers; more is backlog. */
    public double maxLoad() {
        return points[points.length - 1].load();
    }

    /**
     * Measures the profile.
     *
     * @param sizes request sizes, drawn at random
     * @param replicas replicas behind the router while measuring (pooling shortens the queues a little)
     * @param cv coefficient of variation of the inter-arrival times (1: Poisson)
     */
    public static ReplicaProfile measure(ReplicaModel.Calibration cal, List<Request> sizes, int replicas, double cv,
            long seed) {
        if (sizes.isEmpty() || replicas < 1) {
            throw new IllegalArgumentException("need request sizes and at least one replica");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double saturation = saturation(cal, sizes, rng.split());
        Point[] points = new Point[GRID.length];
        for (int i = 0; i < GRID.length; i++) {
            points[i] = measureAt(cal, sizes, replicas, GRID[i] * saturation, cv, rng.split());
        }
        return new ReplicaProfile(saturation, points);
    }

    /** The replica at a load per replica (req/s), interpolated; clamped to the measured range. */
    public Point at(double load) {
        if (load <= points[0].load()) {
            return points[0];
        }
        for (int i = 1; i < points.length; i++) {
            if (load <= points[i].load()) {
                return interpolate(points[i - 1], points[i], (load - points[i - 1].load())
                        / (points[i].load() - points[i - 1].load()));
            }
        }
        return points[points.length - 1];
    }

    private static Point interpolate(Point a, Point b, double f) {
        double[] q = new double[QUANTILES];
        for (int j = 0; j < QUANTILES; j++) {
            q[j] = a.ttftQuantiles()[j] + f * (b.ttftQuantiles()[j] - a.ttftQuantiles()[j]);
        }
        return new Point(lerp(a.load(), b.load(), f), q, lerp(a.waiting(), b.waiting(), f),
                lerp(a.running(), b.running(), f), lerp(a.busy(), b.busy(), f),
                lerp(a.drainSeconds(), b.drainSeconds(), f));
    }

    private static double lerp(double a, double b, double f) {
        return a + f * (b - a);
    }

    /**
     * P(X ≤ x) of a distribution given by equally spaced quantiles ({@code q[j]} at {@code (j + 0.5) / n}),
     * linear between them.
     */
    static double cdf(double[] q, double x) {
        int n = q.length;
        if (x < q[0]) {
            return x < 0 ? 0 : 0.5 / n * (q[0] > 0 ? x / q[0] : 1);
        }
        if (x >= q[n - 1]) {
            return 1;
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (q[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double f = q[hi] > q[lo] ? (x - q[lo]) / (q[hi] - q[lo]) : 1;
        return (lo + 0.5 + f) / n;
    }

    /** First tokens per second of one replica kept full for ten minutes, after a two-minute warm-up. */
    private static double saturation(ReplicaModel.Calibration cal, List<Request> sizes, SplittableRandom rng) {
        ReplicaModel m = new ReplicaModel(cal);
        int firstTokens = 0;
        List<ReplicaModel.Served> first = new ArrayList<>();
        for (int t = 0; t < 720; t++) {
            while (m.waiting() < cal.maxNumSeqs()) {
                Request s = sizes.get(rng.nextInt(sizes.size()));
                m.enqueue(new Request(t, s.promptTokens(), s.outputTokens()));
            }
            first.clear();
            m.step(t, 1, first);
            firstTokens += t >= 120 ? first.size() : 0;
        }
        return firstTokens / 600.0;
    }

    private static Point measureAt(ReplicaModel.Calibration cal, List<Request> sizes, int replicas, double load,
            double cv, SplittableRandom rng) {
        double rate = load * replicas;
        double duration = Math.max(300, REQUESTS_PER_POINT / rate);
        double warmup = duration / 10;
        List<FleetSimulator.Pod> pods = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            pods.add(new FleetSimulator.Pod("p" + i, 0, new ReplicaModel(cal), 0));
        }
        Deque<Request> unrouted = new ArrayDeque<>();
        List<Double> ttfts = new ArrayList<>();
        List<ReplicaModel.Served> first = new ArrayList<>();
        double next = Arrivals.gap(rng, rate, cv);
        double waiting = 0;
        double running = 0;
        double busyAtWarmup = 0;
        int samples = 0;
        for (double t = 0; t < duration; t += 1) {
            while (next < t + 1) {
                Request s = sizes.get(rng.nextInt(sizes.size()));
                unrouted.addLast(new Request(next, s.promptTokens(), s.outputTokens()));
                next += Arrivals.gap(rng, rate, cv);
            }
            FleetSimulator.route(pods, unrouted, t);
            first.clear();
            for (FleetSimulator.Pod p : pods) {
                p.model.step(t, 1, first);
            }
            if (t < warmup) {
                continue;
            }
            if (t < warmup + 1) {
                busyAtWarmup = pods.stream().mapToDouble(p -> p.model.busySeconds()).sum();
            }
            first.forEach(s -> ttfts.add(s.ttftSeconds()));
            for (FleetSimulator.Pod p : pods) {
                waiting += p.model.waiting();
                running += p.model.running();
            }
            samples += replicas;
        }
        double busy = (pods.stream().mapToDouble(p -> p.model.busySeconds()).sum() - busyAtWarmup)
                / (replicas * (duration - Math.ceil(warmup) - 1));
        // Drain: arrivals stop; seconds until the first replica holds nothing (a deleted pod's life).
        double drain = 0;
        FleetSimulator.Pod p0 = pods.get(0);
        while (p0.load() > 0 && drain < 3600) {
            p0.model.step(duration + drain, 1, null);
            drain += 1;
        }
        double[] sorted = ttfts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] q = new double[QUANTILES];
        for (int j = 0; j < QUANTILES; j++) {
            q[j] = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) ((j + 0.5) / QUANTILES
                    * sorted.length))];
        }
        return new Point(load, q, waiting / samples, running / samples, Math.min(1, busy), drain);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "saturation %.2f req/s%n",
                saturation));
        for (Point p : points) {
            s.append(String.format(java.util.Locale.ROOT, "load %6.2f  p50 %.3f p95 %.3f p99 %.3f  waiting %.1f "
                    + "running %.1f busy %.2f drain %.0f s%n", p.load(), p.ttftQuantiles()[QUANTILES / 2],
                    p.ttftQuantiles()[(int) (0.95 * QUANTILES)], p.ttftQuantiles()[(int) (0.99 * QUANTILES)],
                    p.waiting(), p.running(), p.busy(), p.drainSeconds()));
        }
        return s.toString();
    }
}
