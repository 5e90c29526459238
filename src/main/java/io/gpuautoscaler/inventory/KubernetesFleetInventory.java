package io.gpuautoscaler.inventory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.PodKey;
import io.gpuautoscaler.policy.WorkloadKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pods from a shared informer on every pod carrying our model label, in all namespaces. */
public class KubernetesFleetInventory implements FleetInventory, AutoCloseable {

    private final SharedIndexInformer<Pod> informer;

    public KubernetesFleetInventory(KubernetesClient client) {
        this.informer = client.pods().inAnyNamespace().withLabel(WorkloadLabels.MODEL).inform();
    }

    @Override
    public List<PodInfo> pods() {
        List<PodInfo> out = new ArrayList<>();
        for (Pod p : informer.getStore().list()) {
            PodInfo info = toInfo(p);
            if (info != null) {
                out.add(info);
            }
        }
        return out;
    }

    static PodInfo toInfo(Pod p) {
        Map<String, String> labels = p.getMetadata().getLabels();
        String model = labels == null ? null : labels.get(WorkloadLabels.MODEL);
        String variant = labels == null ? null : labels.get(WorkloadLabels.VARIANT);
        if (model == null || variant == null || p.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return null;
        }
        boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        String ns = p.getMetadata().getNamespace();
        return new PodInfo(new PodKey(ns, p.getMetadata().getName()), new WorkloadKey(ns, model, variant), ready);
    }

    @Override
    public void close() {
        informer.close();
    }
}
