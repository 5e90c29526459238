package io.gpuautoscaler.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the serving stacks of the models are deployed (policy key {@code workloads}); model-level overrides
 * are in {@link ModelWorkload}.
 *
 * @param deploy whether the service deploys and keeps the stacks (false: it only scales what exists)
 * @param image vLLM image without tag
 * @param tag default image tag
 * @param ingressNamespace namespace of the ingress controller (the only source of traffic besides the scrape)
 * @param autoscalerNamespace namespace of this service and of the Prometheus that scrapes (NetworkPolicy)
 * @param monitoringNamespace namespace of Prometheus (allowed to scrape /metrics)
 * @param egressCidrs where pods may connect besides DNS: the model hub or a cache (port 443 and 80)
 * @param spotNodeSelector node labels of spot nodes (spot variants select them)
 * @param spotTolerations taints of spot nodes (spot variants tolerate them)
 * @param gpuNodeSelectors node labels per GPU type (e.g. {@code nvidia.com/gpu.product})
 * @param gpusPerNode GPUs of the largest node: tensor-parallel sizes above it are rejected
 * @param createNamespaces create a model's namespace when it does not exist
 */
public record Workloads(boolean deploy, String image, String tag, String ingressNamespace, String autoscalerNamespace,
        String monitoringNamespace, List<String> egressCidrs, Map<String, String> spotNodeSelector,
        List<Toleration> spotTolerations, Map<String, Map<String, String>> gpuNodeSelectors, int gpusPerNode,
        boolean createNamespaces) {

    public Workloads {
        egressCidrs = List.copyOf(egressCidrs);
        spotNodeSelector = Map.copyOf(spotNodeSelector);
        spotTolerations = List.copyOf(spotTolerations);
        gpuNodeSelectors = Map.copyOf(gpuNodeSelectors);
    }

    /** A node taint to tolerate. */
    public record Toleration(String key, String operator, Optional<String> value, String effect) {
    }

    /** Built-in values: deployment off, GKE-style spot labels, the common NVIDIA product labels. */
    public static Workloads defaults() {
        return new Workloads(false, "vllm/vllm-openai", "v0.11.0", "ingress-nginx", "gpu-autoscaler", "monitoring",
                List.of("0.0.0.0/0"), Map.of("cloud.google.com/gke-spot", "true"),
                List.of(new Toleration("cloud.google.com/gke-spot", "Equal", Optional.of("true"), "NoSchedule")),
                Map.of("H100", Map.of("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"),
                        "A100", Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"),
                        "L4", Map.of("nvidia.com/gpu.product", "NVIDIA-L4")),
                8, false);
    }

    /**
     * A model's deployment settings.
     *
     * @param revision model revision ({@code --revision}); a change rolls out a new version
     * @param tag image tag override
     * @param cpu CPU request and limit per replica
     * @param memory memory request and limit per replica
     * @param cache where weights are cached: {@code emptyDir} or {@code pvc}
     * @param cacheSize size of the cache volume
     * @param storageClass storage class of the cache PVC
     * @param hfTokenSecret Secret (name/key) with {@code HF_TOKEN}
     * @param apiKeySecret Secret (name/key) with the API key clients must send
     * @param ingressHost host of an optional Ingress
     * @param ingressClass ingress class of that Ingress
     * @param startupTimeout time allowed for loading the model before liveness applies
     * @param loraAdapters LoRA adapters served by the same vLLM on the base model, each routable by name
     */
    public record ModelWorkload(String revision, Optional<String> tag, String cpu, String memory, String cache,
            String cacheSize, Optional<String> storageClass, Optional<SecretRef> hfTokenSecret,
            Optional<SecretRef> apiKeySecret, Optional<String> ingressHost, Optional<String> ingressClass,
            Duration startupTimeout, List<LoraAdapter> loraAdapters) {

        public ModelWorkload {
            loraAdapters = List.copyOf(loraAdapters);
        }

        public static ModelWorkload defaults() {
            return new ModelWorkload("main", Optional.empty(), "8", "32Gi", "emptyDir", "100Gi", Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofMinutes(15),
                    List.of());
        }
    }

    /** A LoRA adapter: the name clients put in {@code model}, and where vLLM loads it from. */
    public record LoraAdapter(String name, String source) {
    }

    /** A key of a Secret in the model's namespace. */
    public record SecretRef(String name, String key) {
    }
}
