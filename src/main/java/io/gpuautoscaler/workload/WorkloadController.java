package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.config.RuntimeMode;
import io.gpuautoscaler.loop.DecisionStore;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.ModelKey;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reconciles the models' stacks on every policy change and at least every minute (drift), in cluster mode
 * with {@code workloads.deploy: true}.
 */
@ApplicationScoped
public class WorkloadController {

    private static final Logger LOG = Logger.getLogger(WorkloadController.class);
    static final Duration RESYNC = Duration.ofMinutes(1);

    @Inject
    PolicyStore policies;
    @Inject
    DecisionStore decisions;
    @Inject
    RuntimeMode mode;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    Clock clock;
    @Inject
    io.gpuautoscaler.observability.EventRecorder events;

    private volatile Map<ModelKey, ModelStatus> statuses = Map.of();
    private volatile Instant reconciledPolicy = Instant.EPOCH;
    private volatile Instant nextResync = Instant.EPOCH;
    private WorkloadReconciler reconciler;

    @Scheduled(every = "5s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        Optional<PolicyStore.Loaded> loaded = policies.current();
        if (!mode.cluster() || loaded.isEmpty() || !loaded.get().policy().workloads().deploy()) {
            return;
        }
        Instant now = clock.instant();
        if (loaded.get().loadedAt().equals(reconciledPolicy) && now.isBefore(nextResync)) {
            return;
        }
        reconcile(loaded.get(), now);
    }

    synchronized void reconcile(PolicyStore.Loaded loaded, Instant now) {
        if (reconciler == null) {
            reconciler = new WorkloadReconciler(client.get(), new ServerSideApplier(client.get()));
        }
        try {
            Map<ModelKey, ModelStatus> result = reconciler.reconcile(loaded.policy(),
                    key -> decisions.latest(key).map(Decision::desiredReplicas), now);
            boolean policyChanged = !loaded.loadedAt().equals(reconciledPolicy);
            for (ModelStatus s : result.values()) {
                ModelStatus before = statuses.get(new ModelKey(s.namespace(), s.model()));
                boolean newError = s.error() != null && (policyChanged || before == null
                        || !s.error().equals(before.error()));
                if (newError) {
                    loaded.configMap().ifPresent(cm -> events.modelNotDeployed(cm, s.namespace() + "/" + s.model(),
                            s.error()));
                }
            }
            statuses = result;
            reconciledPolicy = loaded.loadedAt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reconcile failed; retrying in %ds", RESYNC.toSeconds());
        }
        nextResync = now.plus(RESYNC);
    }

    /** Uses another applier (tests on an API server without server-side apply). */
    synchronized void use(WorkloadReconciler r) {
        this.reconciler = r;
    }

    public Map<ModelKey, ModelStatus> statuses() {
        return statuses;
    }
}
