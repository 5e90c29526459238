package io.gpuautoscaler.observability;

import io.gpuautoscaler.config.PolicyOrigin;
import java.util.List;

/** Without a cluster there is nowhere to post Events; the loader's log lines say it all. */
public class LogEventRecorder implements EventRecorder {

    @Override
    public void policyRejected(PolicyOrigin.ConfigMapRef configMap, List<String> problems) {
        // logged by PolicyLoader
    }

    @Override
    public void modelNotDeployed(PolicyOrigin.ConfigMapRef configMap, String model, String error) {
        // logged by WorkloadReconciler
    }

    @Override
    public void policyAccepted(PolicyOrigin.ConfigMapRef configMap, int models) {
        // logged by PolicyLoader
    }
}
