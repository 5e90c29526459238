package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.Policy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fluid fleet: its invariants, and its agreement with the request-by-request fleet it stands in for. */
class FluidFleetTest {

    static List<Request> conv;
    static ReplicaProfile profile;
    static final ReplicaModel.Calibration H100 = ReplicaModel.Calibration.h100();

    @BeforeAll
    static void load() throws Exception {
        conv = TraceReader.requests(TraceReaderTest.bundled("azure-llm-2023-conv.csv"), "conv");
        profile = ReplicaProfile.measure(H100, conv, 4, 1, 1);
    }

    static FleetSimulator.Config config(int initial) {
        FleetSimulator.Config d = FleetSimulator.Config.defaults(initial, 1);
        return new FleetSimulator.Config(Traffic.FLUID_STEP_SECONDS, d.scrapeSeconds(), d.syncSeconds(),
                d.coldStartMin(), d.coldStartMax(), d.sloSeconds(), d.variants(), 0, initial, 1, 0);
    }

    @Test
    void theProfileSlowsTowardsSaturationAndKeepsTheGpuBusy() {
        ReplicaProfile.Point light = profile.at(0.1 * profile.saturation());
        ReplicaProfile.Point heavy = profile.at(0.95 * profile.saturation());
        assertTrue(profile.saturation() > 12 && profile.saturation() < 25, "H100, conversation mix: "
                + profile.saturation() + " req/s");
        assertTrue(heavy.within(1.0, 0) < light.within(1.0, 0), profile.toString());
        assertTrue(light.within(0.3, 0) > 0.95, "a light replica answers in a prefill: " + profile);
        assertTrue(heavy.busy() > 0.99 && heavy.running() > light.running(), profile.toString());
        assertEquals(0, light.within(1.0, 5.0), 1e-9, "five seconds of backlog miss a 1 s SLO");
        org.junit.jupiter.api.Assertions.assertArrayEquals(profile.at(profile.maxLoad()).ttftQuantiles(),
                profile.at(1e6).ttftQuantiles(), 1e-12, "clamped above the measured range");
    }

    @Test
    void aFixedFleetUsesItsReplicaHoursAndServesEveryRequest() {
        FluidFleet.Load load = FluidFleet.Load.fromRequests(conv, Traffic.FLUID_STEP_SECONDS);
        FleetSimulator.Result r = FluidFleet.run(load, profile, config(3), Scalers.fixed(3));
        double hours = (load.durationSeconds() + 300) / 3600;
        assertEquals(3 * hours, r.gpuHours(), 3 * 5.0 / 3600, "GPU-hours are the integral of running pods");
        assertEquals(conv.size(), r.arrivals());
        assertEquals(conv.size(), r.served(), "every request gets its first token");
        assertTrue(r.sloAttainment() > 0.99, "3 H100s for 5.5 req/s: " + r.sloAttainment());
    }

    @Test
    void theWarmUpReplaysTheFirstStepsBackwardsThenTheLoadFromItsStart() {
        int[] order = java.util.stream.IntStream.range(0, 6).map(k -> FluidFleet.warmedUp(k, 3)).toArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2}, order);
    }

    @Test
    void aWarmUpIsSimulatedButNotMeasured() {
        FluidFleet.Load load = FluidFleet.Load.fromRequests(conv, Traffic.FLUID_STEP_SECONDS);
        FleetSimulator.Result cold = FluidFleet.run(load, profile, config(3), Scalers.fixed(3));
        FleetSimulator.Result warm = FluidFleet.run(load, profile, config(3).withWarmup(600), Scalers.fixed(3));
        assertEquals(cold.gpuHours(), warm.gpuHours(), 1e-9, "the warm-up's pods are not billed");
        assertEquals(conv.size(), warm.arrivals(), "the warm-up's requests are not counted");
        assertEquals(conv.size(), warm.served());
        assertEquals(cold.sloMet(), warm.sloMet(), "a fixed fleet serves the trace alike");
        assertEquals(cold.replicasPerMinute().length, warm.replicasPerMinute().length);
    }

    @Test
    void anOverloadedFleetBacklogsAndCountsTheUnservedAsMisses() {
        RateCurve flat = new RateCurve(600, new double[] {3 * profile.saturation()});
        FluidFleet.Load load = FluidFleet.Load.fromRates(flat, 1, conv, 1, 1, 5);
        FleetSimulator.Result r = FluidFleet.run(load, profile, config(1), Scalers.fixed(1));
        assertTrue(r.served() < r.arrivals(), "a third is served in time: " + r.served() + " of " + r.arrivals());
        assertTrue(r.sloAttainment() < 0.4, "the backlog's wait is in every later TTFT: " + r.sloAttainment());
        assertTrue(r.ttftP99() > 60, "p99 " + r.ttftP99());
    }

    @Test
    void theSameSeedGivesTheSameRun() throws Exception {
        RateCurve r1 = TraceReader.rates(TraceReaderTest.bundled("servegen-reason-deepseek-r1-rate-600s.csv"), "r1");
        FluidFleet.Load a = FluidFleet.Load.fromRates(r1, 1, conv, 7, 1, 5);
        FluidFleet.Load b = FluidFleet.Load.fromRates(r1, 1, conv, 7, 1, 5);
        assertTrue(Arrays.equals(a.counts(), b.counts()));
        FleetSimulator.Result x = FluidFleet.run(a, profile, config(1), Scalers.gpuAutoscaler(policy(), false));
        FleetSimulator.Result y = FluidFleet.run(b, profile, config(1), Scalers.gpuAutoscaler(policy(), false));
        assertEquals(x.gpuHours(), y.gpuHours());
        assertEquals(x.sloMet(), y.sloMet());
        assertTrue(Arrays.equals(x.replicasPerMinute(), y.replicasPerMinute()));
    }

    @Test
    void countsFollowTheRateCurveAndAWindowWithoutDataTakesTheLastRate() {
        RateCurve curve = new RateCurve(600, new double[] {10, Double.NaN, 40});
        FluidFleet.Load load = FluidFleet.Load.fromRates(curve, 2, conv, 3, 1, 5);
        assertEquals(360, load.counts().length);
        double[] perWindow = new double[3];
        for (int k = 0; k < load.counts().length; k++) {
            perWindow[k / 120] += load.counts()[k] / 600.0;
        }
        assertEquals(20, perWindow[0], 1.0);
        assertEquals(20, perWindow[1], 1.0, "missing data: the last known rate");
        assertEquals(80, perWindow[2], 2.0);
        assertEquals(1155, load.meanPrompt(), 20, "sizes of the conversation trace");
        assertThrows(IllegalArgumentException.class, () -> FluidFleet.Load.fromRates(curve, 0, conv, 3, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> FluidFleet.Load.fromRates(curve, 1, List.of(), 3, 1, 5));
    }

    @Test
    void theFluidCountsAreTheRequestByRequestArrivalsOfTheSameSeed() {
        RateCurve curve = new RateCurve(600, new double[] {10, 30, 5});
        for (double cv : new double[] {1, 3}) {
            FluidFleet.Load load = FluidFleet.Load.fromRates(curve, 1, conv, 9, cv, 5);
            FluidFleet.Load binned = FluidFleet.Load.fromRequests(Arrivals.fromRates(curve, 1, conv, 9, cv), 5);
            assertTrue(Arrays.equals(Arrays.copyOf(binned.counts(), load.counts().length), load.counts()),
                    "cv " + cv);
        }
    }

    @Test
    void burstierArrivalsMissTheSloMoreOnTheSameFleet() {
        ReplicaProfile bursty = ReplicaProfile.measure(H100, conv, 4, 3, 1);
        double load = 0.8 * profile.saturation();
        assertTrue(bursty.at(load).within(1.0, 0) < profile.at(load).within(1.0, 0),
                "cv 3 against Poisson at 80% of saturation");
        RateCurve flat = new RateCurve(600, new double[] {20, 20, 20});
        FleetSimulator.Result poisson = FluidFleet.run(FluidFleet.Load.fromRates(flat, 1, conv, 1, 1, 5), profile,
                config(2), Scalers.fixed(2));
        FleetSimulator.Result gamma = FluidFleet.run(FluidFleet.Load.fromRates(flat, 1, conv, 1, 3, 5), bursty,
                config(2), Scalers.fixed(2));
        assertTrue(gamma.sloAttainment() < poisson.sloAttainment(), gamma.sloAttainment() + " vs "
                + poisson.sloAttainment());
    }

    /**
     * Twelve hours of the reasoning model's day (a 4x ramp) at a mean of 30 req/s, replayed request by request
     * and as a fluid: the same policies cost the same GPU-hours and meet the SLO alike.
     */
    @Test
    void agreesWithTheRequestByRequestFleetOnARamp() throws Exception {
        RateCurve r1 = TraceReader.rates(TraceReaderTest.bundled("servegen-reason-deepseek-r1-rate-600s.csv"), "r1");
        RateCurve half = new RateCurve(600, Arrays.copyOf(r1.rates(), 72));
        double mean = Arrays.stream(half.rates()).filter(Double::isFinite).average().orElseThrow();
        List<Request> requests = Arrivals.fromRates(half, 30 / mean, conv, 5, 1);
        FluidFleet.Load load = FluidFleet.Load.fromRates(half, 30 / mean, conv, 5, 1, 5);
        for (var scaler : List.<java.util.function.Supplier<FleetSimulator.Scaler>>of(
                () -> uncheckedPolicy(), () -> Scalers.kedaRate(8, 1, 40), () -> Scalers.fixed(6))) {
            FleetSimulator.Result exact = FleetSimulator.run(requests, H100, FleetSimulator.Config.defaults(3, 1),
                    scaler.get());
            FleetSimulator.Result fluid = FluidFleet.run(load, profile, config(3), scaler.get());
            assertEquals(exact.gpuHours(), fluid.gpuHours(), 0.05 * exact.gpuHours(),
                    "GPU-hours: " + exact.gpuHours() + " vs fluid " + fluid.gpuHours());
            assertEquals(exact.sloAttainment(), fluid.sloAttainment(), 0.01,
                    "attainment: " + exact.sloAttainment() + " vs fluid " + fluid.sloAttainment());
        }
    }

    @Test
    void theOracleBoundsEveryPolicyFromBelow() throws Exception {
        RateCurve r1 = TraceReader.rates(TraceReaderTest.bundled("servegen-reason-deepseek-r1-rate-600s.csv"), "r1");
        FluidFleet.Load load = FluidFleet.Load.fromRates(r1, 0.5, conv, 2, 1, 5);
        FleetSimulator.Result bound = Oracle.lowerBound(load, H100, 1.0, 12.29);
        assertTrue(bound.gpuHours() > 0);
        for (FleetSimulator.Scaler s : List.of(Scalers.gpuAutoscaler(policy(), false), Scalers.kedaRate(12, 1, 40),
                Scalers.fixed(2))) {
            FleetSimulator.Result r = FluidFleet.run(load, profile, config(1), s);
            assertTrue(bound.gpuHours() <= r.gpuHours(), bound.gpuHours() + " vs " + r.gpuHours());
        }
    }

    @Test
    void ourPolicyDecidesAtItsLoopIntervalWhileTheHpaSyncsEvery15Seconds() throws Exception {
        int[] counts = new int[120];
        Arrays.fill(counts, 0, 60, 100); // 20 req/s for five minutes
        Arrays.fill(counts, 60, 120, 500); // then 100
        FluidFleet.Load step = new FluidFleet.Load(5, counts, 1000, 200);
        FleetSimulator.Result every15 = FluidFleet.run(step, profile, config(3), Scalers.gpuAutoscaler(policy(),
                false));
        FleetSimulator.Result every120 = FluidFleet.run(step, profile, config(3), Scalers.gpuAutoscaler(
                PolicyParser.parse("loopInterval: 120s\n" + Backtest.DEFAULT_POLICY), false));
        // Ticks at 15, 30, ... s see the step at 300 s within the minute; ticks at 15, 135, 255, 375 s do not.
        assertTrue(every15.replicasPerMinute()[5] > 3, Arrays.toString(every15.replicasPerMinute()));
        assertEquals(3, every120.replicasPerMinute()[5], Arrays.toString(every120.replicasPerMinute()));
        assertTrue(every120.replicasPerMinute()[6] > 3, Arrays.toString(every120.replicasPerMinute()));
    }

    static Policy policy() throws Exception {
        return PolicyParser.parse(Backtest.DEFAULT_POLICY);
    }

    private static FleetSimulator.Scaler uncheckedPolicy() {
        try {
            return Scalers.gpuAutoscaler(policy(), false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
