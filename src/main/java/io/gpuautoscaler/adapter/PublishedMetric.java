package io.gpuautoscaler.adapter;

import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.Signal;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The metrics served through the external metrics API, one series per model variant. The HPA targets
 * {@link #DESIRED_REPLICAS} with {@code AverageValue: 1}; the signals are there for users who want to target
 * them directly. An unknown value is not served (the HPA then holds), never served as 0.
 */
public enum PublishedMetric {
    /** Replicas the policy wants for the variant. */
    DESIRED_REPLICAS("gpu_autoscaler_desired_replicas", d -> OptionalDouble.of(d.desiredReplicas())),
    /** Completed requests per second over the variant's ready pods. */
    REQUEST_RATE("gpu_autoscaler_request_rate", d -> d.signals().get(Signal.REQUEST_RATE)),
    /** Requests waiting in the variant's queues. */
    QUEUE_WAITING("gpu_autoscaler_queue_waiting", d -> d.signals().get(Signal.QUEUE_WAITING)),
    /** 95th percentile time to first token, seconds. */
    TTFT_P95_SECONDS("gpu_autoscaler_ttft_p95_seconds", d -> d.signals().ttftP95()),
    /** Mean KV-cache usage, 0..1. */
    KV_CACHE_USAGE("gpu_autoscaler_kv_cache_usage", d -> d.signals().get(Signal.KV_CACHE_USAGE));

    private final String metricName;
    private final Function<Decision, OptionalDouble> value;

    PublishedMetric(String metricName, Function<Decision, OptionalDouble> value) {
        this.metricName = metricName;
        this.value = value;
    }

    public String metricName() {
        return metricName;
    }

    public OptionalDouble valueOf(Decision d) {
        return value.apply(d);
    }

    public static PublishedMetric byName(String name) {
        for (PublishedMetric m : values()) {
            if (m.metricName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
