package io.gpuautoscaler.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One model served by vLLM, and the variants (GPU type x capacity type) it may run on.
 *
 * @param name Kubernetes name of the model's workloads (DNS-1035 label)
 * @param namespace namespace of the model's workloads
 * @param modelId model to load, e.g. a Hugging Face id
 * @param servedName name clients use ({@code --served-model-name}); vLLM's {@code model_name} label
 * @param engine vLLM engine settings
 * @param priority higher is more important; the budget cuts the lowest priority first
 * @param minReplicas never fewer replicas in total
 * @param maxReplicas never more replicas in total
 * @param slo latency objective
 * @param capacity sustainable load of one replica at the SLO (on a variant with capacity factor 1)
 * @param scaling scaling behaviour (defaults merged in)
 * @param actuation who applies the decision to the Deployments
 * @param scaleToZero when the model may go to zero replicas and come back
 * @param workload how its serving stack is deployed
 * @param variants where the model may run, at least one
 */
public record ModelSpec(
        String name,
        String namespace,
        String modelId,
        String servedName,
        EngineSettings engine,
        int priority,
        int minReplicas,
        int maxReplicas,
        Slo slo,
        Capacity capacity,
        ScalingSettings scaling,
        Actuation actuation,
        Optional<ScaleToZero> scaleToZero,
        Workloads.ModelWorkload workload,
        List<VariantSpec> variants) {

    public ModelSpec {
        variants = List.copyOf(variants);
    }

    public ModelKey key() {
        return new ModelKey(namespace, name);
    }

    /**
     * vLLM engine arguments.
     *
     * @param dtype {@code --dtype}: auto, half, float16, bfloat16, float32
     * @param maxModelLen {@code --max-model-len}
     * @param gpuMemoryUtilization {@code --gpu-memory-utilization}, in (0, 1]
     * @param maxNumSeqs {@code --max-num-seqs}
     * @param maxNumBatchedTokens {@code --max-num-batched-tokens}
     * @param enableChunkedPrefill {@code --enable-chunked-prefill}
     * @param tensorParallelSize {@code --tensor-parallel-size}; also the GPUs per replica
     */
    public record EngineSettings(
            String dtype,
            int maxModelLen,
            double gpuMemoryUtilization,
            int maxNumSeqs,
            int maxNumBatchedTokens,
            boolean enableChunkedPrefill,
            int tensorParallelSize) {
    }

    /** Who applies decisions: the HPA on our external metric, or the autoscaler patching {@code /scale}. */
    public enum Actuation {
        HPA, DIRECT
    }

    /**
     * Scale to zero after an idle period; back to one when the activation query sees demand.
     *
     * @param idleAfter no request, queued or running, for this long: zero replicas (needs minReplicas 0)
     * @param activationQuery PromQL seeing demand while no replica runs (e.g. requests at the gateway);
     *     above 0 means activate
     */
    public record ScaleToZero(Duration idleAfter, Optional<String> activationQuery) {
    }

    /**
     * The latency objective: {@code ttftPercentile}% of requests get their first token within
     * {@code ttftSeconds}.
     */
    public record Slo(double ttftSeconds, double ttftPercentile) {

        public static final double DEFAULT_PERCENTILE = 95;

        public Slo {
            if (!(ttftSeconds > 0) || !(ttftPercentile >= 50 && ttftPercentile < 100)) {
                throw new IllegalArgumentException("TTFT " + ttftSeconds + " s at p" + ttftPercentile);
            }
        }

        public Slo(double ttftSeconds) {
            this(ttftSeconds, DEFAULT_PERCENTILE);
        }

        /** The percentile as a quantile, 0.95 for p95. */
        public double quantile() {
            return ttftPercentile / 100;
        }

        /** {@code p95}, {@code p99}, {@code p99.9}. */
        public String label() {
            return "p" + (ttftPercentile == Math.rint(ttftPercentile) ? String.valueOf((long) ttftPercentile)
                    : String.valueOf(ttftPercentile));
        }
    }

    /**
     * @param requestsPerSecond requests/s one replica sustains within the SLO
     * @param tokensPerSecond prompt + generated tokens/s one replica sustains; empty = not used
     */
    public record Capacity(double requestsPerSecond, OptionalDouble tokensPerSecond) {
    }
}
