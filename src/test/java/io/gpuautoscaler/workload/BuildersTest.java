package io.gpuautoscaler.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.Service;
import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated objects, field by field. */
class BuildersTest {

    static final Policy POLICY;

    static {
        try {
            POLICY = PolicyParser.parse("""
                    workloads:
                      deploy: true
                      tag: v0.11.0
                      egressCidrs: [10.20.0.0/16]
                    models:
                      - name: llama
                        namespace: llm
                        modelId: meta-llama/Llama-3.1-8B-Instruct
                        servedName: llama-3.1-8b
                        maxReplicas: 12
                        engine: {dtype: bfloat16, maxModelLen: 16384, tensorParallelSize: 2, enableChunkedPrefill: false}
                        workload:
                          revision: 0e9e39f
                          cpu: "16"
                          memory: 96Gi
                          cache: pvc
                          cacheSize: 200Gi
                          hfTokenSecret: {name: hf-token, key: token}
                          apiKeySecret: {name: vllm-api-key, key: key}
                          ingressHost: llama.example.com
                          ingressClass: nginx
                          startupTimeout: 20m
                        variants:
                          - {name: h100-od, gpuType: H100, pricePerHour: 12.29}
                          - {name: h100-spot, gpuType: H100, capacityType: spot, pricePerHour: 5.5, maxShare: 0.5}
                          - {name: a100-od, gpuType: A100, pricePerHour: 4.1, capacityFactor: 0.5}
                    """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final ModelSpec M = POLICY.models().get(0);

    static VariantSpec variant(String name) {
        return M.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    static Container vllm(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void deploymentRunsVllmWithTheEngineSettings() {
        Deployment d = VllmDeployment.build(M, variant("h100-od"), POLICY.workloads(), 2, "r1", true);
        assertEquals("llama-h100-od-r1", d.getMetadata().getName());
        assertEquals("true", d.getMetadata().getLabels().get("gpu-autoscaler.io/active"));
        assertEquals("r1", d.getSpec().getSelector().getMatchLabels().get("gpu-autoscaler.io/revision"));
        assertEquals("llm", d.getMetadata().getNamespace());
        assertEquals(2, d.getSpec().getReplicas());
        Container c = vllm(d);
        assertEquals("vllm/vllm-openai:v0.11.0", c.getImage());
        assertEquals(List.of("--model", "meta-llama/Llama-3.1-8B-Instruct", "--revision", "0e9e39f",
                "--served-model-name", "llama-3.1-8b", "--port", "8000", "--dtype", "bfloat16", "--max-model-len",
                "16384", "--gpu-memory-utilization", "0.9", "--max-num-seqs", "256", "--max-num-batched-tokens",
                "8192", "--tensor-parallel-size", "2", "--no-enable-chunked-prefill"), c.getArgs());
        assertEquals(8000, c.getPorts().get(0).getContainerPort());
    }

    @Test
    void gpusEqualTheTensorParallelSizeInRequestsAndLimits() {
        Container c = vllm(VllmDeployment.build(M, variant("h100-od"), POLICY.workloads(), 1, "r1", true));
        assertEquals("2", c.getResources().getRequests().get("nvidia.com/gpu").toString());
        assertEquals("2", c.getResources().getLimits().get("nvidia.com/gpu").toString());
        assertEquals("16", c.getResources().getLimits().get("cpu").toString());
        assertEquals("96Gi", c.getResources().getRequests().get("memory").toString());
    }

    @Test
    void probesCheckHealthAndAllowTheStartupTimeout() {
        Container c = vllm(VllmDeployment.build(M, variant("h100-od"), POLICY.workloads(), 1, "r1", true));
        assertEquals("/health", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/health", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/health", c.getStartupProbe().getHttpGet().getPath());
        assertEquals(1200, c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold());
    }

    @Test
    void rollsOutOneExtraPodAtATimeWithoutDroppingCapacity() {
        Deployment d = VllmDeployment.build(M, variant("h100-od"), POLICY.workloads(), 1, "r1", true);
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        assertEquals(1, d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    }

    @Test
    void replicasAreSetOnlyAtCreation() {
        assertNull(VllmDeployment.build(M, variant("h100-od"), POLICY.workloads(), null, "r1", true).getSpec().getReplicas());
    }

    @Test
    void weightsAreWarmedIntoACacheVolumeAndSecretsComeFromReferences() {
        PodSpec pod = VllmDeployment.build(M, variant("h100-od"), POLICY.workloads(), 1, "r1", true).getSpec().getTemplate()
                .getSpec();
        assertEquals("warm-cache", pod.getInitContainers().get(0).getName());
        assertEquals("/root/.cache/huggingface", pod.getInitContainers().get(0).getVolumeMounts().get(0).getMountPath());
        assertEquals("llama-cache", pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        Container c = pod.getContainers().get(0);
        assertEquals("hf-token", c.getEnv().stream().filter(e -> e.getName().equals("HF_TOKEN")).findFirst().get()
                .getValueFrom().getSecretKeyRef().getName());
        assertEquals("key", c.getEnv().stream().filter(e -> e.getName().equals("VLLM_API_KEY")).findFirst().get()
                .getValueFrom().getSecretKeyRef().getKey());
        assertEquals("ReadWriteMany", ModelCachePvc.build(M).getSpec().getAccessModes().get(0));
        assertEquals("200Gi", ModelCachePvc.build(M).getSpec().getResources().getRequests().get("storage").toString());
    }

    @Test
    void spotVariantsTolerateAndSelectSpotNodesOnDemandOnesStayOff() {
        PodSpec spot = VllmDeployment.build(M, variant("h100-spot"), POLICY.workloads(), 1, "r1", true).getSpec().getTemplate()
                .getSpec();
        assertEquals("true", spot.getNodeSelector().get("cloud.google.com/gke-spot"));
        assertEquals("NVIDIA-H100-80GB-HBM3", spot.getNodeSelector().get("nvidia.com/gpu.product"));
        assertTrue(spot.getTolerations().stream().anyMatch(t -> "cloud.google.com/gke-spot".equals(t.getKey())));
        assertNull(spot.getAffinity());
        PodSpec od = VllmDeployment.build(M, variant("a100-od"), POLICY.workloads(), 1, "r1", true).getSpec().getTemplate()
                .getSpec();
        assertEquals("NVIDIA-A100-SXM4-80GB", od.getNodeSelector().get("nvidia.com/gpu.product"));
        assertTrue(od.getTolerations().stream().noneMatch(t -> "cloud.google.com/gke-spot".equals(t.getKey())));
        var term = od.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertEquals("cloud.google.com/gke-spot", term.getKey());
        assertEquals("NotIn", term.getOperator());
    }

    @Test
    void podsAreLabelledForTheInventoryAndTheDirectScaler() {
        Map<String, String> labels = VllmDeployment.build(M, variant("h100-spot"), POLICY.workloads(), 1, "r1", true).getSpec()
                .getTemplate().getMetadata().getLabels();
        assertEquals("llama", labels.get("gpu-autoscaler.io/model"));
        assertEquals("h100-spot", labels.get("gpu-autoscaler.io/variant"));
        assertEquals("gpu-autoscaler", labels.get("app.kubernetes.io/managed-by"));
    }

    @Test
    void serviceSpansAllVariantsOnPort80() {
        Service s = ModelService.build(M, "r1");
        assertEquals("ClusterIP", s.getSpec().getType());
        assertEquals(80, s.getSpec().getPorts().get(0).getPort());
        assertEquals("http", s.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(Map.of("app.kubernetes.io/name", "vllm", "gpu-autoscaler.io/model", "llama",
                "gpu-autoscaler.io/revision", "r1"), s.getSpec().getSelector());
        assertEquals("llama.example.com", ModelIngress.build(M).get().getSpec().getRules().get(0).getHost());
    }

    @Test
    void hpaFollowsTheDecisionWithoutASecondWindow() {
        HorizontalPodAutoscaler h = VariantHpa.build(M, variant("a100-od"), "r1");
        assertEquals("llama-a100-od", h.getMetadata().getName());
        assertEquals("llama-a100-od-r1", h.getSpec().getScaleTargetRef().getName());
        assertEquals(1, h.getSpec().getMinReplicas());
        assertEquals(24, h.getSpec().getMaxReplicas(), "12 units of capacity at factor 0.5");
        var ext = h.getSpec().getMetrics().get(0).getExternal();
        assertEquals("gpu_autoscaler_desired_replicas", ext.getMetric().getName());
        assertEquals(Map.of("model", "llama", "variant", "a100-od"), ext.getMetric().getSelector().getMatchLabels());
        assertEquals("AverageValue", ext.getTarget().getType());
        assertEquals("1", ext.getTarget().getAverageValue().toString());
        assertEquals(0, h.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds());
        assertEquals("0", h.getSpec().getBehavior().getScaleDown().getTolerance().toString());
        assertEquals(100, h.getSpec().getBehavior().getScaleDown().getPolicies().get(0).getValue());
        assertEquals(1000, h.getSpec().getBehavior().getScaleUp().getPolicies().get(0).getValue());
    }

    @Test
    void pdbAndNetworkPolicyGuardTheModel() {
        PodDisruptionBudget pdb = ModelPdb.build(M);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        NetworkPolicy np = ModelNetworkPolicy.build(M, POLICY.workloads());
        assertEquals(List.of("Ingress", "Egress"), np.getSpec().getPolicyTypes());
        assertEquals("ingress-nginx", np.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector()
                .getMatchLabels().get("kubernetes.io/metadata.name"));
        assertEquals(8000, np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal());
        assertEquals(53, np.getSpec().getEgress().get(0).getPorts().get(0).getPort().getIntVal());
        assertEquals("10.20.0.0/16", np.getSpec().getEgress().get(1).getTo().get(0).getIpBlock().getCidr());
    }

    @Test
    void serviceMonitorScrapesMetricsWithTheJoinLabels() {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) ModelServiceMonitor.build(M).getAdditionalProperties()
                .get("spec");
        assertEquals(List.of("gpu-autoscaler.io/model", "gpu-autoscaler.io/variant"), spec.get("podTargetLabels"));
    }

    @Test
    void loraAdaptersAreServedByTheSameVllmUnderTheirNames() throws Exception {
        ModelSpec lora = PolicyParser.parse("""
                models:
                  - name: base
                    namespace: llm
                    modelId: meta-llama/Llama-3.1-8B-Instruct
                    workload:
                      loraAdapters:
                        - {name: sql, source: org/llama-sql-lora}
                        - {name: support, source: org/llama-support-lora}
                    variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]
                """).models().get(0);
        List<String> args = vllm(VllmDeployment.build(lora, lora.variants().get(0), POLICY.workloads(), 1, "r1", true)).getArgs();
        int i = args.indexOf("--lora-modules");
        assertTrue(args.contains("--enable-lora"));
        assertEquals("2", args.get(args.indexOf("--max-loras") + 1));
        assertEquals(List.of("sql=org/llama-sql-lora", "support=org/llama-support-lora"), args.subList(i + 1, i + 3));
    }
}
