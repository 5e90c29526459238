package io.gpuautoscaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Builders for policy-core tests: models, variants, pods and readings. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private Fixtures() {
    }

    static VariantSpec onDemand(String name, double price) {
        return new VariantSpec(name, "H100", VariantSpec.CapacityType.ON_DEMAND, OptionalDouble.of(price),
                Optional.empty(), 1.0, 1.0, OptionalInt.empty());
    }

    static VariantSpec spot(String name, double price, double maxShare) {
        return new VariantSpec(name, "H100", VariantSpec.CapacityType.SPOT, OptionalDouble.of(price), Optional.empty(),
                maxShare, 1.0, OptionalInt.empty());
    }

    static ModelSpec model(String name, VariantSpec... variants) {
        return model("llm", name, 0, 1, 20, ScalingSettings.defaults(), variants);
    }

    static ModelSpec model(String ns, String name, int priority, int min, int max, ScalingSettings scaling,
            VariantSpec... variants) {
        return model(ns, name, priority, min, max, new ModelSpec.Slo(1.0), scaling, variants);
    }

    /** A model whose SLO is TTFT within 1 s at the given percentile. */
    static ModelSpec model(String name, double sloPercentile, VariantSpec... variants) {
        return model("llm", name, 0, 1, 20, new ModelSpec.Slo(1.0, sloPercentile), ScalingSettings.defaults(),
                variants);
    }

    private static ModelSpec model(String ns, String name, int priority, int min, int max, ModelSpec.Slo slo,
            ScalingSettings scaling, VariantSpec... variants) {
        return new ModelSpec(name, ns, "meta-llama/" + name, name,
                new ModelSpec.EngineSettings("auto", 8192, 0.9, 256, 8192, true, 1), priority, min, max, slo,
                new ModelSpec.Capacity(10, OptionalDouble.empty()), scaling, ModelSpec.Actuation.HPA,
                java.util.Optional.empty(), Workloads.ModelWorkload.defaults(), List.of(variants));
    }

    static Policy policy(Policy.Budget budget, ModelSpec... models) {
        return new Policy(Duration.ofSeconds(15), new Policy.PrometheusSettings("http://127.0.0.1:9090",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(90), Duration.ofMinutes(1)), budget, Workloads.defaults(), List.of(models));
    }

    static Policy policy(ModelSpec... models) {
        return policy(Policy.Budget.unlimited(), models);
    }

    static ScalingSettings scaling() {
        return ScalingSettings.defaults();
    }

    /** A fleet of pods and per-pod values, turned into pods and readings. */
    static final class Fleet {
        final List<PodInfo> pods = new ArrayList<>();
        final Map<Signal, Map<PodKey, Double>> values = new EnumMap<>(Signal.class);
        final Map<PodKey, Double> ttft = new HashMap<>();
        final Map<Signal, String> failed = new EnumMap<>(Signal.class);
        final Map<String, OptionalDouble> prices = new HashMap<>();
        Instant at = T0;

        /** n ready pods of a variant sharing the given per-variant totals evenly. */
        Fleet ready(ModelSpec m, String variant, int n, double requestRate, double waiting) {
            for (int i = 0; i < n; i++) {
                PodKey key = new PodKey(m.namespace(), m.name() + "-" + variant + "-" + pods.size());
                pods.add(new PodInfo(key, m.key().variant(variant), true));
                put(Signal.REQUEST_RATE, key, requestRate / n);
                put(Signal.QUEUE_WAITING, key, waiting / n);
                put(Signal.QUEUE_RUNNING, key, 10);
                put(Signal.PROMPT_TOKEN_RATE, key, requestRate / n * 1000);
                put(Signal.GENERATION_TOKEN_RATE, key, requestRate / n * 200);
                put(Signal.KV_CACHE_USAGE, key, 0.3);
                put(Signal.GPU_UTILIZATION, key, 0.95);
            }
            return this;
        }

        Fleet pending(ModelSpec m, String variant, int n) {
            for (int i = 0; i < n; i++) {
                PodKey key = new PodKey(m.namespace(), m.name() + "-" + variant + "-p" + pods.size());
                pods.add(new PodInfo(key, m.key().variant(variant), false));
            }
            return this;
        }

        /** Sets a signal on every ready pod of the model. */
        Fleet all(ModelSpec m, Signal s, double perPod) {
            for (PodInfo p : pods) {
                if (p.ready() && p.workload().modelKey().equals(m.key())) {
                    put(s, p.key(), perPod);
                }
            }
            return this;
        }

        /** A TTFT histogram on every ready pod of the model: every request took the given time. */
        Fleet ttft(ModelSpec m, double seconds) {
            for (PodInfo p : pods) {
                if (p.ready() && p.workload().modelKey().equals(m.key())) {
                    ttft.put(p.key(), seconds);
                }
            }
            return this;
        }

        Fleet put(Signal s, PodKey pod, double v) {
            values.computeIfAbsent(s, k -> new HashMap<>()).put(pod, v);
            return this;
        }

        Fleet remove(Signal s, PodKey pod) {
            values.getOrDefault(s, new HashMap<>()).remove(pod);
            return this;
        }

        Fleet fail(Signal s) {
            failed.put(s, "HTTP 500");
            return this;
        }

        Fleet at(Instant when) {
            this.at = when;
            return this;
        }

        FleetReadings readings() {
            for (PodInfo p : pods) {
                if (p.ready()) {
                    values.computeIfAbsent(Signal.SAMPLE_TIMESTAMP, k -> new HashMap<>())
                            .putIfAbsent(p.key(), at.getEpochSecond() - 5.0);
                }
            }
            FleetReadings.Builder b = new FleetReadings.Builder();
            values.forEach((s, byPod) -> byPod.forEach((pod, v) -> b.add(s, pod, v)));
            ttft.forEach((pod, seconds) -> {
                for (double le : new double[] {0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY}) {
                    b.ttftBucket(pod, le, le >= seconds ? 1.0 : 0.0);
                }
            });
            failed.forEach(b::fail);
            return b.build(at, prices);
        }
    }

    static Decision only(Autoscaler.Outcome o, String variant) {
        return o.decisions().stream().filter(d -> d.workload().variant().equals(variant)).findFirst().orElseThrow();
    }

    static int total(Autoscaler.Outcome o, String model) {
        return o.decisions().stream().filter(d -> d.workload().model().equals(model))
                .mapToInt(Decision::desiredReplicas).sum();
    }

    static boolean has(Decision d, ReasonCode code) {
        return d.reasons().stream().anyMatch(r -> r.code() == code);
    }
}
