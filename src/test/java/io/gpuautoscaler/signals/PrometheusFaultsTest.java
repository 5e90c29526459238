package io.gpuautoscaler.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.Autoscaler;
import io.gpuautoscaler.policy.Decision;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.PodKey;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.PolicyState;
import io.gpuautoscaler.policy.ReasonCode;
import io.gpuautoscaler.policy.Signal;
import io.gpuautoscaler.testing.FreePort;
import io.gpuautoscaler.testing.TextServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus down, slow, failing or talking nonsense: every signal unknown, decisions held, no exception. */
@QuarkusTest
class PrometheusFaultsTest {

    @Inject
    PrometheusClients clients;

    static Policy policy(String url) throws Exception {
        return PolicyParser.parse("""
                prometheus: {url: %s, timeout: 400ms}
                models:
                  - name: chat
                    namespace: llm
                    modelId: m
                    variants:
                      - {name: h100, gpuType: H100, pricePerHour: 12.29}
                """.formatted(url));
    }

    FleetReadings read(String url) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FleetReadings r = new PrometheusMetricsSource(clients, meters).read(policy(url), Instant.now());
        double errors = meters.find("gpu_autoscaler_prometheus_query_errors").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertEquals(Signal.values().length, errors, "one error counted per failed signal");
        return r;
    }

    static void assertAllUnknown(FleetReadings r, String error) {
        for (Signal s : Signal.values()) {
            assertTrue(r.failed(s), s + " should be unknown");
            assertTrue(r.error(s).get().contains(error), s + ": " + r.error(s).get());
        }
    }

    @Test
    void unreachablePrometheusMakesEverySignalUnknown() throws Exception {
        assertAllUnknown(read("http://127.0.0.1:" + FreePort.get()), "Connect");
    }

    @Test
    void slowPrometheusTimesOutWithinTheQueryTimeout() throws Exception {
        try (TextServer slow = new TextServer(() -> new TextServer.Answer(200, "application/json", "{}"))) {
            slow.delay(3000);
            long start = System.nanoTime();
            FleetReadings r = read(slow.url());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 2000, "took " + tookMillis + " ms");
            assertAllUnknown(r, "");
        }
    }

    @Test
    void http500MakesEverySignalUnknown() throws Exception {
        try (TextServer broken = new TextServer(() -> new TextServer.Answer(500, "text/plain", "upstream exploded"))) {
            assertAllUnknown(read(broken.url()), "HTTP 500");
        }
    }

    @Test
    void prometheusErrorBodyIsReported() throws Exception {
        try (TextServer bad = new TextServer(() -> new TextServer.Answer(422, "application/json",
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out in expression evaluation\"}"))) {
            assertAllUnknown(read(bad.url()), "HTTP 422: execution: query timed out");
        }
    }

    @Test
    void garbageJsonMakesEverySignalUnknown() throws Exception {
        try (TextServer garbage = new TextServer(() -> new TextServer.Answer(200, "application/json",
                "<html>proxy login</html>"))) {
            assertAllUnknown(read(garbage.url()), "not JSON");
        }
    }

    @Test
    void wrongResultShapeMakesEverySignalUnknown() throws Exception {
        try (TextServer matrix = new TextServer(() -> new TextServer.Answer(200, "application/json",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))) {
            assertAllUnknown(read(matrix.url()), "expected a vector");
        }
    }

    @Test
    void nanSamplesAreUnknownNotZero() throws Exception {
        String nan = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                + "{\"namespace\":\"llm\",\"pod\":\"chat-0\"},\"value\":[1700000000,\"NaN\"]}]}}";
        try (TextServer s = new TextServer(() -> new TextServer.Answer(200, "application/json", nan))) {
            Policy p = policy(s.url());
            FleetReadings r = new PrometheusMetricsSource(clients, new SimpleMeterRegistry()).read(p, Instant.now());
            assertFalse(r.failed(Signal.REQUEST_RATE));
            assertTrue(Double.isNaN(r.pods().get(new PodKey("llm", "chat-0")).get(Signal.REQUEST_RATE)));
            assertTrue(r.value(new PodKey("llm", "chat-0"), Signal.REQUEST_RATE).isEmpty());
            Decision d = decideAfterBusyTick(p, r);
            assertTrue(d.held());
            assertEquals(6, d.desiredReplicas());
        }
    }

    @Test
    void aTickWithPrometheusDownHoldsTheLastDecision() throws Exception {
        Policy p = policy("http://127.0.0.1:" + FreePort.get());
        FleetReadings r = new PrometheusMetricsSource(clients, new SimpleMeterRegistry()).read(p, Instant.now());
        Decision d = decideAfterBusyTick(p, r);
        assertTrue(d.held());
        assertEquals(6, d.desiredReplicas());
        assertTrue(d.reasons().stream().anyMatch(x -> x.code() == ReasonCode.UNKNOWN_SIGNALS_HOLD));
    }

    /** A first tick sees 6 busy pods; the second gets the given readings. */
    private static Decision decideAfterBusyTick(Policy p, FleetReadings second) {
        List<PodInfo> pods = new ArrayList<>();
        Instant t0 = second.at().minusSeconds(15);
        FleetReadings.Builder busy = new FleetReadings.Builder();
        for (int i = 0; i < 6; i++) {
            PodKey k = new PodKey("llm", "chat-" + i);
            pods.add(new PodInfo(k, p.models().get(0).key().variant("h100"), true));
            for (Signal s : Signal.values()) {
                busy.add(s, k, s == Signal.REQUEST_RATE ? 9.0 : s == Signal.SAMPLE_TIMESTAMP ? t0.getEpochSecond() : 0);
            }
        }
        PolicyState s1 = Autoscaler.decide(p, pods, busy.build(t0, Map.of()), PolicyState.empty(), t0).next();
        return Autoscaler.decide(p, pods, second, s1, second.at()).decisions().get(0);
    }
}
