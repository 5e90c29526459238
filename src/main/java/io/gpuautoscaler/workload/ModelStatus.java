package io.gpuautoscaler.workload;

import java.time.Instant;
import java.util.List;

/**
 * What the last reconcile of a model did and found.
 *
 * @param namespace the model's namespace
 * @param model the model
 * @param applied each object as {@code Kind/name: CREATED|UPDATED|UNCHANGED}
 * @param pruned objects of this model deleted because the policy no longer wants them
 * @param readyReplicas ready replicas over all variants
 * @param replicas replicas the Deployments ask for over all variants
 * @param error why the model's stack could not be applied (the others proceed)
 * @param warnings problems that do not stop it (e.g. a referenced Secret is missing)
 * @param at when
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record ModelStatus(String namespace, String model, List<String> applied, List<String> pruned,
        int readyReplicas, int replicas, String error, List<String> warnings, Instant at) {

    public ModelStatus {
        applied = List.copyOf(applied);
        pruned = List.copyOf(pruned);
        warnings = List.copyOf(warnings);
    }
}
