package io.gpuautoscaler.workload;

import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.VariantSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels of every object of a model's stack: what selects, what identifies, what proves it is ours. */
final class StackLabels {

    private StackLabels() {
    }

    /** Labels of the model's shared objects (Service, PDB, NetworkPolicy, ...). */
    static Map<String, String> model(ModelSpec m) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("app.kubernetes.io/name", "vllm");
        l.put("app.kubernetes.io/instance", m.name());
        l.put(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER);
        l.put(WorkloadLabels.MODEL, m.name());
        return l;
    }

    /** Labels of a variant's objects and pods. */
    static Map<String, String> variant(ModelSpec m, VariantSpec v) {
        Map<String, String> l = model(m);
        l.put(WorkloadLabels.VARIANT, v.name());
        l.put("gpu-autoscaler.io/capacity-type", v.capacityType().wire());
        return l;
    }

    /** What selects all pods of the model (the Service spans its variants). */
    static Map<String, String> modelSelector(ModelSpec m) {
        return Map.of("app.kubernetes.io/name", "vllm", WorkloadLabels.MODEL, m.name());
    }

    /** What selects the pods of one variant. */
    static Map<String, String> variantSelector(ModelSpec m, VariantSpec v) {
        return Map.of("app.kubernetes.io/name", "vllm", WorkloadLabels.MODEL, m.name(), WorkloadLabels.VARIANT,
                v.name());
    }
}
