package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.inventory.WorkloadNames;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.policy.Workloads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Deployment of one variant: vLLM's OpenAI server on the variant's GPUs. Pure. */
public final class VllmDeployment {

    static final String CACHE = "/root/.cache/huggingface";
    static final int PORT = 8000;

    private VllmDeployment() {
    }

    /**
     * @param initialReplicas replicas when the Deployment is created; null on every later apply, so the HPA
     *     (or the direct scaler) keeps owning {@code spec.replicas}
     * @param revision the revision hash this Deployment runs ({@link Revision})
     * @param active whether the Service sends traffic to this revision (the one the scalers act on)
     */
    public static Deployment build(ModelSpec m, VariantSpec v, Workloads w, Integer initialReplicas, String revision,
            boolean active) {
        Workloads.ModelWorkload mw = m.workload();
        ModelSpec.EngineSettings e = m.engine();
        String image = w.image() + ":" + mw.tag().orElse(w.tag());
        String gpus = Integer.toString(e.tensorParallelSize());
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(mw.cpu()));
        resources.put("memory", new Quantity(mw.memory()));
        resources.put("nvidia.com/gpu", new Quantity(gpus));
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("HF_HOME").withValue(CACHE).build());
        mw.hfTokenSecret().ifPresent(s -> env.add(secretEnv("HF_TOKEN", s)));
        mw.apiKeySecret().ifPresent(s -> env.add(secretEnv("VLLM_API_KEY", s)));
        int startupFailures = (int) Math.max(3, mw.startupTimeout().toSeconds() / 10);

        Map<String, String> nodeSelector = new LinkedHashMap<>(w.gpuNodeSelectors().getOrDefault(v.gpuType(), Map.of()));
        List<Toleration> tolerations = new ArrayList<>();
        tolerations.add(new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists")
                .withEffect("NoSchedule").build());
        boolean spot = v.capacityType() == VariantSpec.CapacityType.SPOT;
        if (spot) {
            nodeSelector.putAll(w.spotNodeSelector());
            for (Workloads.Toleration t : w.spotTolerations()) {
                tolerations.add(new TolerationBuilder().withKey(t.key()).withOperator(t.operator())
                        .withValue(t.value().orElse(null)).withEffect(t.effect()).build());
            }
        }
        Map<String, String> podLabels = StackLabels.variant(m, v);
        podLabels.put(WorkloadLabels.REVISION, revision);
        Map<String, String> labels = new LinkedHashMap<>(podLabels);
        labels.put(WorkloadLabels.ACTIVE, Boolean.toString(active));
        Map<String, String> selector = new LinkedHashMap<>(StackLabels.variantSelector(m, v));
        selector.put(WorkloadLabels.REVISION, revision);
        DeploymentBuilder b = new DeploymentBuilder()
                .withNewMetadata().withName(WorkloadNames.deployment(m.key().variant(v.name()), revision))
                .withNamespace(m.namespace()).withLabels(labels)
                .addToAnnotations("gpu-autoscaler.io/model-revision", mw.revision()).endMetadata()
                .withNewSpec().withReplicas(initialReplicas)
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(60L)
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withTolerations(tolerations)
                .addToInitContainers(new ContainerBuilder().withName("warm-cache").withImage(image)
                        .withCommand("python3", "-c", "import os, huggingface_hub; huggingface_hub.snapshot_download("
                                + "repo_id=os.environ['MODEL_ID'], revision=os.environ['MODEL_REVISION'])")
                        .addAllToEnv(env)
                        .addNewEnv().withName("MODEL_ID").withValue(m.modelId()).endEnv()
                        .addNewEnv().withName("MODEL_REVISION").withValue(mw.revision()).endEnv()
                        .addNewVolumeMount().withName("model-cache").withMountPath(CACHE).endVolumeMount()
                        .withNewResources().addToRequests("cpu", new Quantity("1"))
                        .addToRequests("memory", new Quantity("2Gi")).addToLimits("memory", new Quantity("4Gi"))
                        .endResources()
                        .build())
                .addNewContainer().withName("vllm").withImage(image)
                .withArgs(args(m))
                .addNewPort().withName("http").withContainerPort(PORT).withProtocol("TCP").endPort()
                .withEnv(env)
                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                .withStartupProbe(health(10, startupFailures))
                .withLivenessProbe(health(10, 3))
                .withReadinessProbe(health(5, 3))
                .addNewVolumeMount().withName("model-cache").withMountPath(CACHE).endVolumeMount()
                .addNewVolumeMount().withName("dshm").withMountPath("/dev/shm").endVolumeMount()
                .endContainer()
                .withVolumes(cacheVolume(m), new VolumeBuilder().withName("dshm").withNewEmptyDir()
                        .withMedium("Memory").withSizeLimit(new Quantity("8Gi")).endEmptyDir().build())
                .endSpec().endTemplate().endSpec();
        if (!spot && !w.spotNodeSelector().isEmpty()) {
            Map.Entry<String, String> label = w.spotNodeSelector().entrySet().iterator().next();
            b.editSpec().editTemplate().editSpec().withNewAffinity().withNewNodeAffinity()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                    .addNewMatchExpression().withKey(label.getKey()).withOperator("NotIn")
                    .withValues(label.getValue()).endMatchExpression().endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                    .endSpec().endTemplate().endSpec();
        }
        return b.build();
    }

    static List<String> args(ModelSpec m) {
        ModelSpec.EngineSettings e = m.engine();
        List<String> a = new ArrayList<>(List.of(
                "--model", m.modelId(),
                "--revision", m.workload().revision(),
                "--served-model-name", m.servedName(),
                "--port", Integer.toString(PORT),
                "--dtype", e.dtype(),
                "--max-model-len", Integer.toString(e.maxModelLen()),
                "--gpu-memory-utilization", Double.toString(e.gpuMemoryUtilization()),
                "--max-num-seqs", Integer.toString(e.maxNumSeqs()),
                "--max-num-batched-tokens", Integer.toString(e.maxNumBatchedTokens()),
                "--tensor-parallel-size", Integer.toString(e.tensorParallelSize())));
        a.add(e.enableChunkedPrefill() ? "--enable-chunked-prefill" : "--no-enable-chunked-prefill");
        List<Workloads.LoraAdapter> adapters = m.workload().loraAdapters();
        if (!adapters.isEmpty()) {
            // Multi-model per pod: adapters on the shared base model, each served under its own name.
            a.addAll(List.of("--enable-lora", "--max-loras", Integer.toString(adapters.size()), "--lora-modules"));
            for (Workloads.LoraAdapter l : adapters) {
                a.add(l.name() + "=" + l.source());
            }
        }
        return a;
    }

    private static Probe health(int period, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(period).withFailureThreshold(failures).withTimeoutSeconds(5).build();
    }

    private static EnvVar secretEnv(String name, Workloads.SecretRef s) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(s.name())
                .withKey(s.key()).endSecretKeyRef().endValueFrom().build();
    }

    private static Volume cacheVolume(ModelSpec m) {
        VolumeBuilder v = new VolumeBuilder().withName("model-cache");
        if ("pvc".equals(m.workload().cache())) {
            return v.withNewPersistentVolumeClaim().withClaimName(ModelCachePvc.name(m)).endPersistentVolumeClaim()
                    .build();
        }
        return v.withNewEmptyDir().withSizeLimit(new Quantity(m.workload().cacheSize())).endEmptyDir().build();
    }
}
