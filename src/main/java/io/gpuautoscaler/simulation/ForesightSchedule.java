package io.gpuautoscaler.simulation;

import java.util.Arrays;

/**
 * A fleet schedule for a target SLO attainment chosen knowing every step's arrivals in advance: achievable in
 * the fluid model, so an upper bound on the exact oracle, as {@link Oracle} is a lower one.
 *
 * <p>Each step's ready replicas serve its arrivals as {@link FluidFleet} does with no backlog: a share
 * {@code within(slo)} of the replica profile at that load meets the SLO. The replicas per step minimise
 * {@code replicas * step + lambda * misses}, with {@code lambda} the smallest whose schedule reaches the
 * target: misses go where they save the most, and no cheaper choice of ready replicas misses as few. Pods then
 * follow the schedule level by level: a pod starts a cold start ahead of its level's need (billed from its
 * start: the foreseen mean cold start), stays through a gap no longer than a restart would cost, and is billed
 * while it drains after its release. Cold starts are added after the choice, not traded against misses. The
 * fleet at the first step is ready at no cost, as every policy starts warmed up; the last step's is billed
 * through {@link FleetSimulator#TAIL_SECONDS}, as every policy's is.
 */
public final class ForesightSchedule {

    /** Loads per replica tabulated for the profile's share within the SLO. */
    private static final int TABLE = 4096;
    /**
     * Replica-seconds spent at most to meet one more request (about 500 times what serving one costs at 8 req/s
     * per replica): a target beyond what this buys (requests too long for the SLO at any load, the last
     * decimals of a share reached only by near-idle replicas) is not chased.
     */
    static final double MAX_LAMBDA = 60;

    private ForesightSchedule() {
    }

    /**
     * @param target SLO attainment to reach (capped at what {@link #MAX_LAMBDA} buys)
     * @param coldStartSeconds a pod's foreseen cold start
     */
    public static FleetSimulator.Result of(FluidFleet.Load load, ReplicaProfile profile, double sloSeconds,
            double target, double coldStartSeconds, double pricePerReplicaHour) {
        double dt = load.stepSeconds();
        int[] counts = load.counts();
        double maxLoad = profile.maxLoad();
        double[] within = new double[TABLE + 1];
        double[] drain = new double[TABLE + 1];
        for (int j = 0; j <= TABLE; j++) {
            ReplicaProfile.Point p = profile.at(maxLoad * j / TABLE);
            within[j] = p.within(sloSeconds, 0);
            drain[j] = p.drainSeconds();
        }
        int maxCount = Arrays.stream(counts).max().orElse(0);
        // Per count: the misses at each fleet size from the fewest replicas that avoid a backlog up to those
        // below the profile's lightest point, where the share within the SLO no longer changes.
        int[] fewest = new int[maxCount + 1];
        double[][] misses = new double[maxCount + 1][];
        long[] frequency = new long[maxCount + 1];
        for (int c : counts) {
            frequency[c]++;
        }
        double lightest = profile.at(0).load();
        for (int c = 1; c <= maxCount; c++) {
            if (frequency[c] == 0) {
                continue;
            }
            fewest[c] = (int) Math.ceil(c / (maxLoad * dt) - 1e-9);
            int most = Math.max(fewest[c], (int) Math.ceil(c / (lightest * dt)));
            misses[c] = new double[most - fewest[c] + 1];
            for (int n = fewest[c]; n <= most; n++) {
                misses[c][n - fewest[c]] = c * (1 - share(within, c / (n * dt) / maxLoad));
            }
        }
        long total = load.requests();
        double needMisses = total * (1 - target);
        double lambda = lambda(needMisses, fewest, misses, frequency, dt);
        int[] replicas = new int[counts.length];
        double[] drains = new double[counts.length]; // a pod released after the step drains this long
        double met = 0;
        for (int k = 0; k < counts.length; k++) {
            int c = counts[k];
            if (c > 0) {
                int n = best(lambda, fewest[c], misses[c], dt);
                replicas[k] = n;
                drains[k] = share(drain, c / (n * dt) / maxLoad);
                met += c - misses[c][n - fewest[c]];
            }
        }
        return bill(load, replicas, drains, coldStartSeconds, pricePerReplicaHour, Math.round(met));
    }

    /** The smallest multiplier (to a relative 1e-6) whose schedule misses no more than {@code need}. */
    private static double lambda(double need, int[] fewest, double[][] misses, long[] frequency, double dt) {
        if (missesAt(0, fewest, misses, frequency, dt) <= need) {
            return 0;
        }
        if (missesAt(MAX_LAMBDA, fewest, misses, frequency, dt) > need) {
            return MAX_LAMBDA;
        }
        double lo = 0;
        double hi = MAX_LAMBDA;
        while (hi - lo > 1e-6 * hi) {
            double mid = (lo + hi) / 2;
            if (missesAt(mid, fewest, misses, frequency, dt) > need) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    private static double share(double[] table, double fraction) {
        double x = Math.min(1, fraction) * (table.length - 1);
        int i = Math.min(table.length - 2, (int) x);
        return table[i] + (x - i) * (table[i + 1] - table[i]);
    }

    /** Fewest replicas minimising {@code n * dt + lambda * misses(n)}. */
    private static int best(double lambda, int fewest, double[] misses, double dt) {
        int best = 0;
        double bestCost = Double.MAX_VALUE;
        for (int i = 0; i < misses.length; i++) {
            double cost = (fewest + i) * dt + lambda * misses[i];
            if (cost < bestCost - 1e-12) {
                best = i;
                bestCost = cost;
            }
        }
        return fewest + best;
    }

    private static double missesAt(double lambda, int[] fewest, double[][] misses, long[] frequency, double dt) {
        double sum = 0;
        for (int c = 1; c < frequency.length; c++) {
            if (frequency[c] > 0) {
                sum += frequency[c] * misses[c][best(lambda, fewest[c], misses[c], dt) - fewest[c]];
            }
        }
        return sum;
    }

    /** Pods following the schedule level by level, with their cold starts, kept-through gaps and drains. */
    private static FleetSimulator.Result bill(FluidFleet.Load load, int[] replicas, double[] drains,
            double coldStart, double price, long met) {
        double dt = load.stepSeconds();
        int levels = Arrays.stream(replicas).max().orElse(0);
        int[] coveredUntil = new int[levels + 1]; // step after a level's last ready step; -1: never ready yet
        double[] releaseDrain = new double[levels + 1];
        Arrays.fill(coveredUntil, -1);
        int minutes = (int) Math.ceil((load.durationSeconds() + FleetSimulator.TAIL_SECONDS) / 60) + 1;
        double[] perMinute = new double[minutes];
        double podSeconds = 0;
        int starts = 0;
        for (int k = 0; k < replicas.length; k++) {
            int n = replicas[k];
            for (int level = 1; level <= n; level++) {
                int until = coveredUntil[level];
                if (until < 0) {
                    podSeconds += k == 0 ? 0 : coldStart;
                    starts += k == 0 ? 0 : 1;
                } else if (until < k) {
                    double gap = (k - until) * dt;
                    if (gap <= coldStart + releaseDrain[level]) {
                        podSeconds += gap;
                    } else {
                        podSeconds += coldStart + releaseDrain[level];
                        starts++;
                    }
                }
                podSeconds += dt;
                coveredUntil[level] = k + 1;
                releaseDrain[level] = drains[k];
            }
            int m = (int) (k * dt / 60);
            perMinute[m] = Math.max(perMinute[m], n);
        }
        // As the simulated fleets are, the last step's fleet is billed through the tail; the others drain.
        int last = replicas.length == 0 ? 0 : replicas[replicas.length - 1];
        for (int level = 1; level <= levels; level++) {
            podSeconds += level <= last ? FleetSimulator.TAIL_SECONDS : releaseDrain[level];
        }
        for (int m = (int) (load.durationSeconds() / 60); m < minutes; m++) {
            perMinute[m] = Math.max(perMinute[m], last);
        }
        return Oracle.unsimulated(load.requests(), met, podSeconds / 3600, price, starts, perMinute);
    }
}
