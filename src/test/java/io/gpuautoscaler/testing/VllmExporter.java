package io.gpuautoscaler.testing;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The {@code /metrics} text of one vLLM pod, in vLLM's exact format (prometheus_client), with counters that
 * grow at the configured rates from the moment the exporter was created. Mutable from the test.
 */
public final class VllmExporter implements Supplier<String> {

    static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5,
        5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};

    private final String model;
    private final long start = System.nanoTime();
    public volatile double waiting;
    public volatile double running = 4;
    public volatile double requestsPerSecond = 5;
    public volatile double promptTokensPerRequest = 1000;
    public volatile double outputTokensPerRequest = 200;
    public volatile double kvCacheUsage = 0.3;
    /** Every request's TTFT, in seconds. */
    public volatile double ttftSeconds = 0.3;
    /** Publish {@code vllm:gpu_cache_usage_perc} (vLLM before 0.9.2) instead of {@code kv_cache_usage_perc}. */
    public volatile boolean oldNames;
    /** Publish NaN for the queue gauges (a broken exporter). */
    public volatile boolean nanGauges;
    /** LoRA adapters with running requests, comma-separated as vLLM writes them; null: no LoRA. */
    public volatile String runningLora;

    public VllmExporter(String model) {
        this.model = model;
    }

    @Override
    public String get() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double requests = requestsPerSecond * elapsed;
        String l = "engine=\"0\",model_name=\"" + model + "\"";
        StringBuilder b = new StringBuilder();
        gauge(b, "vllm:num_requests_running", "Number of requests in model execution batches.", l,
                nanGauges ? Double.NaN : running);
        gauge(b, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", l,
                nanGauges ? Double.NaN : waiting);
        gauge(b, oldNames ? "vllm:gpu_cache_usage_perc" : "vllm:kv_cache_usage_perc",
                "KV-cache usage. 1 means 100 percent usage.", l, kvCacheUsage);
        counter(b, "vllm:prompt_tokens", "Number of prefill tokens processed.", l, requests * promptTokensPerRequest);
        counter(b, "vllm:generation_tokens", "Number of generation tokens processed.", l,
                requests * outputTokensPerRequest);
        b.append("# HELP vllm:request_success_total Count of successfully processed requests.\n")
                .append("# TYPE vllm:request_success_total counter\n");
        b.append("vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"").append(model)
                .append("\"} ").append(num(requests * 0.9)).append('\n');
        b.append("vllm:request_success_total{engine=\"0\",finished_reason=\"length\",model_name=\"").append(model)
                .append("\"} ").append(num(requests * 0.1)).append('\n');
        b.append("vllm:request_success_total{engine=\"0\",finished_reason=\"abort\",model_name=\"").append(model)
                .append("\"} 0.0\n");
        if (runningLora != null) {
            b.append("# HELP vllm:lora_requests_info Running stats on lora requests.\n")
                    .append("# TYPE vllm:lora_requests_info gauge\n")
                    .append("vllm:lora_requests_info{max_lora=\"4\",running_lora_adapters=\"").append(runningLora)
                    .append("\",waiting_lora_adapters=\"\"} ").append(num(System.currentTimeMillis() / 1e3))
                    .append('\n');
        }
        b.append("# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.\n")
                .append("# TYPE vllm:time_to_first_token_seconds histogram\n");
        for (double le : TTFT_BUCKETS) {
            b.append("vllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"").append(le)
                    .append("\",model_name=\"").append(model).append("\"} ")
                    .append(num(ttftSeconds <= le ? requests : 0)).append('\n');
        }
        b.append("vllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"+Inf\",model_name=\"").append(model)
                .append("\"} ").append(num(requests)).append('\n');
        b.append("vllm:time_to_first_token_seconds_count{").append(l).append("} ").append(num(requests)).append('\n');
        b.append("vllm:time_to_first_token_seconds_sum{").append(l).append("} ").append(num(requests * ttftSeconds))
                .append('\n');
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append('{').append(labels).append("} ").append(num(v)).append('\n');
    }

    private static void counter(StringBuilder b, String base, String help, String labels, double v) {
        b.append("# HELP ").append(base).append("_total ").append(help).append('\n');
        b.append("# TYPE ").append(base).append("_total counter\n");
        b.append(base).append("_total{").append(labels).append("} ").append(num(v)).append('\n');
    }

    static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v);
    }
}
