package io.gpuautoscaler.policy;

/** Per-pod signals read from Prometheus, one batched query each. */
public enum Signal {
    /** vLLM requests waiting in the queue (gauge, summed per pod). */
    QUEUE_WAITING("queue_waiting", true),
    /** vLLM requests running in the batch (gauge). */
    QUEUE_RUNNING("queue_running", true),
    /** Completed requests per second. */
    REQUEST_RATE("request_rate", true),
    /** Prompt tokens per second. */
    PROMPT_TOKEN_RATE("prompt_token_rate", true),
    /** Generated tokens per second. */
    GENERATION_TOKEN_RATE("generation_token_rate", true),
    /** KV-cache usage, 0..1 (averaged over pods). */
    KV_CACHE_USAGE("kv_cache_usage", false),
    /** DCGM GPU utilisation, 0..1 (averaged over pods). */
    GPU_UTILIZATION("gpu_utilization", false),
    /** Unix time of each pod's newest vLLM sample, for staleness. */
    SAMPLE_TIMESTAMP("sample_timestamp", false),
    /** Per-pod TTFT histogram bucket rates ({@code le} label). */
    TTFT_BUCKETS("ttft_buckets", false),
    /** LoRA adapters each pod is running or queueing ({@code vllm:lora_requests_info} labels). */
    LORA_ADAPTERS("lora_adapters", false);

    private final String id;
    private final boolean additive;

    Signal(String id, boolean additive) {
        this.id = id;
        this.additive = additive;
    }

    /** Stable lower-case id used in meters and JSON. */
    public String id() {
        return id;
    }

    /** Whether per-pod values add up to a variant value (otherwise they are averaged). */
    public boolean additive() {
        return additive;
    }
}
