package io.gpuautoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuautoscaler.adapter.Certificates;
import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every kustomization in manifests/ renders with the real kubectl and parses as typed objects. */
class ManifestsTest {

    static List<HasMetadata> render(Path dir) {
        Kubectl.Result r = Kubectl.at(1, null, null, null).run("kustomize", dir.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : r.stdout().split("(?m)^---$")) {
            if (!doc.isBlank()) {
                out.add(Serialization.unmarshal(doc, HasMetadata.class));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return (T) objects.stream().filter(o -> type.isInstance(o) && o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static Map<String, Object> apiService(List<HasMetadata> objects) {
        HasMetadata a = objects.stream().filter(o -> "APIService".equals(o.getKind())).findFirst().orElseThrow();
        return Serialization.unmarshal(Serialization.asJson(a), Map.class);
    }

    @Test
    void theDevOverlayRendersTheServiceItsRbacAndAnUnverifiedApiService() {
        List<HasMetadata> objects = render(Path.of("manifests/overlays/dev"));
        Deployment d = one(objects, Deployment.class, "gpu-autoscaler");
        assertEquals("gpu-autoscaler", d.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getSecret() != null), "dev serves a self-signed certificate");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) apiService(objects).get("spec");
        assertEquals(true, spec.get("insecureSkipTLSVerify"));
        assertEquals("external.metrics.k8s.io", spec.get("group"));
        assertEquals("v1beta1.external.metrics.k8s.io", objects.stream().filter(o -> "APIService".equals(o.getKind()))
                .findFirst().get().getMetadata().getName());
        ConfigMap policy = one(objects, ConfigMap.class, "gpu-autoscaler-policy");
        assertEquals("gpu-autoscaler", policy.getMetadata().getNamespace());
    }

    @Test
    void rbacIsExactlyDelegationMetricsReadingAndWhatTheServiceUses() {
        List<HasMetadata> objects = render(Path.of("manifests/overlays/dev"));
        assertEquals("system:auth-delegator",
                one(objects, ClusterRoleBinding.class, "gpu-autoscaler:system:auth-delegator").getRoleRef().getName());
        RoleBinding reader = one(objects, RoleBinding.class, "gpu-autoscaler-auth-reader");
        assertEquals("kube-system", reader.getMetadata().getNamespace());
        assertEquals("extension-apiserver-authentication-reader", reader.getRoleRef().getName());
        ClusterRoleBinding hpa = one(objects, ClusterRoleBinding.class, "gpu-autoscaler-external-metrics-reader");
        assertEquals("horizontal-pod-autoscaler", hpa.getSubjects().get(0).getName());
        assertEquals("kube-system", hpa.getSubjects().get(0).getNamespace());
        List<PolicyRule> rules = new ArrayList<>(one(objects, ClusterRole.class, "gpu-autoscaler").getRules());
        rules.addAll(one(objects, Role.class, "gpu-autoscaler-policy").getRules());
        rules.addAll(one(objects, ClusterRole.class, "gpu-autoscaler-workloads").getRules());
        for (PolicyRule r : rules) {
            assertFalse(r.getVerbs().contains("*") || r.getResources().contains("*"), "no wildcards: " + r);
            assertFalse(r.getResources().contains("secrets"), "no secrets: " + r);
        }
        assertTrue(rules.stream().anyMatch(r -> r.getResources().contains("deployments/scale")
                && r.getVerbs().contains("patch")));
        assertTrue(one(objects, Role.class, "gpu-autoscaler-policy").getRules().stream().filter(r -> r.getVerbs()
                .contains("update")).allMatch(r -> r.getResourceNames().equals(List.of("gpu-autoscaler-learned"))),
                "the only ConfigMap it updates is its learned state");
    }

    @Test
    void theProductionOverlayCopiesTheCaIntoTheApiService() throws IOException {
        Path copy = Files.createTempDirectory("manifests");
        try (Stream<Path> files = Files.walk(Path.of("manifests"))) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(Path.of("manifests").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Certificates.Issued ca = Certificates.authority("gpu-autoscaler-ca");
        Certificates.Issued serving = Certificates.selfSigned("gpu-autoscaler.gpu-autoscaler.svc", List.of(
                "gpu-autoscaler.gpu-autoscaler.svc"));
        Path tls = Files.createDirectories(copy.resolve("overlays/production/tls"));
        Files.writeString(tls.resolve("ca.crt"), ca.certPem());
        Files.writeString(tls.resolve("tls.crt"), serving.certPem());
        Files.writeString(tls.resolve("tls.key"), serving.keyPem());
        List<HasMetadata> objects = render(copy.resolve("overlays/production"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) apiService(objects).get("spec");
        String bundle = spec.get("caBundle").toString().replaceAll("\\s", "");
        assertEquals(ca.certPem(), new String(Base64.getDecoder().decode(bundle)));
        assertFalse(spec.containsKey("insecureSkipTLSVerify"));
        try (Stream<Path> files = Files.walk(copy)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theExampleHpasFollowTheDecisionWithoutDamping() {
        List<HasMetadata> objects = render(Path.of("manifests/examples"));
        HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class, "llama-3-1-8b-h100-spot");
        var metric = hpa.getSpec().getMetrics().get(0).getExternal();
        assertEquals("gpu_autoscaler_desired_replicas", metric.getMetric().getName());
        assertEquals(Map.of("model", "llama-3-1-8b", "variant", "h100-spot"),
                metric.getMetric().getSelector().getMatchLabels());
        assertEquals("AverageValue", metric.getTarget().getType());
        assertEquals("1", metric.getTarget().getAverageValue().toString());
        assertEquals(0, hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds());
        assertEquals(0, hpa.getSpec().getBehavior().getScaleUp().getStabilizationWindowSeconds());
        assertInstanceOf(HorizontalPodAutoscaler.class, hpa);
    }

    @Test
    void thePolicyConfigMapHoldsAValidPolicy() throws Exception {
        List<HasMetadata> objects = render(Path.of("manifests/policy"));
        ConfigMap cm = one(objects, ConfigMap.class, "gpu-autoscaler-policy");
        assertEquals(2, PolicyParser.parse(cm.getData().get("policy.yaml")).models().size());
        assertEquals(1, render(Path.of("manifests/monitoring")).size());
    }

    @Test
    void theDashboardHasTheGuidesPanelsAndOursWithValidPromQl() throws Exception {
        com.fasterxml.jackson.databind.JsonNode dash = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(Path.of("manifests/dashboards/gpu-autoscaler-fleet.json")));
        List<String> titles = new ArrayList<>();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        String operations = Files.readString(Path.of("docs/operations.md"));
        int n = 0;
        for (var panel : dash.get("panels")) {
            titles.add(panel.get("title").asText());
            for (var target : panel.get("targets")) {
                String expr = target.get("expr").asText().replace("$namespace", ".*").replace("$model", ".*");
                rules.append("      - record: panel_").append(n++).append("\n        expr: '")
                        .append(expr.replace("'", "''")).append("'\n");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("gpu_autoscaler_\\w+").matcher(expr);
                while (m.find()) {
                    assertTrue(operations.contains(m.group()), m.group() + " is not a documented meter");
                }
            }
        }
        assertTrue(titles.containsAll(List.of("GPU utilisation per pod", "Request latency p95 (end to end)",
                "Desired vs current replicas per variant", "Queue length (waiting requests)", "TTFT p95 vs SLO",
                "Cost $/h vs budget", "Decisions by reason", "Capacity per replica (learned from the SLO)")),
                titles.toString());
        Path file = Files.createTempFile("dashboard-rules", ".yml");
        Files.writeString(file, rules);
        Process p = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(1, render(Path.of("manifests/dashboards")).size());
    }
}
