package io.gpuautoscaler.simulation;

import java.util.List;

/**
 * What a backtest's simulated fleet is made of (the {@code --fleet} file): the replica's calibration, the
 * cold start, the scrape interval. The HPA's 15 s sync is Kubernetes' default and fixed.
 *
 * @param replica the continuous-batching model of one replica
 * @param coldStartMinSeconds shortest time from a pod's creation to serving
 * @param coldStartMaxSeconds longest (uniform between)
 * @param scrapeSeconds Prometheus' scrape interval
 */
public record FleetSpec(ReplicaModel.Calibration replica, double coldStartMinSeconds, double coldStartMaxSeconds,
        double scrapeSeconds) {

    /** An 8B model on one H100 (DESIGN §7), 45–180 s cold starts, 15 s scrapes. */
    public static final FleetSpec DEFAULT = new FleetSpec(ReplicaModel.Calibration.h100(), 45, 180, 15);

    public FleetSpec {
        if (!(coldStartMinSeconds >= 0) || !(coldStartMaxSeconds >= coldStartMinSeconds) || !(scrapeSeconds > 0)) {
            throw new IllegalArgumentException("cold start " + coldStartMinSeconds + "-" + coldStartMaxSeconds
                    + " s, scrape " + scrapeSeconds + " s");
        }
    }

    /** A simulator configuration on one on-demand H100 variant, judged against a TTFT of {@code sloSeconds}. */
    public FleetSimulator.Config config(int initialReplicas, long seed, double sloSeconds) {
        return new FleetSimulator.Config(1, scrapeSeconds, 15, coldStartMinSeconds, coldStartMaxSeconds, sloSeconds,
                List.of(new FleetSimulator.Variant("h100", 12.29, false)), 0, initialReplicas, seed, 0);
    }
}
