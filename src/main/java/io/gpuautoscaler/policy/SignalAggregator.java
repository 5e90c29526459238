package io.gpuautoscaler.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            out.put(v.name(), variant(mine, readings, staleAfter));
        }
        return out;
    }

    static VariantSignals variant(List<PodInfo> pods, FleetReadings readings, Duration staleAfter) {
        List<PodKey> ready = new ArrayList<>();
        int pending = 0;
        for (PodInfo p : pods) {
            if (p.ready()) {
                ready.add(p.key());
            } else {
                pending++;
            }
        }
        Map<Signal, OptionalDouble> values = new EnumMap<>(Signal.class);
        List<String> notes = new ArrayList<>();
        if (ready.isEmpty()) {
            notes.add("no ready pod reports signals");
            return new VariantSignals(0, pending, values, OptionalDouble.empty(), notes);
        }
        FleetReadings.Readings stamps = readings.get(Signal.SAMPLE_TIMESTAMP);
        if (stamps.failed()) {
            notes.add("sample freshness unknown: " + stamps.error().get());
            return new VariantSignals(ready.size(), pending, values, OptionalDouble.empty(), notes);
        }
        double oldest = readings.at().getEpochSecond() + readings.at().getNano() / 1e9 - staleAfter.toMillis() / 1e3;
        List<PodKey> fresh = new ArrayList<>(ready.size());
        for (PodKey pod : ready) {
            Double ts = stamps.byPod().get(pod);
            if (ts != null && ts >= oldest) {
                fresh.add(pod);
            }
        }
        if (fresh.size() < ready.size()) {
            notes.add((ready.size() - fresh.size()) + " of " + ready.size() + " ready pods have no sample newer than "
                    + staleAfter.toSeconds() + "s");
        }
        for (Signal s : AGGREGATED) {
            values.put(s, aggregate(s, ready.size(), fresh, readings.get(s), notes));
        }
        return new VariantSignals(ready.size(), pending, values, ttftP95(fresh, ready.size(), readings, notes), notes);
    }

    private static OptionalDouble aggregate(Signal s, int readyCount, List<PodKey> fresh, FleetReadings.Readings r,
            List<String> notes) {
        if (r.failed()) {
            notes.add(s.id() + " unknown: " + r.error().get());
            return OptionalDouble.empty();
        }
        double sum = 0;
        int reporting = 0;
        for (PodKey pod : fresh) {
            Double v = r.byPod().get(pod);
            if (v != null && Double.isFinite(v)) {
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

    private static OptionalDouble ttftP95(List<PodKey> fresh, int readyCount, FleetReadings readings,
            List<String> notes) {
        if (readings.ttftError().isPresent()) {
            notes.add("ttft unknown: " + readings.ttftError().get());
            return OptionalDouble.empty();
        }
        Histogram merged = new Histogram();
        int reporting = 0;
        for (PodKey pod : fresh) {
            Histogram h = readings.ttft().get(pod);
            if (h != null && !h.isEmpty()) {
                merged.addAll(h);
                reporting++;
            }
        }
        if (reporting < MIN_COVERAGE * readyCount) {
            return OptionalDouble.empty();
        }
        return merged.quantile(0.95);
    }

    /**
     * Model totals: additive signals summed over variants, others weighted by ready replicas, TTFT p95 as
     * the worst variant. A variant with no pods contributes nothing; any variant with ready pods whose
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
        for (Map.Entry<String, VariantSignals> e : variants.entrySet()) {
            VariantSignals v = e.getValue();
            for (String n : v.notes()) {
                notes.add(e.getKey() + ": " + n);
            }
            if (v.ttftP95().isPresent() && (ttft.isEmpty() || v.ttftP95().getAsDouble() > ttft.getAsDouble())) {
                ttft = v.ttftP95();
            }
        }
        if (ready == 0) {
            notes.add("no ready replica: demand cannot be measured");
        }
        return new VariantSignals(ready, pending, totals, ttft, notes);
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
