package io.gpuautoscaler.api;

import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.Reason;
import io.gpuautoscaler.policy.Signal;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision as JSON. Unknown signals and prices are {@code null}, never 0.
 *
 * @param signals aggregated signals of the variant by id
 * @param loraAdapters per LoRA adapter, ready pods running and queueing its requests
 * @param notes why signals are unknown or extrapolated
 */
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {DecisionView.class, DecisionView.ReasonView.class,
    io.gpuautoscaler.policy.VariantSignals.AdapterActivity.class})
public record DecisionView(
        String namespace,
        String model,
        String variant,
        String gpuType,
        String capacityType,
        int desiredReplicas,
        int currentReplicas,
        int readyReplicas,
        Double pricePerHour,
        double hourlyCost,
        boolean held,
        Map<String, Double> signals,
        Map<String, io.gpuautoscaler.policy.VariantSignals.AdapterActivity> loraAdapters,
        List<String> notes,
        List<ReasonView> reasons,
        String timestamp) {

    /** One reason: its code, a sentence, and the numbers. */
    public record ReasonView(String code, String message, Map<String, Double> numbers) {
    }

    public static DecisionView of(Decision d) {
        Map<String, Double> signals = new LinkedHashMap<>();
        for (Signal s : List.of(Signal.REQUEST_RATE, Signal.PROMPT_TOKEN_RATE, Signal.GENERATION_TOKEN_RATE,
                Signal.QUEUE_WAITING, Signal.QUEUE_RUNNING, Signal.KV_CACHE_USAGE, Signal.GPU_UTILIZATION)) {
            signals.put(s.id(), d.signals().get(s).isPresent() ? d.signals().get(s).getAsDouble() : null);
        }
        signals.put("ttft_p95_seconds", d.signals().ttftP95().isPresent() ? d.signals().ttftP95().getAsDouble() : null);
        signals.put("ttft_at_slo_seconds", d.signals().ttftAtSlo().isPresent() ? d.signals().ttftAtSlo().getAsDouble()
                : null);
        return new DecisionView(d.workload().namespace(), d.workload().model(), d.workload().variant(), d.gpuType(),
                d.capacityType().wire(), d.desiredReplicas(), d.currentReplicas(), d.readyReplicas(),
                d.replicaPricePerHour().isPresent() ? d.replicaPricePerHour().getAsDouble() : null, d.hourlyCost(),
                d.held(), signals, d.signals().adapters(), d.signals().notes(), d.reasons().stream().map(DecisionView::reason).toList(),
                DateTimeFormatter.ISO_INSTANT.format(d.timestamp()));
    }

    static ReasonView reason(Reason r) {
        return new ReasonView(r.code().name(), r.message(), r.numbers());
    }
}
