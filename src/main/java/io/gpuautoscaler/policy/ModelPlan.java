package io.gpuautoscaler.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** A model's allocation while a tick is being decided; only the budget step changes it. */
final class ModelPlan {

    final ModelSpec model;
    final Map<String, Integer> replicas;
    final Map<String, OptionalDouble> replicaPrices;
    final boolean held;
    final List<Reason> reasons;

    ModelPlan(ModelSpec model, Map<String, Integer> replicas, Map<String, OptionalDouble> replicaPrices, boolean held,
            List<Reason> reasons) {
        this.model = model;
        this.replicas = new LinkedHashMap<>(replicas);
        this.replicaPrices = replicaPrices;
        this.held = held;
        this.reasons = new ArrayList<>(reasons);
    }

    double cost() {
        double c = 0;
        for (Map.Entry<String, Integer> e : replicas.entrySet()) {
            c += e.getValue() * price(e.getKey());
        }
        return c;
    }

    /** Replica price, 0 when unknown (an unknown price cannot be budgeted). */
    double price(String variant) {
        return replicaPrices.getOrDefault(variant, OptionalDouble.empty()).orElse(0);
    }

    double units() {
        return VariantAllocator.units(model, replicas);
    }
}
