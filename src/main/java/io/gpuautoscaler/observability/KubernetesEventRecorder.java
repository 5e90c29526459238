package io.gpuautoscaler.observability;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuautoscaler.config.PolicyOrigin;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/** core/v1 Events on the policy ConfigMap. A failure to record is logged, never fatal. */
public class KubernetesEventRecorder implements EventRecorder {

    private static final Logger LOG = Logger.getLogger(KubernetesEventRecorder.class);
    static final String COMPONENT = "gpu-autoscaler";

    private final KubernetesClient client;
    private final Clock clock;

    public KubernetesEventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public void policyRejected(PolicyOrigin.ConfigMapRef cm, List<String> problems) {
        record(cm, "Warning", "PolicyRejected", "Policy rejected, the previous one stays in force: "
                + String.join("; ", problems));
    }

    @Override
    public void policyAccepted(PolicyOrigin.ConfigMapRef cm, int models) {
        record(cm, "Normal", "PolicyLoaded", "Policy in force with " + models + " models");
    }

    @Override
    public void modelNotDeployed(PolicyOrigin.ConfigMapRef cm, String model, String error) {
        record(cm, "Warning", "ModelNotDeployed", "Model " + model + " skipped, the others were applied: " + error);
    }

    private void record(PolicyOrigin.ConfigMapRef cm, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        Event e = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(cm.name() + ".")
                .withNamespace(cm.namespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1").withKind("ConfigMap").withNamespace(cm.namespace()).withName(cm.name())
                .withUid(cm.uid()).withResourceVersion(cm.resourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason)
                .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(cm.namespace()).resource(e).create();
        } catch (KubernetesClientException ex) {
            LOG.warnf("Event %s on ConfigMap %s/%s not recorded: %s", reason, cm.namespace(), cm.name(),
                    ex.getMessage());
        }
    }
}
