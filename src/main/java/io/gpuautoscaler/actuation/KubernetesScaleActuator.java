package io.gpuautoscaler.actuation;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.inventory.WorkloadNames;
import io.gpuautoscaler.policy.WorkloadKey;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Deployments we manage, from an informer (no GET per variant and tick), scaled through {@code /scale}.
 * A Deployment is ours only if it carries our managed-by label and the variant's model and variant labels.
 */
public class KubernetesScaleActuator implements ScaleActuator, AutoCloseable {

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> informer;

    public KubernetesScaleActuator(KubernetesClient client) {
        this.client = client;
        this.informer = client.apps().deployments().inAnyNamespace()
                .withLabel(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER).inform();
    }

    @Override
    public OptionalInt replicas(WorkloadKey workload) {
        Deployment d = informer.getStore().getByKey(workload.namespace() + "/" + WorkloadNames.deployment(workload));
        if (d == null || !ours(d, workload)) {
            return OptionalInt.empty();
        }
        Integer r = d.getSpec() == null ? null : d.getSpec().getReplicas();
        return OptionalInt.of(r == null ? 1 : r);
    }

    static boolean ours(Deployment d, WorkloadKey workload) {
        Map<String, String> labels = d.getMetadata().getLabels();
        return labels != null && WorkloadLabels.MANAGER.equals(labels.get(WorkloadLabels.MANAGED_BY))
                && workload.model().equals(labels.get(WorkloadLabels.MODEL))
                && workload.variant().equals(labels.get(WorkloadLabels.VARIANT));
    }

    @Override
    public void scale(WorkloadKey workload, int replicas) {
        client.apps().deployments().inNamespace(workload.namespace()).withName(WorkloadNames.deployment(workload))
                .scale(replicas);
    }

    @Override
    public void close() {
        informer.close();
    }
}
