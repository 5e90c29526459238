package io.gpuautoscaler.observability;

import io.gpuautoscaler.config.PolicyOrigin;
import java.util.List;

/** Tells people about policy changes where they look: Kubernetes Events on the ConfigMap. */
public interface EventRecorder {

    void policyRejected(PolicyOrigin.ConfigMapRef configMap, List<String> problems);

    void policyAccepted(PolicyOrigin.ConfigMapRef configMap, int models);

    /** A model's stack could not be applied (the others were). */
    void modelNotDeployed(PolicyOrigin.ConfigMapRef configMap, String model, String error);
}
