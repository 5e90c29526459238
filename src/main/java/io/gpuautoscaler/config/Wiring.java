package io.gpuautoscaler.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuautoscaler.actuation.DirectScaler;
import io.gpuautoscaler.actuation.KubernetesScaleActuator;
import io.gpuautoscaler.actuation.ScaleActuator;
import io.gpuautoscaler.inventory.FleetInventory;
import io.gpuautoscaler.loop.DecisionStore;
import io.gpuautoscaler.loop.KubernetesLearnedStateStore;
import io.gpuautoscaler.loop.LearnedStateStore;
import io.gpuautoscaler.inventory.KubernetesFleetInventory;
import io.gpuautoscaler.observability.EventRecorder;
import io.gpuautoscaler.observability.KubernetesEventRecorder;
import io.gpuautoscaler.observability.LogEventRecorder;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.signals.MetricsSource;
import io.gpuautoscaler.signals.PrometheusClients;
import io.gpuautoscaler.signals.PrometheusMetricsSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import io.gpuautoscaler.simulation.LiveFleet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Picks the adapters for the mode: real cluster and Prometheus; or, embedded, a simulated fleet (or nothing).
 * A singleton, so that both ports of the simulated fleet get the same one.
 */
@Singleton
public class Wiring {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    DecisionStore decisionStore(AutoscalerConfig config) {
        return new DecisionStore(config.loop().historySize());
    }

    @Produces
    @Singleton
    PrometheusClients prometheusClients() {
        return new PrometheusClients();
    }

    void closeClients(@Disposes PrometheusClients clients) {
        clients.close();
    }

    @Produces
    @Singleton
    MetricsSource metricsSource(RuntimeMode mode, PrometheusClients clients, MeterRegistry meters,
            AutoscalerConfig config, DecisionStore decisions, Clock clock) {
        if (mode.cluster()) {
            return new PrometheusMetricsSource(clients, meters);
        }
        return config.embedded().simulate() ? liveFleet(config, decisions, clock) : new EmbeddedMetricsSource();
    }

    private LiveFleet live;

    /** Embedded mode's simulated fleet: the metrics source and the inventory at once. */
    private synchronized LiveFleet liveFleet(AutoscalerConfig config, DecisionStore decisions, Clock clock) {
        if (live == null) {
            AutoscalerConfig.Embedded e = config.embedded();
            live = new LiveFleet(clock, decisions::latest, e.day().toMillis() / 1000.0,
                    e.coldStartMin().toMillis() / 1000.0, e.coldStartMax().toMillis() / 1000.0);
        }
        return live;
    }

    @Produces
    @Singleton
    FleetInventory inventory(RuntimeMode mode, Instance<KubernetesClient> client, AutoscalerConfig config,
            DecisionStore decisions, Clock clock) {
        if (mode.cluster()) {
            return new KubernetesFleetInventory(client.get());
        }
        return config.embedded().simulate() ? liveFleet(config, decisions, clock) : List::of;
    }

    @Produces
    @Singleton
    EventRecorder events(RuntimeMode mode, Instance<KubernetesClient> client, Clock clock) {
        return mode.cluster() ? new KubernetesEventRecorder(client.get(), clock) : new LogEventRecorder();
    }

    @Produces
    @Singleton
    LearnedStateStore learnedState(RuntimeMode mode, Instance<KubernetesClient> client, AutoscalerConfig config) {
        if (!mode.cluster()) {
            return LearnedStateStore.NONE;
        }
        return new KubernetesLearnedStateStore(client.get(), PolicyWatcher.namespace(config, client.get()));
    }

    @Produces
    @Singleton
    DirectScaler directScaler(RuntimeMode mode, Instance<KubernetesClient> client, MeterRegistry meters) {
        return new DirectScaler(mode.cluster() ? new KubernetesScaleActuator(client.get()) : ScaleActuator.NONE, meters);
    }

    /** Embedded mode has no Prometheus: every signal is unknown, so decisions hold at their floor. */
    static final class EmbeddedMetricsSource implements MetricsSource {
        @Override
        public FleetReadings read(Policy policy, Instant now) {
            return FleetReadings.unavailable(now, "embedded mode: no metrics source");
        }

        @Override
        public Map<String, OptionalDouble> probePrices(Policy policy) throws MetricsUnavailableException {
            throw new MetricsUnavailableException("embedded mode: no metrics source", null);
        }
    }
}
