package io.gpuautoscaler.inventory;

import io.gpuautoscaler.policy.WorkloadKey;

/** Names of the objects a variant owns, shared by the deployer and the direct scaler. */
public final class WorkloadNames {

    private WorkloadNames() {
    }

    /** The variant's HPA, and the stem of its Deployments: {@code <model>-<variant>} (at most 52 characters). */
    public static String variant(WorkloadKey key) {
        return key.model() + "-" + key.variant();
    }

    /**
     * The variant's Deployment of one revision: {@code <model>-<variant>-<revision hash>}. During a blue-green
     * rollout two exist; the one labelled {@link WorkloadLabels#ACTIVE} serves.
     */
    public static String deployment(WorkloadKey key, String revisionHash) {
        return variant(key) + "-" + revisionHash;
    }
}
