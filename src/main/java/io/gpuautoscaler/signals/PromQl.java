package io.gpuautoscaler.signals;

import io.gpuautoscaler.policy.Signal;
import java.time.Duration;
import java.util.List;

/**
 * The PromQL of each signal: one query for the whole fleet, grouped by pod. Both {@code pod} and
 * {@code exported_pod} (scraped without {@code honor_labels}) are kept; {@link PodLabels} picks one.
 * Old and new metric names are joined with {@code or}.
 */
final class PromQl {

    static final String BY_POD = "namespace, pod, exported_namespace, exported_pod";
    static final String SCALAR_LABEL = "gpu_autoscaler_query";

    private PromQl() {
    }

    static String query(Signal signal, Duration rateWindow) {
        String w = "[" + rateWindow.toSeconds() + "s]";
        return switch (signal) {
            case QUEUE_WAITING -> sum("vllm:num_requests_waiting");
            case QUEUE_RUNNING -> sum("vllm:num_requests_running");
            case REQUEST_RATE -> sum("rate(vllm:request_success_total" + w + ")");
            case PROMPT_TOKEN_RATE -> sum("rate(vllm:prompt_tokens_total" + w + ")");
            case GENERATION_TOKEN_RATE -> sum("rate(vllm:generation_tokens_total" + w + ")");
            case KV_CACHE_USAGE -> "avg by (" + BY_POD + ") (vllm:kv_cache_usage_perc) or avg by (" + BY_POD
                    + ") (vllm:gpu_cache_usage_perc)";
            case GPU_UTILIZATION -> "avg by (" + BY_POD + ") (DCGM_FI_DEV_GPU_UTIL) / 100 or avg by (" + BY_POD
                    + ") (DCGM_FI_PROF_GR_ENGINE_ACTIVE)";
            case SAMPLE_TIMESTAMP -> "max by (" + BY_POD + ") (timestamp(vllm:num_requests_running))";
            case TTFT_BUCKETS -> "sum by (" + BY_POD + ", le) (rate(vllm:time_to_first_token_seconds_bucket" + w
                    + "))";
            case LORA_ADAPTERS -> "max by (" + BY_POD + ", running_lora_adapters, waiting_lora_adapters) "
                    + "(vllm:lora_requests_info)";
        };
    }

    private static String sum(String expr) {
        return "sum by (" + BY_POD + ") (" + expr + ")";
    }

    /** All price queries in one: each query's max, tagged with its index. */
    static String scalars(List<String> queries) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < queries.size(); i++) {
            if (i > 0) {
                q.append(" or ");
            }
            q.append("label_replace(max(").append(queries.get(i)).append("), \"").append(SCALAR_LABEL)
                    .append("\", \"").append(i).append("\", \"\", \"\")");
        }
        return q.toString();
    }
}
