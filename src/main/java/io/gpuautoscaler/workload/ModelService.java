package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.policy.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model's Service: ClusterIP, port 80 to vLLM's 8000, over the pods of all its variants that run the
 * active revision (switching this selector is the blue-green switch). Pure.
 */
public final class ModelService {

    private ModelService() {
    }

    public static Service build(ModelSpec m, String activeRevision) {
        Map<String, String> selector = new LinkedHashMap<>(StackLabels.modelSelector(m));
        selector.put(WorkloadLabels.REVISION, activeRevision);
        return new ServiceBuilder().withNewMetadata().withName(m.name()).withNamespace(m.namespace())
                .withLabels(StackLabels.model(m)).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withProtocol("TCP")
                .endPort().endSpec().build();
    }
}
