package io.gpuautoscaler.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.policy.RateHistory;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ADR 0013's rate history for 1,000 models with a full hour of it: a reading appended and the typical rise read
 * for every model, each tick (the policy reads the rise only when it considers a release).
 * Run: {@code ./mvnw -Pbench test -Dtest=RateHistoryBenchmark}; results in docs/benchmarks.md.
 */
@Tag("benchmark")
class RateHistoryBenchmark {

    @Test
    void aTickOfRateHistoryForAThousandModels() {
        Instant t0 = Instant.ofEpochSecond(1_800_000_000L);
        RateHistory[] models = new RateHistory[1000];
        for (int m = 0; m < models.length; m++) {
            models[m] = RateHistory.EMPTY;
            for (int i = 0; i < 300; i++) { // 75 minutes of 15-second ticks
                models[m] = models[m].with(t0.plusSeconds(15L * i), 100 + i % 7);
            }
        }
        long[] nanos = new long[63];
        double sink = 0;
        for (int tick = 0; tick < nanos.length; tick++) {
            Instant t = t0.plusSeconds(15L * (300 + tick));
            long start = System.nanoTime();
            for (int m = 0; m < models.length; m++) {
                models[m] = models[m].with(t, 100 + tick % 5);
                sink += models[m].typicalRise();
            }
            nanos[tick] = System.nanoTime() - start;
        }
        TickBenchmark.report("rate history, 1,000 models, an hour each (append + typical rise)", nanos);
        assertTrue(sink >= models.length * nanos.length, "a rise is at least 1");
    }
}
