package io.gpuautoscaler.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The whole policy ConfigMap ({@code policy.yaml}), parsed and validated. Immutable.
 *
 * @param loopInterval time between two control-loop ticks
 * @param prometheus where and how signals are read
 * @param budget hourly cost limits
 * @param workloads how the models' serving stacks are deployed
 * @param models the models under management, each with its variants
 */
public record Policy(Duration loopInterval, PrometheusSettings prometheus, Budget budget, Workloads workloads,
        List<ModelSpec> models) {

    public Policy {
        models = List.copyOf(models);
    }

    /** Distinct PromQL price queries of all variants, in a stable order. */
    public List<String> priceQueries() {
        TreeSet<String> queries = new TreeSet<>();
        for (ModelSpec m : models) {
            for (VariantSpec v : m.variants()) {
                v.priceQuery().ifPresent(queries::add);
            }
        }
        return List.copyOf(queries);
    }

    /** Distinct activation queries and price queries: the single-value queries a tick runs as one batch. */
    public List<String> scalarQueries() {
        TreeSet<String> queries = new TreeSet<>(priceQueries());
        for (ModelSpec m : models) {
            m.scaleToZero().flatMap(ModelSpec.ScaleToZero::activationQuery).ifPresent(queries::add);
        }
        return List.copyOf(queries);
    }

    /**
     * Hourly cost limits in $/h.
     *
     * @param hourly global limit over all models; empty means unlimited
     * @param perNamespace limits per namespace, applied before the global one
     */
    public record Budget(OptionalDouble hourly, Map<String, Double> perNamespace) {
        public Budget {
            perNamespace = Map.copyOf(perNamespace);
        }

        public static Budget unlimited() {
            return new Budget(OptionalDouble.empty(), Map.of());
        }
    }

    /**
     * How to reach Prometheus.
     *
     * @param url base URL, e.g. {@code http://prometheus.monitoring:9090}
     * @param bearerToken inline bearer token (prefer {@code bearerTokenFile})
     * @param bearerTokenFile file holding the bearer token, re-read on every policy load
     * @param basicAuth basic-auth credentials
     * @param caFile PEM bundle trusted for an HTTPS URL
     * @param timeout per-query timeout; a slower answer is an unknown signal
     * @param staleAfter a pod whose newest sample is older than this has unknown signals
     * @param rateWindow window of {@code rate()} over counters and histogram buckets
     */
    public record PrometheusSettings(
            String url,
            Optional<String> bearerToken,
            Optional<String> bearerTokenFile,
            Optional<BasicAuth> basicAuth,
            Optional<String> caFile,
            Duration timeout,
            Duration staleAfter,
            Duration rateWindow) {
    }

    /** Basic-auth credentials; the password inline or from a file. */
    public record BasicAuth(String username, Optional<String> password, Optional<String> passwordFile) {
    }
}
