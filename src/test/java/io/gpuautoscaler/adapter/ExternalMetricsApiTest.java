package io.gpuautoscaler.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.loop.ControlLoop;
import io.gpuautoscaler.testing.Kubectl;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubectl, a real client of the API, against the embedded service (no authentication, loopback only). */
@QuarkusTest
class ExternalMetricsApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1BETA1 = "/apis/external.metrics.k8s.io/v1beta1";

    @Inject
    ExternalMetricsServer server;
    @Inject
    ControlLoop loop;
    @Inject
    PolicyStore policies;

    Kubectl kubectl;

    @BeforeEach
    void setUp() {
        loop.tick(policies.current().orElseThrow().policy(), Instant.now());
        kubectl = Kubectl.at(server.port(), "any-token", null, null);
    }

    JsonNode get(String path) throws Exception {
        Kubectl.Result r = kubectl.raw(path);
        assertEquals(0, r.exitCode(), r.stderr());
        return JSON.readTree(r.stdout());
    }

    static String values(String ns, String metric, String selector) {
        return V1BETA1 + "/namespaces/" + ns + "/" + metric
                + (selector == null ? "" : "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    }

    @Test
    void discoveryListsThePublishedMetrics() throws Exception {
        JsonNode list = get(V1BETA1);
        assertEquals("APIResourceList", list.get("kind").asText());
        assertEquals("v1", list.get("apiVersion").asText());
        assertEquals("external.metrics.k8s.io/v1beta1", list.get("groupVersion").asText());
        List<String> names = new ArrayList<>();
        list.get("resources").forEach(r -> {
            names.add(r.get("name").asText());
            assertEquals("ExternalMetricValueList", r.get("kind").asText());
            assertTrue(r.get("namespaced").asBoolean());
            assertEquals("[\"get\"]", r.get("verbs").toString());
        });
        assertTrue(names.contains("gpu_autoscaler_desired_replicas"), names.toString());
        assertTrue(names.contains("gpu_autoscaler_ttft_p95_seconds"), names.toString());
    }

    @Test
    void groupAndVersionAnswerLikeAnApiServer() throws Exception {
        JsonNode group = get("/apis/external.metrics.k8s.io");
        assertEquals("APIGroup", group.get("kind").asText());
        assertEquals("external.metrics.k8s.io/v1beta1", group.at("/preferredVersion/groupVersion").asText());
        assertEquals("APIGroupList", get("/apis").get("kind").asText());
        Kubectl.Result version = kubectl.run("version", "-o", "json");
        assertTrue(version.stdout().contains("\"serverVersion\""), version.stdout() + version.stderr());
    }

    @Test
    void servesDesiredReplicasPerVariantWithExactFields() throws Exception {
        JsonNode list = get(values("llm", "gpu_autoscaler_desired_replicas", "model=llama-3-1-8b,variant=h100-spot"));
        assertEquals("ExternalMetricValueList", list.get("kind").asText());
        assertEquals("external.metrics.k8s.io/v1beta1", list.get("apiVersion").asText());
        assertEquals("{}", list.get("metadata").toString());
        assertEquals(1, list.get("items").size());
        JsonNode item = list.get("items").get(0);
        assertEquals("gpu_autoscaler_desired_replicas", item.get("metricName").asText());
        assertEquals("{\"capacity_type\":\"spot\",\"gpu_type\":\"H100\",\"model\":\"llama-3-1-8b\","
                + "\"variant\":\"h100-spot\"}", item.get("metricLabels").toString());
        // RFC 3339 in UTC, whole seconds (the scheduled loop may tick too: the exact instant is not ours to fix).
        assertTrue(item.get("timestamp").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"),
                item.get("timestamp").asText());
        assertEquals(15, item.get("window").asInt());
        assertEquals("1", item.get("value").asText());
    }

    @Test
    void selectorsSupportTheFullSyntax() throws Exception {
        assertEquals(3, get(values("llm", "gpu_autoscaler_desired_replicas", null)).get("items").size());
        assertEquals(2, get(values("llm", "gpu_autoscaler_desired_replicas", "variant!=h100-spot")).get("items")
                .size());
        assertEquals(2, get(values("llm", "gpu_autoscaler_desired_replicas", "variant in (h100-od, a100-od)"))
                .get("items").size());
        assertEquals(1, get(values("llm", "gpu_autoscaler_desired_replicas",
                "model==llama-3-1-8b,capacity_type notin (on-demand)")).get("items").size());
        assertEquals(3, get(values("llm", "gpu_autoscaler_desired_replicas", "model,!absent")).get("items").size());
        assertEquals(2, get(values("llm-batch", "gpu_autoscaler_desired_replicas", "gpu_type=L4")).get("items")
                .size());
    }

    @Test
    void unknownMetricsAndUnmatchedSelectorsAre404WithAStatus() throws Exception {
        Kubectl.Result unknown = kubectl.raw(values("llm", "no_such_metric", null));
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.stderr().contains("NotFound") || unknown.stderr().contains("could not find"),
                unknown.stderr());
        Kubectl.Result none = kubectl.raw(values("llm", "gpu_autoscaler_desired_replicas", "model=nope"));
        assertEquals(1, none.exitCode());
        assertTrue(none.stderr().contains("no series of metric gpu_autoscaler_desired_replicas"), none.stderr());
        // Unknown signals are not served as zero: with no pods the request rate has no series.
        Kubectl.Result rate = kubectl.raw(values("llm", "gpu_autoscaler_request_rate", null));
        assertEquals(1, rate.exitCode());
        Kubectl.Result otherPath = kubectl.raw("/apis/external.metrics.k8s.io/v1beta1/namespaces/llm");
        assertEquals(1, otherPath.exitCode());
        Kubectl.Result openapi = kubectl.raw("/openapi/v2");
        assertEquals(1, openapi.exitCode());
    }

    @Test
    void malformedSelectorsAre400() {
        Kubectl.Result bad = kubectl.raw(values("llm", "gpu_autoscaler_desired_replicas", "model in (a"));
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("invalid label selector"), bad.stderr());
        assertTrue(bad.stderr().contains("BadRequest") || bad.stderr().contains("400"), bad.stderr());
    }
}
