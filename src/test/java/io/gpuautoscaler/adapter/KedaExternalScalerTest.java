package io.gpuautoscaler.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.adapter.keda.ExternalScalerGrpc;
import io.gpuautoscaler.adapter.keda.GetMetricSpecResponse;
import io.gpuautoscaler.adapter.keda.GetMetricsRequest;
import io.gpuautoscaler.adapter.keda.GetMetricsResponse;
import io.gpuautoscaler.adapter.keda.IsActiveResponse;
import io.gpuautoscaler.adapter.keda.ScaledObjectRef;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.loop.ControlLoop;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KEDA's external-scaler contract, called by a real gRPC client over HTTP/2 cleartext. */
@QuarkusTest
class KedaExternalScalerTest {

    @Inject
    ControlLoop loop;
    @Inject
    PolicyStore policies;

    ManagedChannel channel;
    ExternalScalerGrpc.ExternalScalerBlockingStub stub;

    @BeforeEach
    void connect() {
        loop.tick(policies.current().orElseThrow().policy(), Instant.now());
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        stub = ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static ScaledObjectRef ref(Map<String, String> metadata) {
        return ScaledObjectRef.newBuilder().setName("llama-h100-spot").setNamespace("llm")
                .putAllScalerMetadata(metadata).build();
    }

    @Test
    void servesTheSameDesiredReplicasAsTheExternalMetricsApi() {
        ScaledObjectRef ref = ref(Map.of("model", "llama-3-1-8b", "variant", "h100-spot"));
        GetMetricSpecResponse spec = stub.getMetricSpec(ref);
        assertEquals(1, spec.getMetricSpecsCount());
        assertEquals("gpu_autoscaler_desired_replicas-llama-3-1-8b-h100-spot", spec.getMetricSpecs(0).getMetricName());
        assertEquals(1.0, spec.getMetricSpecs(0).getTargetSizeFloat());
        GetMetricsResponse values = stub.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref)
                .setMetricName(spec.getMetricSpecs(0).getMetricName()).build());
        assertEquals(1, values.getMetricValues(0).getMetricValue());
        assertEquals(1.0, values.getMetricValues(0).getMetricValueFloat());
        assertTrue(stub.isActive(ref).getResult());
    }

    @Test
    void aVariantWithNoReplicasIsInactive() {
        assertEquals(false, stub.isActive(ref(Map.of("model", "llama-3-1-8b", "variant", "h100-od"))).getResult());
        Iterator<IsActiveResponse> stream = stub.streamIsActive(ref(Map.of("model", "llama-3-1-8b", "variant",
                "h100-od")));
        assertEquals(false, stream.next().getResult());
    }

    @Test
    void anUnknownSignalIsUnavailableNotZero() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.getMetrics(
                GetMetricsRequest.newBuilder().setScaledObjectRef(ref(Map.of("model", "llama-3-1-8b", "variant",
                        "h100-spot", "metric", "gpu_autoscaler_request_rate"))).build()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(stub.isActive(ref(Map.of("model", "llama-3-1-8b", "variant", "h100-spot", "metric",
                "gpu_autoscaler_request_rate"))).getResult(), "unknown is not idle");
    }

    @Test
    void badMetadataIsRejectedWithAClearStatus() {
        StatusRuntimeException noModel = assertThrows(StatusRuntimeException.class, () -> stub.isActive(ref(Map.of())));
        assertEquals(Status.Code.INVALID_ARGUMENT, noModel.getStatus().getCode());
        assertEquals("scalerMetadata.model is required", noModel.getStatus().getDescription());
        StatusRuntimeException several = assertThrows(StatusRuntimeException.class,
                () -> stub.getMetricSpec(ref(Map.of("model", "llama-3-1-8b"))));
        assertTrue(several.getStatus().getDescription().contains("has 3 variants"));
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> stub.getMetricSpec(ref(Map.of("model", "nope", "variant", "x"))));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        StatusRuntimeException metric = assertThrows(StatusRuntimeException.class,
                () -> stub.getMetricSpec(ref(Map.of("model", "llama-3-1-8b", "variant", "h100-od", "metric", "x"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, metric.getStatus().getCode());
    }
}
