package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/**
 * Server-side apply with our own field manager: we own exactly the fields we set, so fields we leave out
 * ({@code spec.replicas} after creation) stay with their owner (the HPA), and drift in ours is corrected.
 */
public final class ServerSideApplier implements ResourceApplier {

    public static final String FIELD_MANAGER = "gpu-autoscaler";

    private final KubernetesClient client;

    public ServerSideApplier(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Result apply(HasMetadata desired) {
        HasMetadata live = client.resource(desired).get();
        HasMetadata applied = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        if (live == null) {
            return Result.CREATED;
        }
        return Objects.equals(live.getMetadata().getResourceVersion(), applied.getMetadata().getResourceVersion())
                ? Result.UNCHANGED : Result.UPDATED;
    }
}
