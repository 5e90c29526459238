package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.policy.ModelSpec;
import java.util.List;
import java.util.Map;

/**
 * Prometheus operator ServiceMonitor for vLLM's {@code /metrics}: pods carry their namespace and pod name
 * (what the autoscaler joins on), and their model and variant labels. Pure.
 */
public final class ModelServiceMonitor {

    private ModelServiceMonitor() {
    }

    public static GenericKubernetesResource build(ModelSpec m) {
        return new GenericKubernetesResourceBuilder().withApiVersion("monitoring.coreos.com/v1")
                .withKind("ServiceMonitor").withNewMetadata().withName(m.name()).withNamespace(m.namespace())
                .withLabels(StackLabels.model(m)).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "selector", Map.of("matchLabels", StackLabels.model(m)),
                        "podTargetLabels", List.of(WorkloadLabels.MODEL, WorkloadLabels.VARIANT),
                        "endpoints", List.of(Map.of("port", "http", "path", "/metrics", "interval", "15s"))))
                .build();
    }
}
