package io.gpuautoscaler.adapter;

import io.gpuautoscaler.adapter.keda.ExternalScaler;
import io.gpuautoscaler.adapter.keda.GetMetricSpecResponse;
import io.gpuautoscaler.adapter.keda.GetMetricsRequest;
import io.gpuautoscaler.adapter.keda.GetMetricsResponse;
import io.gpuautoscaler.adapter.keda.IsActiveResponse;
import io.gpuautoscaler.adapter.keda.MetricSpec;
import io.gpuautoscaler.adapter.keda.MetricValue;
import io.gpuautoscaler.adapter.keda.ScaledObjectRef;
import io.gpuautoscaler.loop.DecisionStore;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.WorkloadKey;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * KEDA's external-scaler contract over the same decisions, for clusters where KEDA (or prometheus-adapter)
 * owns {@code v1beta1.external.metrics.k8s.io}. ScaledObject metadata: {@code model} (required),
 * {@code variant} (required when the model has several), {@code namespace} (default: the ScaledObject's),
 * {@code metric} (default {@code gpu_autoscaler_desired_replicas}). The metric is meant for
 * {@code metricType: AverageValue} with target 1: desired replicas in, desired replicas out.
 */
@GrpcService
public class KedaExternalScaler implements ExternalScaler {

    @Inject
    DecisionStore decisions;

    /** What a ScaledObject refers to. */
    record Selection(Decision decision, PublishedMetric metric, String metricName) {
        OptionalDouble value() {
            return metric.valueOf(decision);
        }
    }

    @Override
    public Uni<IsActiveResponse> isActive(ScaledObjectRef request) {
        return Uni.createFrom().item(() -> IsActiveResponse.newBuilder().setResult(active(select(request))).build());
    }

    @Override
    public Multi<IsActiveResponse> streamIsActive(ScaledObjectRef request) {
        select(request);
        return Multi.createFrom().ticks().every(Duration.ofSeconds(1))
                .map(t -> active(select(request)))
                .skip().repetitions()
                .map(a -> IsActiveResponse.newBuilder().setResult(a).build());
    }

    @Override
    public Uni<GetMetricSpecResponse> getMetricSpec(ScaledObjectRef request) {
        return Uni.createFrom().item(() -> {
            Selection s = select(request);
            return GetMetricSpecResponse.newBuilder().addMetricSpecs(MetricSpec.newBuilder()
                    .setMetricName(s.metricName()).setTargetSize(1).setTargetSizeFloat(1.0)).build();
        });
    }

    @Override
    public Uni<GetMetricsResponse> getMetrics(GetMetricsRequest request) {
        return Uni.createFrom().item(() -> {
            Selection s = select(request.getScaledObjectRef());
            OptionalDouble v = s.value();
            if (v.isEmpty()) {
                throw Status.UNAVAILABLE.withDescription(s.metricName() + " is unknown right now (signals missing)")
                        .asRuntimeException();
            }
            return GetMetricsResponse.newBuilder().addMetricValues(MetricValue.newBuilder()
                    .setMetricName(s.metricName()).setMetricValue(Math.round(v.getAsDouble()))
                    .setMetricValueFloat(v.getAsDouble())).build();
        });
    }

    private static boolean active(Selection s) {
        OptionalDouble v = s.value();
        // Unknown is not idle: a scaler that cannot see stays active.
        return v.isEmpty() || v.getAsDouble() > 0;
    }

    Selection select(ScaledObjectRef ref) {
        Map<String, String> meta = ref.getScalerMetadataMap();
        String model = meta.get("model");
        if (model == null || model.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("scalerMetadata.model is required").asRuntimeException();
        }
        String namespace = meta.getOrDefault("namespace", ref.getNamespace());
        String metricName = meta.getOrDefault("metric", PublishedMetric.DESIRED_REPLICAS.metricName());
        PublishedMetric metric = PublishedMetric.byName(metricName);
        if (metric == null) {
            throw Status.INVALID_ARGUMENT.withDescription("scalerMetadata.metric: unknown metric '" + metricName
                    + "'").asRuntimeException();
        }
        String variant = meta.get("variant");
        Decision d;
        if (variant == null || variant.isEmpty()) {
            List<Decision> all = decisions.latest().stream()
                    .filter(x -> x.workload().namespace().equals(namespace) && x.workload().model().equals(model))
                    .toList();
            if (all.size() != 1) {
                throw (all.isEmpty() ? Status.NOT_FOUND.withDescription("no model " + namespace + "/" + model)
                        : Status.INVALID_ARGUMENT.withDescription("model " + namespace + "/" + model + " has "
                                + all.size() + " variants: set scalerMetadata.variant")).asRuntimeException();
            }
            d = all.get(0);
        } else {
            d = decisions.latest(new WorkloadKey(namespace, model, variant)).orElseThrow(() -> Status.NOT_FOUND
                    .withDescription("no variant " + namespace + "/" + model + "/" + variant).asRuntimeException());
        }
        return new Selection(d, metric, metricName + "-" + d.workload().model() + "-" + d.workload().variant());
    }
}
