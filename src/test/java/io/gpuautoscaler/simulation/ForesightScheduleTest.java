package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForesightScheduleTest {

    static ReplicaProfile profile;
    static double perStep; // requests one replica takes in a step at the profile's highest load

    @BeforeAll
    static void load() throws Exception {
        FluidFleetTest.load();
        profile = FluidFleetTest.profile;
        perStep = profile.maxLoad() * Traffic.FLUID_STEP_SECONDS;
    }

    static FluidFleet.Load steps(int... counts) {
        return new FluidFleet.Load(Traffic.FLUID_STEP_SECONDS, counts, 1000, 200);
    }

    static int[] repeat(int count, int times) {
        int[] out = new int[times];
        Arrays.fill(out, count);
        return out;
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void withNoTargetEachStepHasTheFewestReplicasThatLeaveNoBacklog() {
        int c = (int) (2.5 * perStep);
        FluidFleet.Load flat = steps(repeat(c, 720));
        FleetSimulator.Result r = ForesightSchedule.of(flat, profile, 1.0, 0, 60, 10);
        assertEquals(3 * (3600 + FleetSimulator.TAIL_SECONDS), r.gpuHours() * 3600, 1e-6,
                "three replicas for the hour and the tail, as a simulated fleet is billed");
        assertEquals(0, r.scaleEvents(), "the first step's fleet is there already");
        assertEquals(r.gpuHours() * 10, r.cost(), 1e-9);
    }

    @Test
    void itsAttainmentIsTheFluidFleetsWithTheSameReplicas() {
        int c = (int) (0.9 * perStep * 4);
        FluidFleet.Load flat = steps(repeat(c, 720));
        FleetSimulator.Result schedule = ForesightSchedule.of(flat, profile, 1.0, 0, 60, 10);
        assertEquals(4, schedule.replicasPerMinute()[30]);
        FleetSimulator.Result fleet = FluidFleet.run(flat, profile, FluidFleetTest.config(4), Scalers.fixed(4));
        assertTrue(fleet.sloAttainment() < 0.999, "a load that misses some: " + fleet.sloAttainment());
        assertEquals(fleet.sloAttainment(), schedule.sloAttainment(), 1e-3);
    }

    @Test
    void aHigherTargetBuysReplicasAndIsReached() {
        int c = (int) (0.93 * perStep * 4);
        FluidFleet.Load flat = steps(repeat(c, 720));
        FleetSimulator.Result loose = ForesightSchedule.of(flat, profile, 1.0, 0, 60, 10);
        FleetSimulator.Result tight = ForesightSchedule.of(flat, profile, 1.0, 0.999, 60, 10);
        assertTrue(loose.sloAttainment() < 0.999, "four replicas near saturation: " + loose.sloAttainment());
        assertTrue(tight.sloAttainment() >= 0.999, "reached: " + tight.sloAttainment());
        assertTrue(tight.gpuHours() > loose.gpuHours());
    }

    @Test
    void aGapShorterThanAColdStartKeepsThePodAndALongerOneRestartsIt() {
        int two = (int) (1.5 * perStep);
        int one = (int) (0.5 * perStep);
        FleetSimulator.Result shortGap = ForesightSchedule.of(steps(concat(repeat(two, 10), repeat(one, 4),
                repeat(two, 10))), profile, 1.0, 0, 60, 10);
        FleetSimulator.Result longGap = ForesightSchedule.of(steps(concat(repeat(two, 10), repeat(one, 40),
                repeat(two, 10))), profile, 1.0, 0, 60, 10);
        assertEquals(0, shortGap.scaleEvents(), "20 s without need: cheaper to keep than to restart");
        assertEquals(1, longGap.scaleEvents(), "200 s without need: released, started again 60 s ahead");
        double tail = FleetSimulator.TAIL_SECONDS;
        assertEquals(2 * (24 * 5 + tail), shortGap.gpuHours() * 3600, 1e-6, "two pods throughout");
        double restarted = longGap.gpuHours() * 3600 - 2 * (20 * 5 + tail) - 40 * 5;
        double drain = profile.at(two / (2 * Traffic.FLUID_STEP_SECONDS)).drainSeconds();
        assertEquals(60 + drain, restarted, 0.5, "the second pod's restart costs a cold start and its drain");
    }

    @Test
    void aTighterTargetBuysReplicasWhereTheLoadIsHeavyNotWhereItIsLight() {
        int quiet = (int) (0.5 * perStep);
        int burst = (int) (6 * 0.95 * perStep);
        FluidFleet.Load load = steps(concat(repeat(quiet, 700), repeat(burst, 4), repeat(quiet, 16)));
        FleetSimulator.Result loose = ForesightSchedule.of(load, profile, 1.0, 0, 60, 10);
        FleetSimulator.Result tight = ForesightSchedule.of(load, profile, 1.0, 0.9999, 60, 10);
        assertTrue(loose.sloAttainment() < 0.9999 && tight.sloAttainment() >= 0.9999, loose.sloAttainment() + " "
                + tight.sloAttainment());
        int burstMinute = 700 * 5 / 60;
        assertEquals(6, loose.replicasPerMinute()[burstMinute], "the fewest without a backlog");
        assertTrue(tight.replicasPerMinute()[burstMinute] > 6, "the burst's misses are bought back");
        assertEquals(1, tight.replicasPerMinute()[10], "a half-loaded replica already meets the SLO");
    }

    @Test
    void theScheduleIsNoDearerThanAPolicyAtThePolicysAttainment() throws Exception {
        RateCurve r1 = TraceReader.rates(TraceReaderTest.bundled("servegen-reason-deepseek-r1-rate-600s.csv"), "r1");
        FluidFleet.Load load = FluidFleet.Load.fromRates(r1, 0.5, FluidFleetTest.conv, 2, 1, 5);
        FleetSimulator.Config cfg = FluidFleetTest.config(1);
        for (FleetSimulator.Scaler s : List.of(Scalers.gpuAutoscaler(FluidFleetTest.policy(), false),
                Scalers.kedaRate(8, 1, 40), Scalers.fixed(4))) {
            FleetSimulator.Result policy = FluidFleet.run(load, profile, cfg, s);
            FleetSimulator.Result schedule = ForesightSchedule.of(load, profile, cfg.sloSeconds(),
                    policy.sloAttainment(), (cfg.coldStartMin() + cfg.coldStartMax()) / 2, 12.29);
            assertTrue(schedule.sloAttainment() >= policy.sloAttainment() - 1e-4 || schedule.sloAttainment() > 0.999,
                    schedule.sloAttainment() + " vs " + policy.sloAttainment());
            assertTrue(schedule.gpuHours() <= policy.gpuHours(), schedule.gpuHours() + " vs " + policy.gpuHours());
        }
    }

    @Test
    void anUnreachableTargetIsNotChasedWithIdleReplicas() {
        int c = (int) (2.5 * perStep);
        FluidFleet.Load flat = steps(repeat(c, 720));
        FleetSimulator.Result fewest = ForesightSchedule.of(flat, profile, 0.001, 0, 60, 10);
        // 1 ms: nearly no first token is that fast at any load.
        FleetSimulator.Result r = ForesightSchedule.of(flat, profile, 0.001, 0.99, 60, 10);
        assertTrue(r.sloAttainment() < 0.01, "unreachable: " + r.sloAttainment());
        assertEquals(fewest.gpuHours(), r.gpuHours(), 0.01 * fewest.gpuHours(), "no replica bought for it");
    }

    @Test
    void noArrivalsNeedNoFleet() {
        FleetSimulator.Result r = ForesightSchedule.of(steps(new int[12]), profile, 1.0, 0.99, 60, 10);
        assertEquals(0, r.gpuHours());
        assertEquals(1.0, r.sloAttainment());
        assertEquals(0, IntStream.range(0, r.replicasPerMinute().length).filter(m -> r.replicasPerMinute()[m] > 0)
                .count());
    }
}
