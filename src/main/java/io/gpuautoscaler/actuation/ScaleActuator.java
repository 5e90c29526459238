package io.gpuautoscaler.actuation;

import io.gpuautoscaler.policy.WorkloadKey;
import java.util.OptionalInt;

/** Reads and sets the replicas of a variant's Deployment through its {@code /scale} subresource. */
public interface ScaleActuator {

    /** Takes a fresh view of the Deployments before a round of reads and scales. */
    default void refresh() {
    }

    /** {@code spec.replicas} of the variant's Deployment; empty when it does not exist or is not ours. */
    OptionalInt replicas(WorkloadKey workload);

    /** Sets the replicas through {@code /scale}. */
    void scale(WorkloadKey workload, int replicas);

    /** Nothing to scale (embedded mode). */
    ScaleActuator NONE = new ScaleActuator() {
        @Override
        public OptionalInt replicas(WorkloadKey workload) {
            return OptionalInt.empty();
        }

        @Override
        public void scale(WorkloadKey workload, int replicas) {
            throw new IllegalStateException("no cluster to scale " + workload + " in");
        }
    };
}
