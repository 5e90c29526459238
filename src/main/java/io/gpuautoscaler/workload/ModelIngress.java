package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.gpuautoscaler.policy.ModelSpec;
import java.util.Optional;

/** An Ingress to the model's Service, when the model names a host. Pure. */
public final class ModelIngress {

    private ModelIngress() {
    }

    public static Optional<Ingress> build(ModelSpec m) {
        return m.workload().ingressHost().map(host -> new IngressBuilder().withNewMetadata().withName(m.name())
                .withNamespace(m.namespace()).withLabels(StackLabels.model(m)).endMetadata()
                .withNewSpec().withIngressClassName(m.workload().ingressClass().orElse(null))
                .addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(m.name()).withNewPort().withName("http").endPort()
                .endService().endBackend().endPath().endHttp().endRule().endSpec().build());
    }
}
