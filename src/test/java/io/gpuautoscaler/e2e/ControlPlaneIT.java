package io.gpuautoscaler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.simulation.RateCurve;
import io.gpuautoscaler.simulation.Request;
import io.gpuautoscaler.simulation.TraceReader;
import io.gpuautoscaler.testing.ControlPlane;
import io.gpuautoscaler.testing.FreePort;
import io.gpuautoscaler.testing.KubeletStandIn;
import io.gpuautoscaler.testing.Kubectl;
import io.gpuautoscaler.testing.PrometheusServer;
import io.gpuautoscaler.testing.ServiceProcess;
import io.gpuautoscaler.testing.SimulatedFleet;
import io.gpuautoscaler.testing.TextServer;
import io.gpuautoscaler.testing.Waits;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service against a real control plane (etcd, kube-apiserver with the aggregation layer,
 * kube-controller-manager with the HPA controller), built from the upstream modules by
 * {@code src/test/controlplane/build.sh}. The service runs as the packaged jar with the identity and RBAC of
 * {@code manifests/}; the real HPA controller reads our external metric through the aggregator. There is no
 * kubelet: {@link KubeletStandIn} marks pods Ready after a cold start, and {@link SimulatedFleet} serves their
 * traffic through the simulator's replica model, scraped by a real Prometheus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneIT {

    private static final String NS = "e2e-llm";
    private static final String SYSTEM_NS = "gpu-autoscaler";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COLD_START = Duration.ofSeconds(4);

    private ControlPlane cluster;
    private Kubectl kubectl;
    private KubernetesClient admin;
    private Path work;
    private Path manifests;
    private PrometheusServer prometheus;
    private TextServer exporter;
    private KubeletStandIn kubelet;
    private final List<SimulatedFleet> fleets = new ArrayList<>();
    private ServiceProcess service;
    private int metricsPort;
    private List<Request> sizes;

    @BeforeAll
    void startCluster() throws Exception {
        // Logs and state stay under target/e2e/ for a look after a failure.
        work = Files.createDirectories(Path.of("target/e2e/run-" + System.currentTimeMillis()).toAbsolutePath());
        cluster = ControlPlane.start(work.resolve("controlplane"));
        kubectl = cluster.kubectl();
        admin = cluster.adminClient();
        manifests = work.resolve("manifests");
        copyTree(Path.of("manifests"), manifests);
        run(new ProcessBuilder(manifests.resolve("overlays/production/generate-tls.sh").toString()));
        try (var in = getClass().getResourceAsStream("/traces/azure-llm-2023-conv.csv")) {
            sizes = TraceReader.requests(new InputStreamReader(in, StandardCharsets.UTF_8), "conv");
        }
        exporter = TextServer.prometheusText(this::exposition);
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("fleet", true,
                List.of(new PrometheusServer.Target(exporter.port(), "monitoring", "federation")))));
    }

    private String exposition() {
        StringBuilder b = new StringBuilder();
        for (SimulatedFleet f : fleets) {
            b.append(f.get());
        }
        return b.toString();
    }

    @AfterAll
    void stopAll() {
        fleets.forEach(SimulatedFleet::close);
        if (service != null) {
            service.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyManifestAppliesWithServerSideApplyWithoutWarnings() {
        ok(kubectl.input(resource("/e2e/third-party-crds.yaml"), "apply", "--server-side", "-f", "-"));
        ok(kubectl.run("wait", "--for=condition=Established", "crd/servicemonitors.monitoring.coreos.com",
                "crd/scaledobjects.keda.sh", "--timeout=30s"));
        // A server-side dry run of namespaced objects needs their namespace to exist.
        ok(kubectl.run("apply", "--server-side", "-f", manifests.resolve("base/namespace.yaml").toString()));
        for (String ns : List.of("llm", "monitoring", NS)) {
            ok(kubectl.run("create", "namespace", ns));
        }
        List<String> kustomizations = List.of("overlays/production", "overlays/dev", "base", "examples",
                "monitoring", "dashboards", "policy");
        for (String k : kustomizations) {
            var dry = kubectl.run("apply", "--server-side", "--dry-run=server", "-k", manifests.resolve(k).toString());
            ok(dry);
            assertFalse(dry.stderr().contains("Warning"), k + " warns: " + dry.stderr());
        }
        for (String k : List.of("overlays/production", "examples", "monitoring", "dashboards")) {
            var real = kubectl.run("apply", "--server-side", "-k", manifests.resolve(k).toString());
            ok(real);
            assertFalse(real.stderr().contains("Warning"), k + " warns: " + real.stderr());
        }
        String hpas = ok(kubectl.run("get", "hpa", "-n", "llm", "-o", "name"));
        assertTrue(hpas.contains("horizontalpodautoscaler"), hpas);
        String caBundle = ok(kubectl.run("get", "apiservice", "v1beta1.external.metrics.k8s.io", "-o",
                "jsonpath={.spec.caBundle}"));
        assertFalse(caBundle.isBlank(), "the production overlay sets the APIService's caBundle");
    }

    @Test
    @Order(2)
    void serviceWithManifestRbacMakesTheApiServiceAvailable() throws Exception {
        // The service runs here as a process, not as the manifests' pod: its pod never starts (no kubelet),
        // and its Service becomes an ExternalName to 127.0.0.1 (endpoint addresses cannot be loopback).
        ok(kubectl.run("scale", "deployment/gpu-autoscaler", "-n", SYSTEM_NS, "--replicas=0"));
        metricsPort = FreePort.get();
        ok(kubectl.run("delete", "service", "gpu-autoscaler", "-n", SYSTEM_NS));
        ok(kubectl.run("create", "service", "externalname", "gpu-autoscaler", "-n", SYSTEM_NS,
                "--external-name=localhost", "--tcp=" + metricsPort + ":" + metricsPort));
        ok(kubectl.run("patch", "apiservice", "v1beta1.external.metrics.k8s.io", "--type=merge", "-p",
                "{\"spec\":{\"service\":{\"port\":" + metricsPort + "}}}"));
        applyPolicy(policy());

        String token = ok(kubectl.run("create", "token", "gpu-autoscaler", "-n", SYSTEM_NS, "--duration=2h")).trim();
        Path tls = manifests.resolve("overlays/production/tls");
        service = ServiceProcess.start(Map.of(
                "gpu-autoscaler.mode", "cluster",
                "gpu-autoscaler.policy.config-map-namespace", SYSTEM_NS,
                "gpu-autoscaler.external-metrics.host", "127.0.0.1",
                "gpu-autoscaler.external-metrics.port", String.valueOf(metricsPort),
                "gpu-autoscaler.external-metrics.authentication", "delegated",
                "gpu-autoscaler.external-metrics.cert-file", tls.resolve("tls.crt").toString(),
                "gpu-autoscaler.external-metrics.key-file", tls.resolve("tls.key").toString()),
                Map.of("KUBECONFIG", cluster.tokenKubeconfig("gpu-autoscaler", token).toString()),
                work.resolve("service.log"));

        awaitTrue(Duration.ofSeconds(90), this::apiServiceAvailable, "APIService Available=True");
        awaitTrue(Duration.ofSeconds(90), () -> deployment("chat") != null && deployment("batch") != null,
                "both models deployed by the service");
        kubelet = new KubeletStandIn(admin, List.of(NS), COLD_START);
    }

    @Test
    @Order(3)
    void externalMetricsAreServedThroughTheRealApiServer() throws Exception {
        String path = "/apis/external.metrics.k8s.io/v1beta1/namespaces/" + NS
                + "/gpu_autoscaler_desired_replicas?labelSelector=model%3Dchat%2Cvariant%3Dh100";
        awaitTrue(Duration.ofSeconds(60), () -> kubectl.raw(path).exitCode() == 0
                && kubectl.raw(path).stdout().contains("\"value\""), "chat's desired replicas through the aggregator");
        JsonNode list = JSON.readTree(ok(kubectl.raw(path)));
        assertEquals("ExternalMetricValueList", list.path("kind").asText());
        JsonNode item = list.path("items").get(0);
        assertEquals("gpu_autoscaler_desired_replicas", item.path("metricName").asText());
        assertEquals("chat", item.path("metricLabels").path("model").asText());
        int served = Integer.parseInt(item.path("value").asText());
        assertTrue(served >= 1 && served <= 6, "within the policy's bounds: " + served);
        JsonNode ours = JSON.readTree(service.get("/api/v1/decisions").body());
        assertTrue(ours.toString().contains("\"desiredReplicas\":" + served), "the same number as our decision");
    }

    @Test
    @Order(4)
    void aRequestWithoutTheAggregatorsCertificateIsRefused() {
        String url = "https://127.0.0.1:" + metricsPort + "/apis/external.metrics.k8s.io/v1beta1/namespaces/" + NS
                + "/gpu_autoscaler_desired_replicas";
        assertEquals("401", curlStatus(url), "no credentials");
        assertEquals("401", curlStatus(url, "-H", "X-Remote-User: system:kube-controller-manager", "-H",
                "X-Remote-Group: system:masters"), "identity headers without the front-proxy certificate");
        assertEquals("200", curlStatus(url, "--cert", cluster.pki("admin.crt").toString(), "--key",
                cluster.pki("admin.key").toString()), "a certificate from the cluster's client CA is a credential");
        // kubectl as the client (with a credential: without one it would prompt for a user name on a 401).
        var r = Kubectl.at(metricsPort, "not-a-token", null, null).raw(url.substring(url.indexOf("/apis")));
        assertNotEquals(0, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains("Unauthorized"), r.stderr());
        String token = ok(kubectl.run("create", "token", "default", "-n", NS, "--duration=10m")).trim();
        var withToken = Kubectl.at(metricsPort, token, null, null).raw(url.substring(url.indexOf("/apis")));
        assertNotEquals(0, withToken.exitCode(), "a valid token without RBAC for external metrics is refused");
        assertTrue(withToken.stderr().contains("Forbidden"), withToken.stderr());
    }

    @Test
    @Order(5)
    void theRealHpaScalesTheDeploymentUpUnderLoadAndDownAfter() {
        // chat: 2 req/s for 20 s, 28 req/s for 120 s, then 2 req/s; batch: a steady 12 req/s (2 replicas).
        double[] chat = new double[60];
        Arrays.fill(chat, 2);
        Arrays.fill(chat, 1, 7, 28);
        fleets.add(new SimulatedFleet(NS, "chat", new RateCurve(20, chat), sizes, 1, kubelet::readyPods));
        double[] batch = new double[60];
        Arrays.fill(batch, 12);
        fleets.add(new SimulatedFleet(NS, "batch", new RateCurve(20, batch), sizes, 2, kubelet::readyPods));

        long began = System.nanoTime();
        awaitTrue(Duration.ofSeconds(120), () -> replicas("chat") >= 4, "chat scaled up to at least 4 under load");
        double upAfter = (System.nanoTime() - began) / 1e9;
        HorizontalPodAutoscaler hpa = admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                .withName("chat-h100").get();
        var metric = hpa.getStatus().getCurrentMetrics().get(0).getExternal();
        assertEquals("gpu_autoscaler_desired_replicas", metric.getMetric().getName());
        assertTrue(hpa.getStatus().getDesiredReplicas() >= 4, "HPA desiredReplicas " + hpa.getStatus());
        int peak = 0;
        long until = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < until && !(peak >= 4 && replicas("chat") == 1)) {
            peak = Math.max(peak, replicas("chat"));
            assertTrue(replicas("chat") <= 6, "never above maxReplicas");
            Waits.sleep(1000);
        }
        assertEquals(1, replicas("chat"), "chat back to one replica within 4 minutes of the start of the peak");
        assertTrue(peak <= 6, "peak " + peak);
        System.out.printf("e2e: chat >= 4 replicas %.0f s after the fleet started (peak from 20 s), peak %d, back to 1 "
                + "%.0f s after the start%n", upAfter, peak, (System.nanoTime() - began) / 1e9);
        awaitTrue(Duration.ofSeconds(60), () -> replicas("batch") == 2, "batch at two replicas for 12 req/s");
    }

    @Test
    @Order(6)
    void aKilledServiceLeavesTheHpaHoldingAndComesBackAvailable() {
        assertEquals(2, replicas("batch"));
        service.kill();
        awaitTrue(Duration.ofSeconds(60), () -> hpaCondition("batch-h100", "ScalingActive").equals("False"),
                "HPA reports it cannot get the metric");
        for (int i = 0; i < 10; i++) {
            assertEquals(2, replicas("batch"), "a metric error never scales down");
            Waits.sleep(1500);
        }
        // What the first process learned comes back with the second. If its estimates did not move in this run,
        // an entry written here must come back instead.
        Kubectl.Result learned = kubectl.run("get", "configmap", "gpu-autoscaler-learned", "-n", SYSTEM_NS, "-o",
                "jsonpath={.data}");
        System.out.println("e2e: learned state before the restart: "
                + (learned.exitCode() == 0 ? learned.stdout() : "none written"));
        if (learned.exitCode() != 0) {
            ok(kubectl.run("create", "configmap", "gpu-autoscaler-learned", "-n", SYSTEM_NS,
                    "--from-literal=capacity." + NS + ".batch=7.5"));
        } else if (!learned.stdout().contains("capacity.")) {
            ok(kubectl.run("patch", "configmap", "gpu-autoscaler-learned", "-n", SYSTEM_NS, "--type", "merge", "-p",
                    "{\"data\":{\"capacity." + NS + ".batch\":\"7.5\"}}"));
        }
        service.restart();
        awaitTrue(Duration.ofSeconds(90), this::apiServiceAvailable, "APIService Available again");
        awaitTrue(Duration.ofSeconds(30), () -> readLog().contains("Learned capacities restored"),
                "the restarted service restores the learned capacities");
        awaitTrue(Duration.ofSeconds(60), () -> hpaCondition("batch-h100", "ScalingActive").equals("True"),
                "HPA reads the metric again");
        assertEquals(2, replicas("batch"));
    }

    @Test
    @Order(7)
    void aPrometheusOutageNeverScalesDownAndRecovers() throws Exception {
        prometheus.stop();
        long until = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(2, replicas("batch"), "no scale-down on missing data");
            Waits.sleep(1500);
        }
        String held = service.get("/api/v1/decisions").body();
        assertTrue(held.contains("UNKNOWN_SIGNALS"), held);
        prometheus.resume();
        awaitTrue(Duration.ofSeconds(90), () -> !service.get("/api/v1/decisions").body().contains("UNKNOWN_SIGNALS"),
                "decisions from fresh signals after Prometheus returns");
        assertEquals(2, replicas("batch"));
    }

    @Test
    @Order(8)
    void policyEditsAddAndPruneModelsAndAnInvalidEditIsRejected() throws Exception {
        ok(kubectl.run("create", "configmap", "unrelated", "-n", NS, "--from-literal=keep=me"));
        ok(kubectl.run("create", "deployment", "unrelated", "-n", NS, "--image=busybox"));
        String added = policy().replace("models:\n", """
                models:
                  - name: extra
                    modelId: Qwen/Qwen2.5-7B-Instruct
                    variants:
                      - name: h100
                        gpuType: H100
                        capacityType: on-demand
                        pricePerHour: 12.29
                """);
        applyPolicy(added);
        awaitTrue(Duration.ofSeconds(60), () -> deployment("extra") != null && hpaExists("extra-h100"),
                "the added model's stack appears");

        String withoutBatch = added.substring(0, added.indexOf("  - name: batch"));
        applyPolicy(withoutBatch);
        awaitTrue(Duration.ofSeconds(60), () -> deployment("batch") == null && !hpaExists("batch-h100")
                && admin.services().inNamespace(NS).withName("batch").get() == null, "the removed model is pruned");
        assertTrue(admin.configMaps().inNamespace(NS).withName("unrelated").get() != null, "unrelated kept");
        assertTrue(admin.apps().deployments().inNamespace(NS).withName("unrelated").get() != null,
                "unrelated Deployment kept");
        assertTrue(deployment("chat") != null, "the other models stay");

        applyPolicy(withoutBatch.replace("pricePerHour: 12.29", "pricePerHour: -1"));
        awaitTrue(Duration.ofSeconds(60), () -> kubectl.run("get", "events", "-n", SYSTEM_NS,
                "--field-selector=reason=PolicyRejected", "-o", "name").stdout().contains("event"),
                "an Event PolicyRejected visible with kubectl");
        String events = ok(kubectl.run("get", "events", "-n", SYSTEM_NS, "--field-selector=reason=PolicyRejected",
                "-o", "jsonpath={.items[*].message}"));
        assertTrue(events.contains("pricePerHour"), events);
        JsonNode policy = JSON.readTree(service.get("/api/v1/policy").body());
        assertEquals(2, policy.path("models").asInt(), "the previous policy (chat, extra) keeps running: " + policy);
        assertTrue(policy.path("lastRejection").path("problems").toString().contains("pricePerHour"), policy.toString());
        String decisions = service.get("/api/v1/decisions").body();
        assertTrue(decisions.contains("\"model\":\"extra\"") && decisions.contains("\"model\":\"chat\""), decisions);
        assertTrue(deployment("extra") != null && deployment("chat") != null, "nothing pruned by a rejected edit");
        String log = Files.readString(service.log()).toLowerCase(java.util.Locale.ROOT);
        assertFalse(log.contains("forbidden"), "the manifests' RBAC was enough for everything the service did");
    }

    // --- helpers

    private String policy() {
        return resource("/e2e/policy.yaml").replace("PROMETHEUS_URL", prometheus.url());
    }

    private void applyPolicy(String yaml) {
        String cm = ok(kubectl.run("create", "configmap", "gpu-autoscaler-policy", "-n", SYSTEM_NS,
                "--from-literal=policy.yaml=" + yaml, "--dry-run=client", "-o", "yaml"));
        ok(kubectl.input(cm, "apply", "--server-side", "--force-conflicts", "--field-manager=e2e", "-f", "-"));
    }

    private boolean apiServiceAvailable() {
        return kubectl.run("get", "apiservice", "v1beta1.external.metrics.k8s.io", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Available\")].status}").stdout().trim().equals("True");
    }

    private Deployment deployment(String model) {
        return admin.apps().deployments().inNamespace(NS).withLabel(WorkloadLabels.MODEL, model).list().getItems()
                .stream().max(Comparator.comparing(d -> d.getMetadata().getCreationTimestamp())).orElse(null);
    }

    private int replicas(String model) {
        Deployment d = deployment(model);
        return d == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
    }

    private boolean hpaExists(String name) {
        return admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(name).get() != null;
    }

    private String hpaCondition(String name, String type) {
        HorizontalPodAutoscaler hpa = admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                .withName(name).get();
        if (hpa == null || hpa.getStatus() == null || hpa.getStatus().getConditions() == null) {
            return "";
        }
        return hpa.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse("");
    }

    private String readLog() {
        try {
            return Files.readString(service.log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String ok(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), "kubectl failed: " + r.stderr() + r.stdout());
        return r.stdout();
    }

    private String resource(String name) {
        try (var in = getClass().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(name, e);
        }
    }

    private void awaitTrue(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            Waits.sleep(500);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what + "; service log: "
                + (service == null ? "-" : service.log()));
    }


    /** The HTTP status curl gets (TLS not verified: the point is what the server accepts). */
    private static String curlStatus(String url, String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        cmd.add(url);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor(), "failed: " + pb.command());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    target.toFile().setExecutable(p.toFile().canExecute());
                }
            }
        }
    }
}
