package io.gpuautoscaler.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.Histogram;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.PodKey;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.Signal;
import io.gpuautoscaler.policy.SignalAggregator;
import io.gpuautoscaler.policy.VariantSignals;
import io.gpuautoscaler.testing.DcgmExporter;
import io.gpuautoscaler.testing.PrometheusServer;
import io.gpuautoscaler.testing.PrometheusServer.Job;
import io.gpuautoscaler.testing.PrometheusServer.Target;
import io.gpuautoscaler.testing.TextServer;
import io.gpuautoscaler.testing.VllmExporter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signals read from a real Prometheus scraping exporters that serve vLLM's and DCGM's exact text formats:
 * new and old metric names, {@code pod} and {@code exported_pod}, histograms, prices.
 */
@QuarkusTest
class PrometheusSignalsTest {

    static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
    static final PodKey H100_0 = new PodKey("llm", "chat-h100-0");
    static final PodKey H100_1 = new PodKey("llm", "chat-h100-1");
    static final PodKey SPOT_0 = new PodKey("llm", "chat-spot-0");

    static VllmExporter vllm0 = new VllmExporter(MODEL);
    static VllmExporter vllm1 = new VllmExporter(MODEL);
    static VllmExporter vllmOld = new VllmExporter(MODEL);
    static List<TextServer> servers;
    static TextServer pod1Server;
    static PrometheusServer prometheus;

    @Inject
    PrometheusClients clients;

    @BeforeAll
    static void startPrometheus() {
        vllm0.waiting = 3;
        vllm1.requestsPerSecond = 8;
        vllm1.ttftSeconds = 1.8;
        vllmOld.oldNames = true;
        vllm0.runningLora = "sql,support";
        vllm1.runningLora = "sql";
        vllmOld.kvCacheUsage = 0.7;
        TextServer s0 = TextServer.prometheusText(vllm0);
        pod1Server = TextServer.prometheusText(vllm1);
        TextServer sOld = TextServer.prometheusText(vllmOld);
        // Node A's DCGM exporter is scraped with honor_labels (its pod label survives)...
        TextServer dcgmA = TextServer.prometheusText(new DcgmExporter("node-a", "llm").gpu("chat-h100-0", 97)
                .gpu("chat-h100-1", 95));
        // ...node B's without it: its pod label becomes exported_pod, pod names the exporter.
        DcgmExporter b = new DcgmExporter("node-b", "llm").gpu("chat-spot-0", 50);
        b.profilingMetric = true;
        TextServer dcgmB = TextServer.prometheusText(b);
        TextServer prices = TextServer.prometheusText(() -> "# TYPE cloud_provider_cost_per_hour gauge\n"
                + "cloud_provider_cost_per_hour{gpu=\"H100\",type=\"spot\"} 4.2\n"
                + "cloud_provider_cost_per_hour{gpu=\"H100\",type=\"on-demand\"} 12.29\n");
        servers = List.of(s0, pod1Server, sOld, dcgmA, dcgmB, prices);
        prometheus = PrometheusServer.start(List.of(
                new Job("vllm", false, List.of(new Target(s0.port(), "llm", "chat-h100-0"),
                        new Target(pod1Server.port(), "llm", "chat-h100-1"),
                        new Target(sOld.port(), "llm", "chat-spot-0"))),
                new Job("dcgm-honor", true, List.of(new Target(dcgmA.port(), "gpu-operator", "dcgm-exporter-a"))),
                new Job("dcgm", false, List.of(new Target(dcgmB.port(), "gpu-operator", "dcgm-exporter-b"))),
                new Job("opencost", true, List.of(new Target(prices.port(), "opencost", "opencost-0")))));
        prometheus.awaitSeries("sum by (pod) (rate(vllm:request_success_total[1m]))", 3, Duration.ofSeconds(30));
        prometheus.awaitSeries("DCGM_FI_DEV_GPU_UTIL or DCGM_FI_PROF_GR_ENGINE_ACTIVE", 3, Duration.ofSeconds(30));
        prometheus.awaitSeries("cloud_provider_cost_per_hour", 2, Duration.ofSeconds(30));
        // rate() only covers the time a series has existed: wait for one full 10 s window of samples.
        prometheus.awaitSeries("count_over_time(vllm:num_requests_running[10s]) >= 10", 3, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        servers.forEach(TextServer::close);
    }

    Policy policy(String priceQueries) throws Exception {
        return PolicyParser.parse("""
                prometheus:
                  url: %s
                  timeout: 3s
                  rateWindow: 10s
                models:
                  - name: chat
                    namespace: llm
                    modelId: %s
                    variants:
                      - name: h100
                        gpuType: H100
                        pricePerHour: 12.29
                      - name: spot
                        gpuType: H100
                        capacityType: spot
                        maxShare: 0.5
                        priceQuery: %s
                """.formatted(prometheus.url(), MODEL, priceQueries));
    }

    @Test
    void readsEverySignalOfEveryPodWithOneQueryPerSignal() throws Exception {
        PrometheusMetricsSource source = new PrometheusMetricsSource(clients, new SimpleMeterRegistry());
        Policy policy = policy("'cloud_provider_cost_per_hour{type=\"spot\"}'");
        FleetReadings r = source.read(policy, Instant.now());

        // 9 per-pod signals + 1 batched price query, however many pods and models.
        assertEquals(Signal.values().length + 1, source.queriesSent());
        assertEquals(3.0, r.value(H100_0, Signal.QUEUE_WAITING).getAsDouble());
        assertEquals(4.0, r.value(H100_1, Signal.QUEUE_RUNNING).getAsDouble());
        assertEquals(5.0, r.value(H100_0, Signal.REQUEST_RATE).getAsDouble(), 0.5);
        assertEquals(8.0, r.value(H100_1, Signal.REQUEST_RATE).getAsDouble(), 0.8);
        assertEquals(5000.0, r.value(H100_0, Signal.PROMPT_TOKEN_RATE).getAsDouble(), 500);
        assertEquals(1000.0, r.value(H100_0, Signal.GENERATION_TOKEN_RATE).getAsDouble(), 100);
        assertEquals(0.3, r.value(H100_0, Signal.KV_CACHE_USAGE).getAsDouble(), 1e-9);
        assertEquals(0.7, r.value(SPOT_0, Signal.KV_CACHE_USAGE).getAsDouble(), 1e-9, "old vLLM name");
        assertEquals(0.97, r.value(H100_0, Signal.GPU_UTILIZATION).getAsDouble(), 1e-9, "pod, honor_labels");
        assertEquals(0.50, r.value(SPOT_0, Signal.GPU_UTILIZATION).getAsDouble(), 1e-9, "exported_pod, profiling metric");
        assertTrue(r.value(new PodKey("gpu-operator", "dcgm-exporter-b"), Signal.GPU_UTILIZATION).isEmpty());
        double age = Instant.now().toEpochMilli() / 1e3 - r.value(H100_0, Signal.SAMPLE_TIMESTAMP).getAsDouble();
        assertTrue(age >= 0 && age < 5, "sample age " + age);
        Histogram slow = r.pods().get(H100_1).ttft();
        assertEquals(1.8, slow.quantile(0.95).getAsDouble(), 0.7 + 1e-9, "inside the (1, 2.5] bucket");
        assertEquals(4.2, r.scalars().get("cloud_provider_cost_per_hour{type=\"spot\"}").getAsDouble(), 1e-9);
        assertEquals(java.util.Set.of("sql", "support"), r.pods().get(H100_0).runningAdapters());
        assertEquals(java.util.Set.of(), r.pods().get(SPOT_0).runningAdapters(), "no LoRA on that pod");
    }

    @Test
    void aggregatesPodsIntoVariantSignalsWithAQuantilePerVariant() throws Exception {
        PrometheusMetricsSource source = new PrometheusMetricsSource(clients, new SimpleMeterRegistry());
        Policy policy = policy("'cloud_provider_cost_per_hour{type=\"spot\"}'");
        FleetReadings r = source.read(policy, Instant.now());
        List<PodInfo> pods = List.of(new PodInfo(H100_0, policy.models().get(0).key().variant("h100"), true),
                new PodInfo(H100_1, policy.models().get(0).key().variant("h100"), true),
                new PodInfo(SPOT_0, policy.models().get(0).key().variant("spot"), true));
        Map<String, VariantSignals> v = SignalAggregator.perVariant(policy.models().get(0), pods, r,
                policy.prometheus().staleAfter());
        VariantSignals h100 = v.get("h100");
        assertEquals(13.0, h100.get(Signal.REQUEST_RATE).getAsDouble(), 1.3);
        assertEquals(0.96, h100.get(Signal.GPU_UTILIZATION).getAsDouble(), 1e-9);
        // Half of h100's requests take 0.3 s, half 1.8 s (weighted 5:8): p95 lies in the slow pod's bucket.
        assertTrue(h100.ttftP95().getAsDouble() > 1.0, h100.toString());
        assertTrue(v.get("spot").ttftP95().getAsDouble() < 0.5);
        assertEquals(Map.of("sql", new VariantSignals.AdapterActivity(2, 0), "support",
                new VariantSignals.AdapterActivity(1, 0)), h100.adapters(), "traffic attributed per adapter");
    }

    @Test
    void aPriceQueryThatMatchesNothingIsUnknownAndReportedByTheProbe() throws Exception {
        PrometheusMetricsSource source = new PrometheusMetricsSource(clients, new SimpleMeterRegistry());
        Policy policy = policy("'cloud_provider_cost_per_hour{type=\"preemptible\"}'");
        assertTrue(source.read(policy, Instant.now()).scalars().isEmpty());
        assertTrue(source.probePrices(policy).get("cloud_provider_cost_per_hour{type=\"preemptible\"}").isEmpty());
        Policy broken = policy("'cloud_provider_cost_per_hour{'");
        assertTrue(source.probePrices(broken).get("cloud_provider_cost_per_hour{").isEmpty(), "bad PromQL");
        Policy good = policy("'cloud_provider_cost_per_hour{type=\"spot\"}'");
        assertEquals(4.2, source.probePrices(good).values().iterator().next().getAsDouble(), 1e-9);
    }

    @Test
    void aPodThatStopsReportingDisappearsInsteadOfReadingZero() throws Exception {
        VllmExporter gone = new VllmExporter(MODEL);
        try (TextServer s = TextServer.prometheusText(gone);
                PrometheusServer own = PrometheusServer.start(List.of(new Job("vllm", false,
                        List.of(new Target(s.port(), "llm", "chat-h100-9")))))) {
            own.awaitSeries("vllm:num_requests_running", 1, Duration.ofSeconds(30));
            s.close();
            // The failed scrape writes staleness markers: the series vanishes, it does not become 0.
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String body;
            do {
                Thread.sleep(300);
                body = own.query("vllm:num_requests_running");
            } while (body.contains("chat-h100-9") && System.nanoTime() < deadline);
            Policy policy = PolicyParser.parse("""
                    prometheus: {url: %s}
                    models:
                      - {name: chat, namespace: llm, modelId: m, variants: [{name: h100, gpuType: H100, pricePerHour: 1}]}
                    """.formatted(own.url()));
            FleetReadings r = new PrometheusMetricsSource(clients, new SimpleMeterRegistry()).read(policy,
                    Instant.now());
            assertFalse(r.failed(Signal.QUEUE_RUNNING));
            assertTrue(r.value(new PodKey("llm", "chat-h100-9"), Signal.QUEUE_RUNNING).isEmpty());
            VariantSignals v = SignalAggregator.perVariant(policy.models().get(0), List.of(new PodInfo(
                    new PodKey("llm", "chat-h100-9"), policy.models().get(0).key().variant("h100"), true)), r,
                    policy.prometheus().staleAfter()).get("h100");
            assertTrue(v.get(Signal.REQUEST_RATE).isEmpty(), v.toString());
        }
    }
}
