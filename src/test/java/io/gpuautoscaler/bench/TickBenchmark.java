package io.gpuautoscaler.bench;

import io.gpuautoscaler.policy.Autoscaler;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.PodKey;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.PolicyState;
import io.gpuautoscaler.policy.ScalingSettings;
import io.gpuautoscaler.policy.Signal;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.signals.PrometheusClients;
import io.gpuautoscaler.signals.PrometheusMetricsSource;
import io.gpuautoscaler.testing.TextServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One tick for 1,000 models x 4 variants x 8 pods: Prometheus queries sent, time to read and parse the
 * answers (from a fake Prometheus serving answers of the real size), and the policy computation.
 * Run: {@code ./mvnw -Pbench test -Dtest=TickBenchmark}; results in docs/benchmarks.md.
 */
@QuarkusTest
@Tag("benchmark")
class TickBenchmark {

    static final int MODELS = 1000;
    static final int VARIANTS = 4;
    static final int PODS = 8;
    static final int RUNS = 21;

    @Inject
    PrometheusClients clients;

    @Test
    void oneTickOfAThousandModels() {
        Policy policy = policy("http://127.0.0.1:1");
        List<PodInfo> pods = pods(policy);
        String vector = vector(pods, false);
        String buckets = vector(pods, true);
        String prices = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                + "{\"gpu_autoscaler_query\":\"0\"},\"value\":[1,\"4.2\"]}]}}";
        try (TextServer prometheus = new TextServer(() -> null)) {
            prometheus.answer(() -> new TextServer.Answer(200, "application/json", vector));
            // TTFT buckets are the biggest answer; serve them when asked for by the query text.
            Policy p = policy(prometheus.url());
            PrometheusMetricsSource source = new PrometheusMetricsSource(clients, new SimpleMeterRegistry());
            RoutingAnswers routes = new RoutingAnswers(vector, buckets, prices);
            prometheus.answer(routes);

            long[] readNanos = new long[RUNS];
            long[] decideNanos = new long[RUNS];
            int requestsPerTick = 0;
            PolicyState state = PolicyState.empty();
            List<Decision> last = List.of();
            for (int i = 0; i < RUNS; i++) {
                int before = prometheus.requests();
                Instant now = Instant.ofEpochSecond(1_800_000_000L + i * 15L);
                long t0 = System.nanoTime();
                FleetReadings r = source.read(p, now);
                long t1 = System.nanoTime();
                Autoscaler.Outcome o = Autoscaler.decide(p, pods, r, state, now);
                long t2 = System.nanoTime();
                state = o.next();
                last = o.decisions();
                readNanos[i] = t1 - t0;
                decideNanos[i] = t2 - t1;
                requestsPerTick = prometheus.requests() - before;
            }
            long held = last.stream().filter(Decision::held).count();
            System.out.printf("%nBENCH tick: %d models x %d variants x %d pods = %d pods, %d decisions (%d held)%n",
                    MODELS, VARIANTS, PODS, pods.size(), last.size(), held);
            System.out.printf("BENCH prometheus queries per tick: %d (signals: %d + 1 price query)%n",
                    requestsPerTick, Signal.values().length);
            System.out.printf("BENCH answer sizes: %d KiB per per-pod signal, %d KiB TTFT buckets%n",
                    vector.length() / 1024, buckets.length() / 1024);
            report("read+parse all signals", readNanos);
            report("policy computation (Autoscaler.decide)", decideNanos);
        }
    }

    static void report(String what, long[] nanos) {
        long[] warm = Arrays.copyOfRange(nanos, 1, nanos.length);
        Arrays.sort(warm);
        System.out.printf("BENCH %s: median %.1f ms, min %.1f ms, max %.1f ms over %d warm runs (first %.1f ms)%n",
                what, warm[warm.length / 2] / 1e6, warm[0] / 1e6, warm[warm.length - 1] / 1e6, warm.length,
                nanos[0] / 1e6);
    }

    /** Answers by query text: TTFT buckets, prices, or a per-pod vector. */
    static final class RoutingAnswers implements java.util.function.Supplier<TextServer.Answer> {
        final String vector;
        final String buckets;
        final String prices;

        RoutingAnswers(String vector, String buckets, String prices) {
            this.vector = vector;
            this.buckets = buckets;
            this.prices = prices;
        }

        @Override
        public TextServer.Answer get() {
            String body = switch (TextServer.lastBody().contains("time_to_first_token") ? 1
                    : TextServer.lastBody().contains("gpu_autoscaler_query") ? 2 : 0) {
                case 1 -> buckets;
                case 2 -> prices;
                default -> vector;
            };
            return new TextServer.Answer(200, "application/json", body);
        }
    }

    static Policy policy(String url) {
        List<ModelSpec> models = new ArrayList<>();
        for (int m = 0; m < MODELS; m++) {
            List<VariantSpec> variants = new ArrayList<>();
            for (int v = 0; v < VARIANTS; v++) {
                boolean spot = v % 2 == 1;
                variants.add(new VariantSpec("v" + v, v < 2 ? "H100" : "A100",
                        spot ? VariantSpec.CapacityType.SPOT : VariantSpec.CapacityType.ON_DEMAND,
                        OptionalDouble.of(spot ? 5.5 : 12.29 / (v < 2 ? 1 : 3)),
                        v == 1 ? Optional.of("max(spot_price)") : Optional.empty(), spot ? 0.5 : 1.0,
                        v < 2 ? 1.0 : 0.5, OptionalInt.empty()));
            }
            models.add(new ModelSpec("model-" + m, "ns-" + (m % 50), "org/model-" + m, "model-" + m,
                    new ModelSpec.EngineSettings("auto", 8192, 0.9, 256, 8192, true, 1), m % 10, 1, 64,
                    new ModelSpec.Slo(1.0), new ModelSpec.Capacity(10, OptionalDouble.of(12000)),
                    ScalingSettings.defaults(), ModelSpec.Actuation.HPA, Optional.empty(), io.gpuautoscaler.policy.Workloads.ModelWorkload.defaults(), variants));
        }
        return new Policy(Duration.ofSeconds(15), new Policy.PrometheusSettings(url, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(10), Duration.ofDays(36500),
                Duration.ofMinutes(1)), new Policy.Budget(OptionalDouble.of(150_000), java.util.Map.of()),
                io.gpuautoscaler.policy.Workloads.defaults(), models);
    }

    static List<PodInfo> pods(Policy policy) {
        List<PodInfo> pods = new ArrayList<>();
        for (ModelSpec m : policy.models()) {
            for (VariantSpec v : m.variants()) {
                for (int i = 0; i < PODS; i++) {
                    pods.add(new PodInfo(new PodKey(m.namespace(), m.name() + "-" + v.name() + "-" + i),
                            m.key().variant(v.name()), i < PODS - 1));
                }
            }
        }
        return pods;
    }

    /** A Prometheus vector answer with one series per pod (or one per pod and bucket). */
    static String vector(List<PodInfo> pods, boolean buckets) {
        String[] les = {"0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0",
            "7.5", "10.0", "20.0", "40.0", "80.0", "160.0", "640.0", "2560.0", "+Inf"};
        StringBuilder b = new StringBuilder(pods.size() * (buckets ? 2400 : 120));
        b.append("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        boolean first = true;
        for (PodInfo p : pods) {
            for (int i = 0; i < (buckets ? les.length : 1); i++) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append("{\"metric\":{\"namespace\":\"").append(p.key().namespace()).append("\",\"pod\":\"")
                        .append(p.key().pod()).append('"');
                if (buckets) {
                    b.append(",\"le\":\"").append(les[i]).append('"');
                }
                // Timestamps in the far future keep every sample fresh whatever the bench's clock.
                b.append("},\"value\":[1800000000,\"").append(buckets ? 2.0 * (i + 1) : 1.7e9 + 3.25).append("\"]}");
            }
        }
        return b.append("]}}").toString();
    }
}
