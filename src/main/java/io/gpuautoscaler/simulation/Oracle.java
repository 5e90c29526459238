package io.gpuautoscaler.simulation;

import java.util.Arrays;
import java.util.List;

/**
 * A proven lower bound on the GPU-hours with which the simulated replicas could serve every request within the
 * TTFT objective, knowing all arrivals in advance (and cold starts: they cost nothing here). It is a bound,
 * not an achievable schedule: it ignores queueing and assumes perfect packing, so real policies sit above it.
 *
 * <p>From the replica model ({@link ReplicaModel}): an iteration takes {@code itl(batch) + chunk / prefill},
 * decoding at most one token per running request. Hence
 * <ul>
 * <li>prefill: the prompt tokens of requests arriving in {@code [s, e - slo]} must be prefilled inside
 * {@code [s, e]}, at no more than {@code prefillTokensPerSecond} per replica: for disjoint windows, their
 * replica-seconds are at least those tokens over that rate;</li>
 * <li>decode: a generated token (all but the first, which prefill yields) costs a replica at least
 * {@code min over b of itl(b) / b} seconds, and prefill time comes on top: over the whole run, replica-seconds
 * are at least all prompt tokens over the prefill rate plus all decode tokens times that cost;</li>
 * <li>slots: a request holds one of {@code maxNumSeqs} slots at least from {@code arrival + slo} (its latest
 * admission) to {@code arrival + prompt / prefill + (output - 1) * itl(1)} (its earliest end), so at any
 * second the replicas are at least the slots certainly held over {@code maxNumSeqs}, rounded up.</li>
 * </ul>
 * The bound is the larger of (a) the sum over windows of max(prefill bound, slot bound) and (b) the global
 * prefill + decode bound.
 */
public final class Oracle {

    static final int WINDOW_SECONDS = 60;

    private Oracle() {
    }

    /** The bound, as a run's result: every request within the SLO, replicas per minute the window's bound. */
    public static FleetSimulator.Result lowerBound(List<Request> arrivals, ReplicaModel.Calibration cal,
            double sloSeconds, double pricePerReplicaHour) {
        double end = arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1).arrivalSeconds()
                + FleetSimulator.TAIL_SECONDS;
        int minutes = (int) Math.ceil(end / 60) + 1;
        int seconds = minutes * 60;
        double decodeSecondsPerToken = Double.MAX_VALUE;
        for (int b = 1; b <= cal.maxNumSeqs(); b++) {
            decodeSecondsPerToken = Math.min(decodeSecondsPerToken, cal.itl(b) / b);
        }
        double[] prefillTokens = new double[minutes];
        int[] slotDelta = new int[seconds + 1];
        double prompts = 0;
        double decodeTokens = 0;
        for (Request r : arrivals) {
            prompts += r.promptTokens();
            decodeTokens += Math.max(0, r.outputTokens() - 1);
            double a = r.arrivalSeconds();
            int w = (int) (a / WINDOW_SECONDS);
            if (a <= (w + 1) * WINDOW_SECONDS - sloSeconds) {
                prefillTokens[w] += r.promptTokens();
            }
            double heldFrom = a + sloSeconds;
            double heldTo = a + r.promptTokens() / cal.prefillTokensPerSecond()
                    + Math.max(0, r.outputTokens() - 1) * cal.itl(1);
            int from = (int) Math.ceil(heldFrom);
            int to = Math.min(seconds, (int) Math.floor(heldTo));
            if (to > from) {
                slotDelta[from]++;
                slotDelta[to]--;
            }
        }
        double[] perMinute = new double[minutes];
        int held = 0;
        double windowed = 0;
        for (int m = 0; m < minutes; m++) {
            double slotSeconds = 0;
            for (int s = m * 60; s < (m + 1) * 60; s++) {
                held += slotDelta[s];
                slotSeconds += Math.ceil((double) held / cal.maxNumSeqs());
            }
            double replicaSeconds = Math.max(prefillTokens[m] / cal.prefillTokensPerSecond(), slotSeconds);
            perMinute[m] = replicaSeconds / 60;
            windowed += replicaSeconds;
        }
        double global = prompts / cal.prefillTokensPerSecond() + decodeTokens * decodeSecondsPerToken;
        double gpuHours = Math.max(windowed, global) / 3600;
        return unsimulated(arrivals.size(), arrivals.size(), gpuHours, pricePerReplicaHour, 0, perMinute);
    }
    /**
     * The same bound for counts per step with mean request sizes, a bound on the expected GPU-hours: the
     * prefill and decode terms are linear in the sizes, and the slot term uses slot-seconds over the minute
     * (no rounding up per second) with the hold time of a mean request, which by convexity holds no longer
     * than the mean of the requests' holds.
     */
    public static FleetSimulator.Result lowerBound(FluidFleet.Load load, ReplicaModel.Calibration cal,
            double sloSeconds, double pricePerReplicaHour) {
        double end = load.durationSeconds() + FleetSimulator.TAIL_SECONDS;
        int minutes = (int) Math.ceil(end / 60) + 1;
        double decodeSecondsPerToken = Double.MAX_VALUE;
        for (int b = 1; b <= cal.maxNumSeqs(); b++) {
            decodeSecondsPerToken = Math.min(decodeSecondsPerToken, cal.itl(b) / b);
        }
        double hold = Math.max(0, load.meanPrompt() / cal.prefillTokensPerSecond()
                + Math.max(0, load.meanOutput() - 1) * cal.itl(1) - sloSeconds);
        double[] prefillTokens = new double[minutes];
        double[] slotSeconds = new double[minutes];
        double dt = load.stepSeconds();
        for (int k = 0; k < load.counts().length; k++) {
            double from = k * dt;
            int w = (int) (from / WINDOW_SECONDS);
            if (from + dt <= (w + 1) * WINDOW_SECONDS - sloSeconds) {
                prefillTokens[w] += load.counts()[k] * load.meanPrompt();
            }
            // Wherever in the step it arrived, a request holds its slot from (step end + slo) to (step start +
            // slo + hold): hold - dt seconds certainly, spread over the minutes they span.
            double heldFrom = from + dt + sloSeconds;
            double left = hold - dt;
            for (int m = (int) (heldFrom / 60); left > 0 && m < minutes; m++) {
                double in = Math.min(left, (m + 1) * 60 - Math.max(heldFrom, m * 60.0));
                slotSeconds[m] += load.counts()[k] * in;
                left -= in;
            }
        }
        double[] perMinute = new double[minutes];
        double windowed = 0;
        for (int m = 0; m < minutes; m++) {
            double replicaSeconds = Math.max(prefillTokens[m] / cal.prefillTokensPerSecond(),
                    slotSeconds[m] / cal.maxNumSeqs());
            perMinute[m] = replicaSeconds / 60;
            windowed += replicaSeconds;
        }
        long n = load.requests();
        double global = n * (load.meanPrompt() / cal.prefillTokensPerSecond()
                + Math.max(0, load.meanOutput() - 1) * decodeSecondsPerToken);
        double gpuHours = Math.max(windowed, global) / 3600;
        return unsimulated(n, n, gpuHours, pricePerReplicaHour, 0, perMinute);
    }

    /** An oracle's answer as a run's result: computed, not served, so every request served and no latency. */
    static FleetSimulator.Result unsimulated(long arrivals, long met, double gpuHours, double pricePerReplicaHour,
            int scaleEvents, double[] replicasPerMinute) {
        double[] noLatency = new double[replicasPerMinute.length];
        Arrays.fill(noLatency, Double.NaN);
        return new FleetSimulator.Result((int) arrivals, (int) arrivals, (int) met, Double.NaN, Double.NaN, Double.NaN,
                gpuHours, gpuHours * pricePerReplicaHour, scaleEvents, replicasPerMinute, noLatency, 0);
    }
}
