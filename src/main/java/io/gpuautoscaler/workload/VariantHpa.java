package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.gpuautoscaler.adapter.PublishedMetric;
import io.gpuautoscaler.inventory.WorkloadNames;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.VariantSpec;

/**
 * The HPA of one variant, following our decision: External metric {@code gpu_autoscaler_desired_replicas}
 * for this model and variant with {@code AverageValue: 1}, and a behavior that does not damp it again (no
 * stabilisation window, rates that never bind before ours, zero tolerance). Pure.
 */
public final class VariantHpa {

    private VariantHpa() {
    }

    /** @param activeRevision the revision whose Deployment the HPA scales */
    public static HorizontalPodAutoscaler build(ModelSpec m, VariantSpec v, String activeRevision) {
        int max = v.maxReplicas().orElse((int) Math.ceil(m.maxReplicas() / v.capacityFactor()));
        return new HorizontalPodAutoscalerBuilder().withNewMetadata()
                .withName(WorkloadNames.variant(m.key().variant(v.name()))).withNamespace(m.namespace())
                .withLabels(StackLabels.variant(m, v)).endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                .withName(WorkloadNames.deployment(m.key().variant(v.name()), activeRevision)).endScaleTargetRef()
                // An HPA cannot go below one; zero is the direct scaler's (docs/external-metrics.md).
                .withMinReplicas(1).withMaxReplicas(Math.max(1, max))
                .addNewMetric().withType("External").withNewExternal()
                .withNewMetric().withName(PublishedMetric.DESIRED_REPLICAS.metricName()).withNewSelector()
                .addToMatchLabels("model", m.name()).addToMatchLabels("variant", v.name()).endSelector().endMetric()
                .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("1")).endTarget()
                .endExternal().endMetric()
                .withNewBehavior().withScaleUp(permissive(1000)).withScaleDown(permissive(100)).endBehavior()
                .endSpec().build();
    }

    private static HPAScalingRules permissive(int percent) {
        // tolerance (HPAConfigurableTolerance, beta in 1.34): 11 wanted against 10 running still moves.
        return new HPAScalingRulesBuilder().withStabilizationWindowSeconds(0).withSelectPolicy("Max")
                .withTolerance(new Quantity("0"))
                .addNewPolicy().withType("Percent").withValue(percent).withPeriodSeconds(15).endPolicy().build();
    }
}
