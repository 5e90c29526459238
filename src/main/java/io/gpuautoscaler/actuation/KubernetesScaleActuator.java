package io.gpuautoscaler.actuation;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.policy.WorkloadKey;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Deployments we manage, from an informer (no GET per variant and tick), scaled through {@code /scale}.
 * Only a Deployment with our managed-by label, the variant's labels and the active mark is ever scaled.
 */
public class KubernetesScaleActuator implements ScaleActuator, AutoCloseable {

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> informer;

    public KubernetesScaleActuator(KubernetesClient client) {
        this.client = client;
        this.informer = client.apps().deployments().inAnyNamespace()
                .withLabel(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER).inform();
    }

    private volatile Map<WorkloadKey, Deployment> active = Map.of();

    @Override
    public void refresh() {
        Map<WorkloadKey, Deployment> index = new HashMap<>();
        for (Deployment d : informer.getStore().list()) {
            Map<String, String> labels = d.getMetadata().getLabels();
            if (labels != null && WorkloadLabels.MANAGER.equals(labels.get(WorkloadLabels.MANAGED_BY))
                    && "true".equals(labels.get(WorkloadLabels.ACTIVE)) && labels.get(WorkloadLabels.MODEL) != null
                    && labels.get(WorkloadLabels.VARIANT) != null) {
                index.put(new WorkloadKey(d.getMetadata().getNamespace(), labels.get(WorkloadLabels.MODEL),
                        labels.get(WorkloadLabels.VARIANT)), d);
            }
        }
        active = index;
    }

    @Override
    public OptionalInt replicas(WorkloadKey workload) {
        Deployment d = active.get(workload);
        if (d == null) {
            return OptionalInt.empty();
        }
        Integer r = d.getSpec() == null ? null : d.getSpec().getReplicas();
        return OptionalInt.of(r == null ? 1 : r);
    }

    @Override
    public void scale(WorkloadKey workload, int replicas) {
        Deployment d = active.get(workload);
        if (d == null) {
            throw new IllegalStateException("no active Deployment of " + workload);
        }
        client.apps().deployments().inNamespace(workload.namespace()).withName(d.getMetadata().getName())
                .scale(replicas);
    }

    @Override
    public void close() {
        informer.close();
    }
}
