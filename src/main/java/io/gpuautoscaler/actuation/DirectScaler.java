package io.gpuautoscaler.actuation;

import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * Applies decisions that are ours to apply, after each tick: every change of a {@code direct} model, and for
 * {@code hpa} models the moves to and from zero (an HPA cannot scale to zero, and does nothing while its
 * target is at zero: the same job KEDA's activation does). Failures are logged and counted; the next
 * tick tries again.
 */
public class DirectScaler {

    private static final Logger LOG = Logger.getLogger(DirectScaler.class);

    private final ScaleActuator actuator;
    private final MeterRegistry meters;

    public DirectScaler(ScaleActuator actuator, MeterRegistry meters) {
        this.actuator = actuator;
        this.meters = meters;
    }

    /** @return how many Deployments were scaled */
    public int apply(Policy policy, List<Decision> decisions) {
        Map<String, ModelSpec> models = new HashMap<>();
        for (ModelSpec m : policy.models()) {
            models.put(m.namespace() + "/" + m.name(), m);
        }
        int scaled = 0;
        actuator.refresh();
        for (Decision d : decisions) {
            ModelSpec model = models.get(d.workload().namespace() + "/" + d.workload().model());
            if (model == null) {
                continue;
            }
            OptionalInt current = actuator.replicas(d.workload());
            if (current.isEmpty()) {
                continue;
            }
            int target = target(model.actuation(), current.getAsInt(), d.desiredReplicas());
            if (target == current.getAsInt()) {
                continue;
            }
            try {
                actuator.scale(d.workload(), target);
                scaled++;
                meters.counter("gpu_autoscaler_scale_patches", "result", "applied").increment();
                LOG.infof("Scaled %s from %d to %d (%s)", d.workload(), current.getAsInt(), target,
                        d.reasons().isEmpty() ? "" : d.reasons().get(0).message());
            } catch (RuntimeException e) {
                meters.counter("gpu_autoscaler_scale_patches", "result", "failed").increment();
                LOG.warnf("Scaling %s to %d failed: %s", d.workload(), target, e.getMessage());
            }
        }
        return scaled;
    }

    /** The replicas to set: the decision in direct mode; in hpa mode only 0 and 1, leaving the rest to the HPA. */
    static int target(ModelSpec.Actuation actuation, int current, int desired) {
        if (actuation == ModelSpec.Actuation.DIRECT) {
            return desired;
        }
        if (desired == 0) {
            return 0;
        }
        return current == 0 ? 1 : current;
    }
}
