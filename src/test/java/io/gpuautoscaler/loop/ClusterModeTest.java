package io.gpuautoscaler.loop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.testing.DcgmExporter;
import io.gpuautoscaler.testing.PrometheusServer;
import io.gpuautoscaler.testing.PrometheusServer.Job;
import io.gpuautoscaler.testing.PrometheusServer.Target;
import io.gpuautoscaler.testing.TextServer;
import io.gpuautoscaler.testing.VllmExporter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service in cluster mode: policy from a ConfigMap on the fabric8 mock server (watched, hot-reloaded,
 * bad edits rejected with an Event), pods from the informer, signals from a real Prometheus; decisions
 * served on /api/v1/decisions and /q/metrics.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ClusterModeTest.Cluster.class)
class ClusterModeTest {

    public static class Cluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gpu-autoscaler.mode", "cluster", "gpu-autoscaler.policy.config-map-namespace",
                    "gpu-autoscaler");
        }
    }

    static final String NS = "gpu-autoscaler";
    static List<TextServer> servers;
    static PrometheusServer prometheus;

    @KubernetesTestServer
    io.quarkus.test.kubernetes.client.KubernetesServer server;

    @BeforeAll
    static void startPrometheus() {
        VllmExporter a = new VllmExporter("llama");
        VllmExporter b = new VllmExporter("llama");
        b.requestsPerSecond = 8;
        TextServer sa = TextServer.prometheusText(a);
        TextServer sb = TextServer.prometheusText(b);
        TextServer dcgm = TextServer.prometheusText(new DcgmExporter("node-a", "llm").gpu("chat-h100-0", 99)
                .gpu("chat-h100-1", 98));
        servers = List.of(sa, sb, dcgm);
        prometheus = PrometheusServer.start(List.of(
                new Job("vllm", false, List.of(new Target(sa.port(), "llm", "chat-h100-0"),
                        new Target(sb.port(), "llm", "chat-h100-1"))),
                new Job("dcgm", true, List.of(new Target(dcgm.port(), "gpu-operator", "dcgm-a")))));
        prometheus.awaitSeries("count_over_time(vllm:num_requests_running[10s]) >= 10", 2, Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        servers.forEach(TextServer::close);
    }

    static String policy(String maxReplicas, String price) {
        return """
                loopInterval: 1s
                prometheus: {url: %s, rateWindow: 10s}
                models:
                  - name: chat
                    namespace: llm
                    modelId: meta-llama/Llama-3.1-8B-Instruct
                    maxReplicas: %s
                    capacity: {requestsPerSecond: 2}
                    variants:
                      - {name: h100, gpuType: H100, pricePerHour: %s}
                """.formatted(prometheus.url(), maxReplicas, price);
    }

    @Test
    void decidesFromPrometheusAndHotReloadsThePolicyConfigMap() {
        KubernetesClient k8s = server.getClient();
        given().when().get("/q/health/ready").then().statusCode(503);
        for (int i = 0; i < 2; i++) {
            k8s.pods().inNamespace("llm").resource(new PodBuilder().withNewMetadata().withName("chat-h100-" + i)
                    .withNamespace("llm").addToLabels(WorkloadLabels.MODEL, "chat")
                    .addToLabels(WorkloadLabels.VARIANT, "h100").endMetadata()
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                    .endCondition().endStatus().build()).create();
        }
        k8s.configMaps().inNamespace(NS).resource(configMap(policy("20", "12.29"))).create();

        // 13 req/s over 2 req/s per replica with 10% headroom wants 8; from 2 the step limit allows 6.
        await(() -> desired() == 6, "desired 6 from 2 ready pods");
        JsonPath d = decisions();
        assertEquals(2, d.getInt("[0].currentReplicas"));
        assertEquals(13.0, d.getDouble("[0].signals.request_rate"), 1.5);
        assertEquals(0.985, d.getDouble("[0].signals.gpu_utilization"), 1e-6);
        assertTrue(d.getList("[0].reasons.code").contains("SCALE_UP_LIMITED"), d.prettify());
        assertEquals(6 * 12.29, d.getDouble("[0].hourlyCost"), 1e-6);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("gpu_autoscaler_desired_replicas{model=\"chat\",namespace=\"llm\",variant=\"h100\"} 6.0"))
                .body(containsString("gpu_autoscaler_signal{model=\"chat\",namespace=\"llm\",signal=\"request_rate\",variant=\"h100\"}"))
                .body(containsString("gpu_autoscaler_tick_duration_seconds_count"))
                .body(containsString("gpu_autoscaler_decisions_total{reason=\"SCALE_UP_LIMITED\"}"));

        // A bad edit: rejected with an Event naming the field; the policy in force stays.
        k8s.configMaps().inNamespace(NS).resource(configMap(policy("20", "-3"))).update();
        await(() -> events("PolicyRejected").stream()
                .anyMatch(e -> e.getMessage().contains("models[0].variants[0].pricePerHour: must be > 0")),
                "PolicyRejected event");
        Event rejected = events("PolicyRejected").get(0);
        assertEquals("Warning", rejected.getType());
        assertEquals("ConfigMap", rejected.getInvolvedObject().getKind());
        assertEquals("gpu-autoscaler-policy", rejected.getInvolvedObject().getName());
        given().when().get("/api/v1/policy").then().statusCode(200)
                .body("lastRejection.problems", hasItem(containsString("pricePerHour: must be > 0")))
                .body("models", equalTo(1));
        given().when().get("/q/metrics").then()
                .body(containsString("gpu_autoscaler_policy_reloads_total{result=\"rejected\"} 1.0"));
        assertEquals(6, desired(), "the last good policy still decides");

        // A good edit takes effect on the next tick.
        k8s.configMaps().inNamespace(NS).resource(configMap(policy("3", "12.29"))).update();
        await(() -> desired() == 3, "maxReplicas 3 in force");
        assertTrue(decisions().getList("[0].reasons.code").contains("MAX_REPLICAS"));

        // A ConfigMap without the key is rejected too.
        k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("gpu-autoscaler-policy").withNamespace(NS).endMetadata().addToData("other", "x").build())
                .update();
        await(() -> events("PolicyRejected").stream().anyMatch(e -> e.getMessage().contains("has no key policy.yaml")),
                "missing key rejected");
        assertEquals(3, desired());
    }

    private static ConfigMap configMap(String yaml) {
        return new ConfigMapBuilder().withNewMetadata().withName("gpu-autoscaler-policy").withNamespace(NS)
                .endMetadata().addToData("policy.yaml", yaml).build();
    }

    private List<Event> events(String reason) {
        return server.getClient().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private static JsonPath decisions() {
        return given().when().get("/api/v1/decisions?namespace=llm&model=chat").then().statusCode(200).extract()
                .jsonPath();
    }

    private static int desired() {
        JsonPath d = decisions();
        return d.getList("$").isEmpty() ? -1 : d.getInt("[0].desiredReplicas");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for: " + what + "; decisions: " + decisions().prettify());
    }
}
