package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuautoscaler.policy.ModelSpec;

/** The model's weight cache, shared by its replicas (ReadWriteMany), when {@code cache: pvc}. Pure. */
public final class ModelCachePvc {

    private ModelCachePvc() {
    }

    static String name(ModelSpec m) {
        return m.name() + "-cache";
    }

    public static PersistentVolumeClaim build(ModelSpec m) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name(m)).withNamespace(m.namespace())
                .withLabels(StackLabels.model(m)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany")
                .withStorageClassName(m.workload().storageClass().orElse(null))
                .withNewResources().addToRequests("storage", new Quantity(m.workload().cacheSize())).endResources()
                .endSpec().build();
    }
}
