package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpuautoscaler.simulation.HpaEmulator.Observation;
import io.gpuautoscaler.simulation.HpaEmulator.Policy;
import io.gpuautoscaler.simulation.HpaEmulator.Rules;
import io.gpuautoscaler.simulation.HpaEmulator.Spec;
import io.gpuautoscaler.simulation.HpaEmulator.TargetType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upstream controller's documented behaviour, case by case. */
class HpaEmulatorTest {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    static Spec averageValue(double target, int min, int max) {
        return new Spec(min, max, List.of(TargetType.AVERAGE_VALUE), List.of(target), Rules.defaultUp(),
                Rules.defaultDown());
    }

    static Observation pods(int replicas, double metric) {
        return new Observation(replicas, replicas, replicas, List.of(OptionalDouble.of(metric)));
    }

    @ParameterizedTest(name = "{0} pods, sum {1} -> {2}")
    @CsvSource({
        "10, 10.99, 10",  // ratio 1.099: within the default tolerance of 0.1, nothing happens
        "10, 11.0, 11",   // 1.1 exactly: in float64, |1 - 1.1| = 0.10000000000000009 > 0.1, as in Go
        "10, 10.5, 10",
        "10, 11.01, 12",  // outside: ceil(sum / target)
        "10, 9.0, 10",    // ratio 0.9: within tolerance
        "10, 8.9, 9",
        "4, 4.0, 4",
    })
    void averageValueScalesToTheSumOverTheTargetOutsideTheTolerance(int replicas, double sum, int expected) {
        assertEquals(expected, new HpaEmulator(averageValue(1, 1, 100)).sync(pods(replicas, sum), T0));
    }

    @Test
    void zeroTolerancePerDirectionLetsEveryChangeThrough() {
        Rules up = new Rules(Duration.ZERO, true, false, List.of(new Policy(true, 1000, Duration.ofSeconds(15))),
                OptionalDouble.of(0));
        Rules down = new Rules(Duration.ZERO, true, false, List.of(new Policy(true, 100, Duration.ofSeconds(15))),
                OptionalDouble.of(0));
        HpaEmulator hpa = new HpaEmulator(new Spec(1, 100, List.of(TargetType.AVERAGE_VALUE), List.of(1.0), up, down));
        assertEquals(11, hpa.sync(pods(10, 11), T0));
        assertEquals(9, hpa.sync(pods(10, 9), T0.plusSeconds(15)));
    }

    @Test
    void scaleUpIsLimitedToTheLargerOfFourPodsAndDoubling() {
        assertEquals(6, new HpaEmulator(averageValue(1, 1, 100)).sync(pods(2, 20), T0));
        assertEquals(20, new HpaEmulator(averageValue(1, 1, 100)).sync(pods(10, 25), T0));
        HpaEmulator hpa = new HpaEmulator(averageValue(1, 1, 100));
        assertEquals(6, hpa.sync(pods(2, 40), T0));
        // Within the same 15 s period the events already count: the limit stays max(2 + 4, 2 x 2).
        assertEquals(6, hpa.sync(pods(6, 40), T0.plusSeconds(5)));
        assertEquals(12, hpa.sync(pods(6, 40), T0.plusSeconds(16)));
    }

    @Test
    void scaleDownTakesTheHighestRecommendationOfTheLastFiveMinutes() {
        HpaEmulator hpa = new HpaEmulator(averageValue(1, 1, 100));
        assertEquals(10, hpa.sync(pods(10, 10), T0));
        for (int t = 15; t < 300; t += 15) {
            assertEquals(10, hpa.sync(pods(10, 5), T0.plusSeconds(t)), "t=" + t);
        }
        // The window is (now - 300 s, now]: the recommendation of t=0 leaves it at t=300.
        assertEquals(5, hpa.sync(pods(10, 5), T0.plusSeconds(300)));
    }

    @Test
    void scaleDownRatePoliciesCountEarlierScaleDowns() {
        Rules down = new Rules(Duration.ZERO, true, false, List.of(new Policy(false, 1, Duration.ofSeconds(60))),
                OptionalDouble.empty());
        HpaEmulator hpa = new HpaEmulator(new Spec(1, 100, List.of(TargetType.AVERAGE_VALUE), List.of(1.0),
                Rules.defaultUp(), down));
        assertEquals(9, hpa.sync(pods(10, 2), T0));
        assertEquals(9, hpa.sync(pods(9, 2), T0.plusSeconds(15)));
        assertEquals(8, hpa.sync(pods(9, 2), T0.plusSeconds(61)));
    }

    @Test
    void valueTargetsMultiplyByReadyPodsAverageValueDoesNot() {
        // 10 pods, 4 ready (6 still loading the model), the metric twice its target.
        Spec value = new Spec(1, 100, List.of(TargetType.VALUE), List.of(10.0), Rules.defaultUp(),
                new Rules(Duration.ZERO, true, false, List.of(new Policy(true, 100, Duration.ofSeconds(15))),
                        OptionalDouble.empty()));
        Observation o = new Observation(10, 10, 4, List.of(OptionalDouble.of(20)));
        assertEquals(8, new HpaEmulator(value).sync(o, T0), "ceil(2 x 4 ready): a scale-down while starting");
        Spec average = new Spec(1, 100, List.of(TargetType.AVERAGE_VALUE), List.of(2.0), Rules.defaultUp(),
                Rules.defaultDown());
        assertEquals(10, new HpaEmulator(average).sync(new Observation(10, 10, 4, List.of(OptionalDouble.of(20))), T0));
    }

    @Test
    void severalMetricsTakeTheMaximumAndAFailedOneBlocksAScaleDown() {
        Spec two = new Spec(1, 100, List.of(TargetType.AVERAGE_VALUE, TargetType.AVERAGE_VALUE), List.of(1.0, 1.0),
                Rules.defaultUp(), new Rules(Duration.ZERO, true, false, List.of(new Policy(true, 100,
                        Duration.ofSeconds(15))), OptionalDouble.empty()));
        assertEquals(8, new HpaEmulator(two).sync(new Observation(5, 5, 5, List.of(OptionalDouble.of(3),
                OptionalDouble.of(8))), T0));
        assertEquals(5, new HpaEmulator(two).sync(new Observation(5, 5, 5, List.of(OptionalDouble.of(2),
                OptionalDouble.empty())), T0), "one metric failed, the other says down: no scale");
        assertEquals(8, new HpaEmulator(two).sync(new Observation(5, 5, 5, List.of(OptionalDouble.of(8),
                OptionalDouble.empty())), T0), "one failed, the other says up: up");
        assertEquals(5, new HpaEmulator(two).sync(new Observation(5, 5, 5, List.of(OptionalDouble.empty(),
                OptionalDouble.empty())), T0), "all failed: no scale");
    }

    @Test
    void minMaxAndATargetAtZero() {
        HpaEmulator hpa = new HpaEmulator(averageValue(1, 2, 6));
        assertEquals(6, hpa.sync(pods(5, 50), T0));
        assertEquals(6, hpa.sync(pods(9, 50), T0.plusSeconds(15)), "above max: back to max");
        assertEquals(2, new HpaEmulator(averageValue(1, 2, 6)).sync(pods(1, 1), T0), "below min: min");
        assertEquals(0, new HpaEmulator(averageValue(1, 1, 6)).sync(pods(0, 5), T0), "at zero: disabled");
    }
}
