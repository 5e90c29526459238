package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.gpuautoscaler.policy.ModelSpec;

/** The model's Service: ClusterIP, port 80 to vLLM's 8000, over the pods of all its variants. Pure. */
public final class ModelService {

    private ModelService() {
    }

    public static Service build(ModelSpec m) {
        return new ServiceBuilder().withNewMetadata().withName(m.name()).withNamespace(m.namespace())
                .withLabels(StackLabels.model(m)).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(StackLabels.modelSelector(m))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withProtocol("TCP")
                .endPort().endSpec().build();
    }
}
