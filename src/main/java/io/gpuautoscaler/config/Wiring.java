package io.gpuautoscaler.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuautoscaler.actuation.DirectScaler;
import io.gpuautoscaler.actuation.KubernetesScaleActuator;
import io.gpuautoscaler.actuation.ScaleActuator;
import io.gpuautoscaler.inventory.FleetInventory;
import io.gpuautoscaler.loop.DecisionStore;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Picks the adapters for the mode: real cluster and Prometheus, or nothing outside (embedded). */
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
    MetricsSource metricsSource(RuntimeMode mode, PrometheusClients clients, MeterRegistry meters) {
        return mode.cluster() ? new PrometheusMetricsSource(clients, meters) : new EmbeddedMetricsSource();
    }

    @Produces
    @Singleton
    FleetInventory inventory(RuntimeMode mode, Instance<KubernetesClient> client) {
        return mode.cluster() ? new KubernetesFleetInventory(client.get()) : List::of;
    }

    @Produces
    @Singleton
    EventRecorder events(RuntimeMode mode, Instance<KubernetesClient> client, Clock clock) {
        return mode.cluster() ? new KubernetesEventRecorder(client.get(), clock) : new LogEventRecorder();
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
