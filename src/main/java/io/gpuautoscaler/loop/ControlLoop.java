package io.gpuautoscaler.loop;

import io.gpuautoscaler.actuation.DirectScaler;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.inventory.FleetInventory;
import io.gpuautoscaler.observability.AutoscalerMeters;
import io.gpuautoscaler.policy.Autoscaler;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.PolicyState;
import io.gpuautoscaler.signals.MetricsSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every loop interval (from the policy, so it hot-reloads): pods from the inventory, readings from the
 * metrics source, decisions from the pure policy core, into the decision store and the meters. A tick
 * that is still running when the next is due is skipped; a tick that fails leaves the last decisions. What the
 * policy learned is restored before the first tick and kept across restarts ({@link LearnedStateStore}).
 */
@ApplicationScoped
public class ControlLoop {

    private static final Logger LOG = Logger.getLogger(ControlLoop.class);

    @Inject
    PolicyStore policies;
    @Inject
    FleetInventory inventory;
    @Inject
    MetricsSource metrics;
    @Inject
    DecisionStore decisions;
    @Inject
    AutoscalerMeters meters;
    @Inject
    DirectScaler scaler;
    @Inject
    Clock clock;
    @Inject
    LearnedStateStore learned;

    private PolicyState state;
    private LearnedStateKeeper keeper;
    private volatile Instant nextTick = Instant.EPOCH;

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        Optional<PolicyStore.Loaded> loaded = policies.current();
        Instant now = clock.instant();
        if (loaded.isEmpty() || now.isBefore(nextTick)) {
            return;
        }
        nextTick = now.plus(loaded.get().policy().loopInterval());
        tick(loaded.get().policy(), now);
    }

    /** One tick at the given time; returns the outcome, or empty when the tick failed as a whole. */
    public synchronized Optional<Autoscaler.Outcome> tick(Policy policy, Instant now) {
        long start = System.nanoTime();
        try {
            if (state == null) {
                keeper = new LearnedStateKeeper(learned);
                state = keeper.restore();
            }
            List<PodInfo> pods = inventory.pods();
            FleetReadings readings = metrics.read(policy, now);
            Autoscaler.Outcome outcome = Autoscaler.decide(policy, pods, readings, state, now);
            state = outcome.next();
            long took = System.nanoTime() - start;
            decisions.record(outcome.decisions(), new DecisionStore.Tick(now, outcome.hourlyCost(), took));
            meters.recordTick(policy, outcome, took);
            scaler.apply(policy, outcome.decisions());
            keeper.keep(state, now);
            return Optional.of(outcome);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Tick at %s failed; the last decisions stay", now);
            meters.tickFailed();
            return Optional.empty();
        }
    }
}
