package io.gpuautoscaler.config;

import io.gpuautoscaler.observability.EventRecorder;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.signals.MetricsSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jboss.logging.Logger;

/**
 * Turns policy text into the policy in force: parse, validate, check each price query against the metrics
 * source. A rejected policy is logged, counted, reported as an Event on its ConfigMap, and the last good
 * policy stays in force.
 */
@ApplicationScoped
public class PolicyLoader {

    private static final Logger LOG = Logger.getLogger(PolicyLoader.class);

    @Inject
    PolicyStore store;
    @Inject
    MetricsSource metrics;
    @Inject
    EventRecorder events;
    @Inject
    MeterRegistry meters;
    @Inject
    Clock clock;

    /** @return true when the policy is now in force */
    public synchronized boolean load(String yaml, PolicyOrigin origin) {
        Policy policy;
        try {
            policy = PolicyParser.parse(yaml);
            List<String> priceProblems = checkPrices(policy);
            if (!priceProblems.isEmpty()) {
                throw new InvalidPolicyException(priceProblems);
            }
        } catch (InvalidPolicyException e) {
            reject(origin, e.problems());
            return false;
        }
        store.accept(new PolicyStore.Loaded(policy, origin.description(), clock.instant(), origin.configMap()));
        meters.counter("gpu_autoscaler_policy_reloads", "result", "accepted").increment();
        LOG.infof("Policy from %s in force: %d models, %d variants", origin.description(), policy.models().size(),
                policy.models().stream().mapToInt(m -> m.variants().size()).sum());
        origin.configMap().ifPresent(cm -> events.policyAccepted(cm, policy.models().size()));
        return true;
    }

    /** Rejects a policy that could not even be read (e.g. the ConfigMap lacks the key). */
    public synchronized void reject(PolicyOrigin origin, List<String> problems) {
        store.reject(new PolicyStore.Rejection(origin.description(), clock.instant(), problems));
        meters.counter("gpu_autoscaler_policy_reloads", "result", "rejected").increment();
        String kept = store.current().map(l -> "the policy from " + l.origin() + " stays in force")
                .orElse("no policy is in force yet");
        LOG.errorf("Policy from %s rejected, %s: %s", origin.description(), kept, String.join("; ", problems));
        origin.configMap().ifPresent(cm -> events.policyRejected(cm, problems));
    }

    /** A price query that answers nothing is an error; an unreachable Prometheus is only a warning. */
    private List<String> checkPrices(Policy policy) {
        List<String> problems = new ArrayList<>();
        if (policy.priceQueries().isEmpty()) {
            return problems;
        }
        Map<String, OptionalDouble> answers;
        try {
            answers = metrics.probePrices(policy);
        } catch (MetricsSource.MetricsUnavailableException e) {
            LOG.warnf("Price queries not checked, Prometheus unavailable: %s", e.getMessage());
            return problems;
        }
        for (int m = 0; m < policy.models().size(); m++) {
            ModelSpec model = policy.models().get(m);
            for (int v = 0; v < model.variants().size(); v++) {
                VariantSpec variant = model.variants().get(v);
                if (variant.priceQuery().isPresent()
                        && answers.getOrDefault(variant.priceQuery().get(), OptionalDouble.empty()).isEmpty()) {
                    problems.add("models[" + m + "].variants[" + v + "].priceQuery: returned no value ("
                            + variant.priceQuery().get() + ")");
                }
            }
        }
        return problems;
    }
}
