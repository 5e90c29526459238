package io.gpuautoscaler.bench;

import io.gpuautoscaler.policy.Autoscaler;
import io.gpuautoscaler.policy.FleetReadings;
import io.gpuautoscaler.policy.PodInfo;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.PolicyState;
import io.gpuautoscaler.policy.Signal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The policy computation alone for 1,000 models x 4 variants x 8 pods, from readings already in memory.
 * Run: {@code ./mvnw -Pbench test -Dtest=PolicyBenchmark}; results in docs/benchmarks.md.
 */
@Tag("benchmark")
class PolicyBenchmark {

    static final double[] LES = {0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
        40.0, 80.0, 160.0, 640.0, 2560.0, Double.POSITIVE_INFINITY};

    @Test
    void decideForAThousandModels() {
        Policy policy = TickBenchmark.policy("http://127.0.0.1:1");
        List<PodInfo> pods = TickBenchmark.pods(policy);
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        FleetReadings r = readings(pods, now);
        long[] nanos = new long[TickBenchmark.RUNS * 3];
        PolicyState state = PolicyState.empty();
        for (int i = 0; i < nanos.length; i++) {
            Instant t = now.plusSeconds(15L * i);
            FleetReadings at = new FleetReadings(t, r.pods(), r.failures(), r.scalars());
            long t0 = System.nanoTime();
            Autoscaler.Outcome o = Autoscaler.decide(policy, pods, at, state, t);
            nanos[i] = System.nanoTime() - t0;
            state = o.next();
        }
        TickBenchmark.report("policy computation, readings in memory (Autoscaler.decide)", nanos);
    }

    static FleetReadings readings(List<PodInfo> pods, Instant now) {
        FleetReadings.Builder b = new FleetReadings.Builder();
        for (PodInfo p : pods) {
            for (Signal s : Signal.values()) {
                b.add(s, p.key(), s == Signal.SAMPLE_TIMESTAMP ? now.getEpochSecond() + 1e6 : 1.5);
            }
            for (int i = 0; i < LES.length; i++) {
                b.ttftBucket(p.key(), LES[i], 2.0 * (i + 1));
            }
        }
        return b.build(now, Map.of("max(spot_price)", OptionalDouble.of(4.2)));
    }
}
