package io.gpuautoscaler.actuation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSignals;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.policy.WorkloadKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Direct scaling against the fabric8 mock server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class DirectScalerTest {

    static KubernetesClient client;

    KubernetesScaleActuator actuator;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static Policy policy(String actuation) throws Exception {
        return PolicyParser.parse("""
                models:
                  - name: chat
                    namespace: llm
                    modelId: m
                    minReplicas: 0
                    actuation: %s
                    scaleToZero: {idleAfter: 5m, activationQuery: 'sum(pending)'}
                    variants:
                      - {name: h100, gpuType: H100, pricePerHour: 10}
                      - {name: spot, gpuType: H100, capacityType: spot, pricePerHour: 4, maxShare: 0.5}
                """.formatted(actuation));
    }

    static Deployment deployment(String name, String variant, int replicas, boolean ours) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("llm")
                .addToLabels(WorkloadLabels.MODEL, "chat").addToLabels(WorkloadLabels.VARIANT, variant)
                .addToLabels(WorkloadLabels.MANAGED_BY, ours ? WorkloadLabels.MANAGER : "helm")
                .addToLabels(WorkloadLabels.ACTIVE, "true").endMetadata();
        return b.withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName("vllm").withImage("vllm/vllm-openai:v0.11.0").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    static Decision decision(String variant, int desired) {
        return new Decision(new WorkloadKey("llm", "chat", variant), "H100", VariantSpec.CapacityType.ON_DEMAND,
                desired, 0, 0, OptionalDouble.of(10), desired * 10.0, false,
                new VariantSignals(0, 0, Map.of(), OptionalDouble.empty(), List.of()), List.of(), Instant.now());
    }

    int replicas(String name) {
        return client.apps().deployments().inNamespace("llm").withName(name).get().getSpec().getReplicas();
    }

    @BeforeEach
    void setUp() {
        client.apps().deployments().inNamespace("llm").resource(deployment("chat-h100", "h100", 3, true)).create();
        actuator = new KubernetesScaleActuator(client);
    }

    @AfterEach
    void tearDown() {
        actuator.close();
        client.apps().deployments().inNamespace("llm").delete();
    }

    void awaitCached(String variant) throws InterruptedException {
        for (int i = 0; i < 100 && actuator.replicas(new WorkloadKey("llm", "chat", variant)).isEmpty(); i++) {
            Thread.sleep(50);
            actuator.refresh();
        }
    }

    @Test
    void directModePatchesScaleToTheDecision() throws Exception {
        awaitCached("h100");
        int scaled = new DirectScaler(actuator, meters).apply(policy("direct"), List.of(decision("h100", 7)));
        assertEquals(1, scaled);
        assertEquals(7, replicas("chat-h100"));
        assertEquals(1.0, meters.counter("gpu_autoscaler_scale_patches", "result", "applied").count());
    }

    @Test
    void hpaModeOnlyMovesToAndFromZero() throws Exception {
        awaitCached("h100");
        DirectScaler scaler = new DirectScaler(actuator, meters);
        assertEquals(0, scaler.apply(policy("hpa"), List.of(decision("h100", 7))), "the HPA owns 3 -> 7");
        assertEquals(3, replicas("chat-h100"));
        scaler.apply(policy("hpa"), List.of(decision("h100", 0)));
        assertEquals(0, replicas("chat-h100"));
        for (int i = 0; i < 100 && actuator.replicas(new WorkloadKey("llm", "chat", "h100")).getAsInt() != 0; i++) {
            Thread.sleep(50);
            actuator.refresh();
        }
        scaler.apply(policy("hpa"), List.of(decision("h100", 4)));
        assertEquals(1, replicas("chat-h100"), "activation to one; the HPA takes it from there");
    }

    @Test
    void neverTouchesADeploymentItDoesNotOwn() throws Exception {
        client.apps().deployments().inNamespace("llm").resource(deployment("chat-spot", "spot", 2, false)).create();
        Thread.sleep(300);
        assertEquals(0, new DirectScaler(actuator, meters).apply(policy("direct"), List.of(decision("spot", 9))));
        assertEquals(2, replicas("chat-spot"));
    }

    @Test
    void ignoresDecisionsOfModelsNoLongerInThePolicyAndMissingDeployments() throws Exception {
        awaitCached("h100");
        Decision gone = new Decision(new WorkloadKey("llm", "removed", "h100"), "H100",
                VariantSpec.CapacityType.ON_DEMAND, 5, 0, 0, OptionalDouble.empty(), 0, false,
                new VariantSignals(0, 0, Map.of(), OptionalDouble.empty(), List.of()), List.of(), Instant.now());
        assertEquals(0, new DirectScaler(actuator, meters).apply(policy("direct"), List.of(gone, decision("spot", 2))));
    }

    @ParameterizedTest(name = "{0}: {1} -> desired {2} sets {3}")
    @CsvSource({
        "DIRECT, 3, 7, 7",
        "DIRECT, 3, 0, 0",
        "DIRECT, 0, 2, 2",
        "HPA, 3, 7, 3",
        "HPA, 3, 1, 3",
        "HPA, 3, 0, 0",
        "HPA, 0, 5, 1",
        "HPA, 0, 0, 0",
    })
    void targetsTheRightReplicasPerMode(ModelSpec.Actuation mode, int current, int desired, int expected) {
        assertEquals(expected, DirectScaler.target(mode, current, desired));
    }
}
