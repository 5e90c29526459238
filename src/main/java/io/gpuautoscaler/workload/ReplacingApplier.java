package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/**
 * Create, or replace with the live fields that are not ours carried over ({@code spec.replicas}, a Service's
 * cluster IP); a PVC, immutable, is only created. For API servers without server-side apply (the fabric8
 * mock server in tests).
 */
public final class ReplacingApplier implements ResourceApplier {

    private final KubernetesClient client;

    public ReplacingApplier(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Result apply(HasMetadata desired) {
        HasMetadata live = client.resource(desired).get();
        if (live == null) {
            client.resource(desired).create();
            return Result.CREATED;
        }
        if (desired instanceof PersistentVolumeClaim) {
            return Result.UNCHANGED;
        }
        HasMetadata next = Serialization.clone(desired);
        if (next instanceof Deployment d && live instanceof Deployment l) {
            d.getSpec().setReplicas(l.getSpec().getReplicas());
        }
        if (next instanceof Service s && live instanceof Service l) {
            s.getSpec().setClusterIP(l.getSpec().getClusterIP());
            s.getSpec().setClusterIPs(l.getSpec().getClusterIPs());
        }
        if (same(live, next)) {
            return Result.UNCHANGED;
        }
        next.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        client.resource(next).update();
        return Result.UPDATED;
    }

    /** Same labels, annotations and spec (what we own). */
    private static boolean same(HasMetadata live, HasMetadata desired) {
        return Objects.equals(live.getMetadata().getLabels(), desired.getMetadata().getLabels())
                && Objects.equals(live.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
                && Objects.equals(spec(live), spec(desired));
    }

    private static Object spec(HasMetadata o) {
        return Serialization.unmarshal(Serialization.asJson(o), java.util.Map.class).get("spec");
    }
}
