package io.gpuautoscaler.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.simulation.Arrivals;
import io.gpuautoscaler.simulation.RateCurve;
import io.gpuautoscaler.simulation.ReplicaModel;
import io.gpuautoscaler.simulation.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Traffic for the real Pod objects of one model, served by the simulator's calibrated replica model in real
 * time: arrivals from a rate curve (Poisson, request sizes from a trace) go to the least-loaded Ready pod; each
 * pod's vLLM counters, gauges and TTFT histogram and its DCGM GPU utilisation are published in one exposition
 * (labelled {@code namespace}/{@code pod}, to be scraped with {@code honor_labels}), as a federating exporter
 * would.
 */
public final class SimulatedFleet implements Supplier<String>, AutoCloseable {

    private static final double STEP = 0.25;
    private static final double[] LE = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0};

    private final String namespace;
    private final String model;
    private final Supplier<List<Pod>> readyPods;
    private final Deque<Request> arrivals;
    private final Deque<Request> unrouted = new ArrayDeque<>();
    private final Map<String, PodState> pods = new LinkedHashMap<>();
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-fleet");
        t.setDaemon(true);
        return t;
    });
    private double now;

    private static final class PodState {
        final ReplicaModel replica = new ReplicaModel(ReplicaModel.Calibration.h100());
        double success;
        double promptTokens;
        double generationTokens;
        final double[] ttftBuckets = new double[LE.length];
        double ttftCount;
        double ttftSum;
        double busyBefore;
        double gpuUtilPercent;
    }

    /** @param curve requests per second over time from now; sizes drawn from {@code sizes} */
    public SimulatedFleet(String namespace, String model, RateCurve curve, List<Request> sizes, long seed,
            Supplier<List<Pod>> readyPods) {
        this.namespace = namespace;
        this.model = model;
        this.readyPods = readyPods;
        this.arrivals = new ArrayDeque<>(Arrivals.fromRates(curve, 1.0, sizes, seed, 1.0));
        timer.scheduleAtFixedRate(this::step, 0, (long) (STEP * 1000), TimeUnit.MILLISECONDS);
    }

    private synchronized void step() {
        double target = (System.nanoTime() - start) / 1e9;
        while (now + STEP <= target) {
            advance();
        }
    }

    private void advance() {
        Map<String, PodState> live = new HashMap<>();
        for (Pod p : readyPods.get()) {
            if (p.getMetadata().getNamespace().equals(namespace)
                    && model.equals(p.getMetadata().getLabels().get(WorkloadLabels.MODEL))) {
                String name = p.getMetadata().getName();
                live.put(name, pods.computeIfAbsent(name, n -> new PodState()));
            }
        }
        for (var it = pods.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!live.containsKey(e.getKey())) {
                unrouted.addAll(e.getValue().replica.drain()); // a removed pod's requests are retried elsewhere
                it.remove();
            }
        }
        double end = now + STEP;
        while (!arrivals.isEmpty() && arrivals.peekFirst().arrivalSeconds() < end) {
            unrouted.addLast(arrivals.pollFirst());
        }
        while (!unrouted.isEmpty() && !pods.isEmpty()) {
            pods.values().stream().min(Comparator.comparingInt(s -> s.replica.waiting() + s.replica.running()))
                    .orElseThrow().replica.enqueue(unrouted.pollFirst());
        }
        for (PodState s : pods.values()) {
            List<ReplicaModel.Served> first = new ArrayList<>();
            for (ReplicaModel.Served done : s.replica.step(now, STEP, first)) {
                s.success++;
                s.generationTokens += done.request().outputTokens();
            }
            for (ReplicaModel.Served f : first) {
                s.promptTokens += f.request().promptTokens();
                s.ttftCount++;
                s.ttftSum += f.ttftSeconds();
                for (int i = 0; i < LE.length; i++) {
                    if (f.ttftSeconds() <= LE[i]) {
                        s.ttftBuckets[i]++;
                    }
                }
            }
            double busy = s.replica.busySeconds();
            s.gpuUtilPercent = Math.min(100, 100 * (busy - s.busyBefore) / STEP);
            s.busyBefore = busy;
        }
        now = end;
    }

    /** Requests that arrived while no pod was Ready and are still waiting for one. */
    public synchronized int unrouted() {
        return unrouted.size();
    }

    @Override
    public synchronized String get() {
        StringBuilder b = new StringBuilder();
        b.append("# TYPE vllm:num_requests_running gauge\n# TYPE vllm:num_requests_waiting gauge\n")
                .append("# TYPE vllm:kv_cache_usage_perc gauge\n# TYPE vllm:request_success_total counter\n")
                .append("# TYPE vllm:prompt_tokens_total counter\n# TYPE vllm:generation_tokens_total counter\n")
                .append("# TYPE vllm:time_to_first_token_seconds histogram\n# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n");
        for (var e : pods.entrySet()) {
            PodState s = e.getValue();
            String l = "namespace=\"" + namespace + "\",pod=\"" + e.getKey() + "\",model_name=\"" + model + "\"";
            line(b, "vllm:num_requests_running", l, s.replica.running());
            line(b, "vllm:num_requests_waiting", l, s.replica.waiting());
            line(b, "vllm:kv_cache_usage_perc", l, Math.min(1, s.replica.running() / 256.0));
            line(b, "vllm:request_success_total", l + ",finished_reason=\"stop\"", s.success);
            line(b, "vllm:prompt_tokens_total", l, s.promptTokens);
            line(b, "vllm:generation_tokens_total", l, s.generationTokens);
            for (int i = 0; i < LE.length; i++) {
                line(b, "vllm:time_to_first_token_seconds_bucket", l + ",le=\"" + LE[i] + "\"", s.ttftBuckets[i]);
            }
            line(b, "vllm:time_to_first_token_seconds_bucket", l + ",le=\"+Inf\"", s.ttftCount);
            line(b, "vllm:time_to_first_token_seconds_count", l, s.ttftCount);
            line(b, "vllm:time_to_first_token_seconds_sum", l, s.ttftSum);
            line(b, "DCGM_FI_DEV_GPU_UTIL", "gpu=\"0\",namespace=\"" + namespace + "\",pod=\"" + e.getKey()
                    + "\",container=\"vllm\"", s.gpuUtilPercent);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String labels, double v) {
        b.append(name).append('{').append(labels).append("} ").append(VllmExporter.num(v)).append('\n');
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
