package io.gpuautoscaler.inventory;

import io.gpuautoscaler.policy.WorkloadKey;

/** Names of the objects a variant owns, shared by the deployer and the direct scaler. */
public final class WorkloadNames {

    private WorkloadNames() {
    }

    /** The variant's Deployment: {@code <model>-<variant>} (at most 52 characters, checked by the parser). */
    public static String deployment(WorkloadKey key) {
        return key.model() + "-" + key.variant();
    }
}
