package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.gpuautoscaler.policy.ModelSpec;

/** At most one replica of a model down at a time for voluntary disruptions (drains, upgrades). Pure. */
public final class ModelPdb {

    private ModelPdb() {
    }

    public static PodDisruptionBudget build(ModelSpec m) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(m.name()).withNamespace(m.namespace())
                .withLabels(StackLabels.model(m)).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(StackLabels.modelSelector(m)).endSelector()
                .withUnhealthyPodEvictionPolicy("AlwaysAllow").endSpec().build();
    }
}
