package io.gpuautoscaler.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Joins per-pod readings to the pods of each variant and aggregates them. Pure.
 *
 * <p>Rules: a failed query makes its signal unknown; a pod whose newest sample is older than
 * {@code staleAfter}, or whose value is NaN/infinite, does not report; if at least half the ready pods
 * report, additive values are extrapolated to all ready pods, otherwise the signal is unknown. With no
 * ready pod, nothing can be measured: every signal is unknown.
 */
public final class SignalAggregator {

    static final double MIN_COVERAGE = 0.5;
    private static final List<Signal> AGGREGATED = List.of(Signal.QUEUE_WAITING, Signal.QUEUE_RUNNING,
            Signal.REQUEST_RATE, Signal.PROMPT_TOKEN_RATE, Signal.GENERATION_TOKEN_RATE, Signal.KV_CACHE_USAGE,
            Signal.GPU_UTILIZATION);

    private SignalAggregator() {
    }

    /** Signals of every variant of the model, in the model's variant order. */
    public static Map<String, VariantSignals> perVariant(ModelSpec model, List<PodInfo> pods, FleetReadings readings,
            Duration staleAfter) {
        Map<String, VariantSignals> out = new LinkedHashMap<>();
        for (VariantSpec v : model.variants()) {
            List<PodInfo> mine = new ArrayList<>();
            for (PodInfo p : pods) {
                if (p.workload().variant().equals(v.name())) {
                    mine.add(p);
                }
            }
            out.put(v.name(), variant(mine, readings, staleAfter, model.slo().quantile()));
        }
        return out;
    }

    /** @param sloQuantile the quantile of TTFT the model's SLO is set at */
    static VariantSignals variant(List<PodInfo> pods, FleetReadings readings, Duration staleAfter,
            double sloQuantile) {
        int ready = 0;
        int pending = 0;
        for (PodInfo p : pods) {
            if (p.ready()) {
                ready++;
            } else {
                pending++;
            }
        }
        Map<Signal, OptionalDouble> values = new EnumMap<>(Signal.class);
        List<String> notes = new ArrayList<>();
        if (ready == 0) {
            notes.add("no ready pod reports signals");
            return new VariantSignals(0, pending, values, OptionalDouble.empty(), notes);
        }
        if (readings.failed(Signal.SAMPLE_TIMESTAMP)) {
            notes.add("sample freshness unknown: " + readings.error(Signal.SAMPLE_TIMESTAMP).get());
            return new VariantSignals(ready, pending, values, OptionalDouble.empty(), notes);
        }
        double oldest = readings.at().getEpochSecond() + readings.at().getNano() / 1e9 - staleAfter.toMillis() / 1e3;
        List<PodSample> fresh = new ArrayList<>(ready);
        for (PodInfo p : pods) {
            PodSample sample = p.ready() ? readings.pods().get(p.key()) : null;
            if (sample != null && sample.get(Signal.SAMPLE_TIMESTAMP) >= oldest) {
                fresh.add(sample);
            }
        }
        if (fresh.size() < ready) {
            notes.add((ready - fresh.size()) + " of " + ready + " ready pods have no sample newer than "
                    + staleAfter.toSeconds() + "s");
        }
        for (Signal s : AGGREGATED) {
            values.put(s, aggregate(s, ready, fresh, readings, notes));
        }
        Map<String, VariantSignals.AdapterActivity> adapters = new java.util.TreeMap<>();
        for (PodSample pod : fresh) {
            pod.runningAdapters().forEach(a -> adapters.merge(a, new VariantSignals.AdapterActivity(1, 0),
                    VariantSignals.AdapterActivity::plus));
            pod.waitingAdapters().forEach(a -> adapters.merge(a, new VariantSignals.AdapterActivity(0, 1),
                    VariantSignals.AdapterActivity::plus));
        }
        Optional<Histogram> ttft = ttft(fresh, ready, readings, notes);
        return new VariantSignals(ready, pending, values, quantile(ttft, 0.95), quantile(ttft, sloQuantile),
                notes, adapters);
    }

    private static OptionalDouble aggregate(Signal s, int readyCount, List<PodSample> fresh, FleetReadings r,
            List<String> notes) {
        if (r.failed(s)) {
            notes.add(s.id() + " unknown: " + r.error(s).get());
            return OptionalDouble.empty();
        }
        double sum = 0;
        int reporting = 0;
        for (PodSample pod : fresh) {
            double v = pod.get(s);
            if (Double.isFinite(v)) {
                sum += v;
                reporting++;
            }
        }
        if (reporting < MIN_COVERAGE * readyCount || reporting == 0) {
            notes.add(s.id() + " unknown: " + reporting + " of " + readyCount + " ready pods report");
            return OptionalDouble.empty();
        }
        if (!s.additive()) {
            return OptionalDouble.of(sum / reporting);
        }
        if (reporting < readyCount) {
            notes.add(s.id() + " extrapolated from " + reporting + " of " + readyCount + " ready pods");
            return OptionalDouble.of(sum * readyCount / reporting);
        }
        return OptionalDouble.of(sum);
    }

    private static OptionalDouble quantile(Optional<Histogram> h, double q) {
        return h.isPresent() ? h.get().quantile(q) : OptionalDouble.empty();
    }

    /** The TTFT buckets of the fresh pods merged; empty when unknown or too few pods report. */
    private static Optional<Histogram> ttft(List<PodSample> fresh, int readyCount, FleetReadings readings,
            List<String> notes) {
        if (readings.failed(Signal.TTFT_BUCKETS)) {
            notes.add("ttft unknown: " + readings.error(Signal.TTFT_BUCKETS).get());
            return Optional.empty();
        }
        Histogram merged = new Histogram();
        int reporting = 0;
        for (PodSample pod : fresh) {
            if (!pod.ttft().isEmpty()) {
                merged.addAll(pod.ttft());
                reporting++;
            }
        }
        if (reporting < MIN_COVERAGE * readyCount) {
            return Optional.empty();
        }
        return Optional.of(merged);
    }

    /**
     * Model totals: additive signals summed over variants, others weighted by ready replicas, TTFT (p95 and
     * at the SLO's percentile) as the worst variant. A variant with no pods contributes nothing; any variant with ready pods whose
     * signal is unknown makes the model's signal unknown.
     */
    public static VariantSignals model(Map<String, VariantSignals> variants) {
        int ready = 0;
        int pending = 0;
        List<String> notes = new ArrayList<>();
        for (VariantSignals v : variants.values()) {
            ready += v.readyReplicas();
            pending += v.pendingReplicas();
        }
        Map<Signal, OptionalDouble> totals = new EnumMap<>(Signal.class);
        for (Signal s : AGGREGATED) {
            totals.put(s, total(s, variants, ready));
        }
        OptionalDouble ttft = OptionalDouble.empty();
        OptionalDouble atSlo = OptionalDouble.empty();
        for (Map.Entry<String, VariantSignals> e : variants.entrySet()) {
            VariantSignals v = e.getValue();
            for (String n : v.notes()) {
                notes.add(e.getKey() + ": " + n);
            }
            ttft = worst(ttft, v.ttftP95());
            atSlo = worst(atSlo, v.ttftAtSlo());
        }
        if (ready == 0) {
            notes.add("no ready replica: demand cannot be measured");
        }
        Map<String, VariantSignals.AdapterActivity> adapters = new java.util.TreeMap<>();
        variants.values().forEach(v -> v.adapters().forEach((a, n) -> adapters.merge(a, n,
                VariantSignals.AdapterActivity::plus)));
        return new VariantSignals(ready, pending, totals, ttft, atSlo, notes, adapters);
    }

    private static OptionalDouble worst(OptionalDouble a, OptionalDouble b) {
        return b.isPresent() && (a.isEmpty() || b.getAsDouble() > a.getAsDouble()) ? b : a;
    }

    private static OptionalDouble total(Signal s, Map<String, VariantSignals> variants, int ready) {
        if (ready == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (VariantSignals v : variants.values()) {
            if (v.readyReplicas() == 0) {
                continue;
            }
            OptionalDouble x = v.get(s);
            if (x.isEmpty()) {
                return OptionalDouble.empty();
            }
            sum += s.additive() ? x.getAsDouble() : x.getAsDouble() * v.readyReplicas();
        }
        return OptionalDouble.of(s.additive() ? sum : sum / ready);
    }
}
