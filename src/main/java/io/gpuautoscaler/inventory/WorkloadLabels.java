package io.gpuautoscaler.inventory;

/** Labels that tie a pod (and every object we create) to a model variant and to us. */
public final class WorkloadLabels {

    public static final String MODEL = "gpu-autoscaler.io/model";
    public static final String VARIANT = "gpu-autoscaler.io/variant";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "gpu-autoscaler";
    /** Hash of model id, model revision and image: pods of one revision. */
    public static final String REVISION = "gpu-autoscaler.io/revision";
    /** On a Deployment: "true" for the revision the Service sends traffic to. */
    public static final String ACTIVE = "gpu-autoscaler.io/active";

    private WorkloadLabels() {
    }
}
