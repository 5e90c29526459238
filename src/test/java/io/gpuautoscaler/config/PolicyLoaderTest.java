package io.gpuautoscaler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.observability.EventRecorder;
import io.gpuautoscaler.testing.FakeMetricsSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    static final PolicyOrigin.ConfigMapRef CM = new PolicyOrigin.ConfigMapRef("ops", "policy", "uid-1", "7");
    static final PolicyOrigin ORIGIN = new PolicyOrigin("configmap ops/policy@7", Optional.of(CM));

    final List<String> events = new ArrayList<>();
    final FakeMetricsSource metrics = new FakeMetricsSource();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PolicyLoader loader;

    @BeforeEach
    void setUp() {
        loader = new PolicyLoader();
        loader.store = new PolicyStore();
        loader.metrics = metrics;
        loader.meters = meters;
        loader.clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
        loader.events = new EventRecorder() {
            @Override
            public void policyRejected(PolicyOrigin.ConfigMapRef configMap, List<String> problems) {
                events.add("rejected " + configMap.name() + ": " + problems);
            }

            @Override
            public void policyAccepted(PolicyOrigin.ConfigMapRef configMap, int models) {
                events.add("accepted " + configMap.name());
            }

            @Override
            public void modelNotDeployed(PolicyOrigin.ConfigMapRef configMap, String model, String error) {
                events.add("not deployed " + model);
            }
        };
    }

    static String withPriceQuery(String query) {
        return PolicyParserTest.MINIMAL.replace("pricePerHour: 5.5", "priceQuery: '" + query + "'");
    }

    @Test
    void aPriceQueryThatReturnsNothingRejectsThePolicyAndKeepsTheLastGoodOne() {
        metrics.prices.put("good", OptionalDouble.of(4.2));
        assertTrue(loader.load(withPriceQuery("good"), ORIGIN));
        assertFalse(loader.load(withPriceQuery("empty"), ORIGIN));
        assertEquals(List.of("models[0].variants[1].priceQuery: returned no value (empty)"),
                loader.store.lastRejection().get().problems());
        assertEquals("good", loader.store.current().get().policy().models().get(0).variants().get(1).priceQuery()
                .get());
        assertEquals(List.of("accepted policy", "rejected policy: [models[0].variants[1].priceQuery: returned no value "
                + "(empty)]"), events);
        assertEquals(1.0, meters.counter("gpu_autoscaler_policy_reloads", "result", "rejected").count());
    }

    @Test
    void anUnreachablePrometheusDoesNotBlockAPolicy() {
        metrics.unavailable = true;
        assertTrue(loader.load(withPriceQuery("anything"), ORIGIN));
    }

    @Test
    void invalidYamlIsRejectedWithEveryProblem() {
        assertFalse(loader.load("models: [", ORIGIN));
        assertTrue(loader.store.current().isEmpty());
        assertTrue(events.get(0).startsWith("rejected policy: [policy.yaml: not valid YAML"), events.toString());
    }

    @Test
    void aFileOriginRecordsNoEvent() {
        assertFalse(loader.load("models: 3", PolicyOrigin.file("/tmp/p.yaml")));
        assertTrue(events.isEmpty());
        assertEquals("file /tmp/p.yaml", loader.store.lastRejection().get().origin());
    }
}
