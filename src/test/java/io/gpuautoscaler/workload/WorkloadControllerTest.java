package io.gpuautoscaler.workload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployer in the running service: policy ConfigMap in, stacks and /api/v1/models out, Events for failures. */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WorkloadControllerTest.Cluster.class)
class WorkloadControllerTest {

    public static class Cluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gpu-autoscaler.mode", "cluster", "gpu-autoscaler.policy.config-map-namespace",
                    "gpu-autoscaler", "gpu-autoscaler.external-metrics.enabled", "false");
        }
    }

    @KubernetesTestServer
    KubernetesServer k8s;
    @Inject
    WorkloadController controller;

    @Test
    void deploysTheModelsOfThePolicyAndReportsTheOneThatCannotBe() throws Exception {
        var client = k8s.getClient();
        controller.use(new WorkloadReconciler(client, new ReplacingApplier(client)));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("llm").endMetadata().build())
                .create();
        client.configMaps().inNamespace("gpu-autoscaler").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("gpu-autoscaler-policy").withNamespace("gpu-autoscaler").endMetadata()
                .addToData("policy.yaml", """
                        prometheus: {url: http://127.0.0.1:1, timeout: 200ms}
                        workloads: {deploy: true}
                        models:
                          - name: chat
                            namespace: llm
                            modelId: meta-llama/Llama-3.1-8B-Instruct
                            variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]
                          - name: lost
                            namespace: missing
                            modelId: x/y
                            variants: [{name: l4, gpuType: L4, pricePerHour: 0.8}]
                        """).build()).create();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (controller.statuses().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        given().when().get("/api/v1/models").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.model == 'chat' }.applied", hasItem(startsWith("Deployment/chat-h100-")))
                .body("find { it.model == 'chat' }.replicas", equalTo(1))
                .body("find { it.model == 'lost' }.error", containsString("namespace missing does not exist"));
        assertEquals(1, client.apps().deployments().inNamespace("llm").withLabel("gpu-autoscaler.io/model", "chat")
                .list().getItems().size());
        while (client.v1().events().inNamespace("gpu-autoscaler").list().getItems().stream()
                .noneMatch(e -> "ModelNotDeployed".equals(e.getReason())) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(client.v1().events().inNamespace("gpu-autoscaler").list().getItems().stream()
                .anyMatch(e -> "ModelNotDeployed".equals(e.getReason()) && e.getMessage().contains("missing/lost")));
    }
}
