package io.gpuautoscaler.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Arrivals from a rate curve: a Poisson process (or a Gamma renewal process for burstier traffic) inside each
 * window at the window's rate times {@code scale}, request sizes drawn from a request trace. A window with no
 * data takes the last known rate. Deterministic for a seed.
 */
public final class Arrivals {

    private Arrivals() {
    }

    /** Receives each arrival: its time and the request it copies the size of. */
    interface Sink {
        void arrival(double at, Request size);
    }

    /**
     * @param cv coefficient of variation of inter-arrival times: 1 is Poisson, above 1 is burstier (Gamma)
     */
    public static List<Request> fromRates(RateCurve curve, double scale, List<Request> sizes, long seed, double cv) {
        List<Request> out = new ArrayList<>();
        generate(curve, scale, sizes, seed, cv, (t, size) -> out.add(new Request(t, size.promptTokens(),
                size.outputTokens())));
        return out;
    }

    /** The arrivals of {@link #fromRates}, in order, without keeping them. */
    static void generate(RateCurve curve, double scale, List<Request> sizes, long seed, double cv, Sink sink) {
        if (sizes.isEmpty() || !(scale > 0) || !(cv > 0)) {
            throw new IllegalArgumentException("need request sizes, scale > 0 and burstiness (cv) > 0");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double known = Double.NaN;
        for (double r : curve.rates()) {
            if (!Double.isNaN(r)) {
                known = r;
                break;
            }
        }
        double t = 0;
        for (int w = 0; w < curve.rates().length; w++) {
            double rate = Double.isNaN(curve.rates()[w]) ? known : curve.rates()[w];
            known = rate;
            double end = (w + 1) * curve.windowSeconds();
            double lambda = rate * scale;
            t = Math.max(t, w * curve.windowSeconds());
            while (lambda > 0) {
                t += gap(rng, lambda, cv);
                if (t >= end) {
                    t = end;
                    break;
                }
                sink.arrival(t, sizes.get(rng.nextInt(sizes.size())));
            }
        }
    }

    /**
     * A request trace at {@code factor} times its rate, by superposition: the trace itself, plus
     * floor(factor) - 1 copies each shifted in time by its own random offset (wrapping around the trace's
     * duration), plus a thinned copy for the fraction. Copies keep the trace's burst structure without piling
     * duplicates on the same instant. Below 1, the trace is thinned. Sorted again.
     */
    public static List<Request> scale(List<Request> trace, double factor, long seed) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("scale must be > 0, got " + factor);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Request> out = new ArrayList<>((int) (trace.size() * factor) + 16);
        double duration = Math.max(1, trace.get(trace.size() - 1).arrivalSeconds());
        int whole = (int) Math.floor(factor);
        double frac = factor - whole;
        for (int copy = 0; copy <= whole; copy++) {
            double keep = copy < whole ? 1 : frac;
            if (keep <= 0) {
                break;
            }
            double offset = copy == 0 ? 0 : rng.nextDouble() * duration;
            for (Request r : trace) {
                if (keep < 1 && rng.nextDouble() >= keep) {
                    continue;
                }
                double t = (r.arrivalSeconds() + offset) % duration;
                out.add(new Request(t, r.promptTokens(), r.outputTokens()));
            }
        }
        out.sort(java.util.Comparator.comparingDouble(Request::arrivalSeconds));
        return out;
    }

    /** An inter-arrival time with mean 1/lambda and the given coefficient of variation. */
    static double gap(SplittableRandom rng, double lambda, double cv) {
        if (Math.abs(cv - 1) < 1e-9) {
            return -Math.log(1 - rng.nextDouble()) / lambda;
        }
        double shape = 1 / (cv * cv);
        return gamma(rng, shape) / (shape * lambda);
    }

    /** Marsaglia and Tsang's method; shape below 1 through the boost x U^(1/shape). */
    static double gamma(SplittableRandom rng, double shape) {
        if (shape < 1) {
            return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(rng);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double normal(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
