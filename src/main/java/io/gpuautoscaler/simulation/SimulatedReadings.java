package io.gpuautoscaler.simulation;

import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.PodKey;
import io.gpuautoscaler.policy.Signal;
import java.util.List;

/** Simulated scrapes turned into the readings the policy gets from Prometheus: rates over its window. */
final class SimulatedReadings {

    private SimulatedReadings() {
    }

    /** The pods of one model as the inventory lists them. */
    static void pods(ModelSpec model, List<String> variants, List<FleetSimulator.PodMetrics> podsNow,
            List<PodInfo> out) {
        for (FleetSimulator.PodMetrics p : podsNow) {
            out.add(new PodInfo(new PodKey(model.namespace(), p.name()), model.key().variant(variants.get(p.variant())),
                    p.ready()));
        }
    }

    /**
     * Adds the pods of one model and their signals.
     *
     * @param variants the model's variant names, indexed by {@link FleetSimulator.PodMetrics#variant()}
     * @param epochSecond wall-clock second of simulated time 0
     * @param now simulated seconds
     */
    static void add(ModelSpec model, List<String> variants, List<FleetSimulator.PodMetrics> podsNow,
            MetricHistory history, double window, long epochSecond, double now, FleetReadings.Builder b,
            List<PodInfo> pods) {
        double scrapedAt = now - (now % history.scrapeSeconds());
        pods(model, variants, podsNow, pods);
        for (FleetSimulator.PodMetrics p : podsNow) {
            PodKey key = new PodKey(model.namespace(), p.name());
            FleetSimulator.PodMetrics scraped = history.latest().get(p.name());
            if (scraped == null) {
                continue;
            }
            b.add(Signal.SAMPLE_TIMESTAMP, key, epochSecond + scrapedAt);
            b.add(Signal.QUEUE_WAITING, key, scraped.waiting());
            b.add(Signal.QUEUE_RUNNING, key, scraped.running());
            b.add(Signal.REQUEST_RATE, key, history.rate(p.name(), FleetSimulator.PodMetrics::requests, window));
            b.add(Signal.PROMPT_TOKEN_RATE, key, history.rate(p.name(), FleetSimulator.PodMetrics::promptTokens,
                    window));
            b.add(Signal.GENERATION_TOKEN_RATE, key, history.rate(p.name(), FleetSimulator.PodMetrics::outputTokens,
                    window));
            b.add(Signal.GPU_UTILIZATION, key, history.rate(p.name(), FleetSimulator.PodMetrics::busySeconds, 30));
            double[] buckets = history.bucketRates(p.name(), 2 * window);
            for (int i = 0; i < buckets.length; i++) {
                if (Double.isFinite(buckets[i])) {
                    b.ttftBucket(key, FleetSimulator.TTFT_BUCKETS[i], buckets[i]);
                }
            }
        }
    }
}
