package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Makes one desired object true in the cluster. */
public interface ResourceApplier {

    /** What applying did. */
    enum Result { CREATED, UPDATED, UNCHANGED }

    Result apply(HasMetadata desired);
}
