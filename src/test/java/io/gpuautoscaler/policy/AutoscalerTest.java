package io.gpuautoscaler.policy;

import static io.gpuautoscaler.policy.Fixtures.T0;
import static io.gpuautoscaler.policy.Fixtures.has;
import static io.gpuautoscaler.policy.Fixtures.model;
import static io.gpuautoscaler.policy.Fixtures.onDemand;
import static io.gpuautoscaler.policy.Fixtures.only;
import static io.gpuautoscaler.policy.Fixtures.policy;
import static io.gpuautoscaler.policy.Fixtures.spot;
import static io.gpuautoscaler.policy.Fixtures.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoscalerTest {

    private static final ModelSpec CHAT = model("chat", onDemand("h100", 12.29));

    private static Autoscaler.Outcome tick(Policy p, Fixtures.Fleet f, PolicyState s) {
        return Autoscaler.decide(p, f.pods, f.readings(), s, f.at);
    }

    @ParameterizedTest(name = "{0} req/s, {1} waiting on {2} ready -> {3}")
    @CsvSource({
        // rate, waiting, ready, desired   (capacity 10 req/s, headroom 10%, drain 30 s)
        "45,   0,  5, 5",
        "46,   0,  5, 6",
        "10,   0,  1, 2",
        "9,    0,  1, 1",
        "20,   300, 3, 4",
        "0,    0,  3, 2",
        "100,  0,  4, 8",
        "200,  0,  4, 8",
    })
    void sizesFleetToDemandWithHeadroomQueueDrainAndStepLimits(double rate, double waiting, int ready, int desired) {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", ready, rate, waiting);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(desired, d.desiredReplicas(), d.reasons().toString());
        assertTrue(has(d, ReasonCode.DEMAND_REQUESTS));
    }

    @Test
    void scaleUpIsLimitedToDoublingOrFourPodsPerTick() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 2, 150, 0);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(6, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.SCALE_UP_LIMITED));
    }

    @Test
    void tokenDemandWinsWhenTokensAreTheBottleneck() {
        ModelSpec m = new ModelSpec("chat", "llm", "x", "chat", CHAT.engine(), 0, 1, 20, CHAT.slo(),
                new ModelSpec.Capacity(10, OptionalDouble.of(6000)), Fixtures.scaling(), ModelSpec.Actuation.HPA, java.util.Optional.empty(), Workloads.ModelWorkload.defaults(), CHAT.variants());
        // 10 req/s of 1200 tokens each = 12000 tok/s = 2 replicas of token capacity, vs 1 of request capacity.
        Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100", 2, 10, 0);
        Decision d = only(tick(policy(m), f, PolicyState.empty()), "h100");
        assertEquals(3, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.DEMAND_TOKENS));
    }

    @Test
    void holdsLastDecisionWhenDemandIsUnknown() {
        Policy p = policy(CHAT);
        Fixtures.Fleet busy = new Fixtures.Fleet().ready(CHAT, "h100", 8, 75, 0);
        Autoscaler.Outcome first = tick(p, busy, PolicyState.empty());
        assertEquals(9, only(first, "h100").desiredReplicas());

        Fixtures.Fleet down = new Fixtures.Fleet().ready(CHAT, "h100", 8, 0, 0).fail(Signal.REQUEST_RATE)
                .at(T0.plusSeconds(15));
        Decision held = only(tick(p, down, first.next()), "h100");
        assertEquals(9, held.desiredReplicas());
        assertTrue(held.held());
        assertTrue(has(held, ReasonCode.UNKNOWN_SIGNALS_HOLD));
    }

    @Test
    void afterAnOutageLongerThanTheWindowCapacityIsReleasedOnlyAfterAWindowOfFreshReadings() {
        Policy p = policy(CHAT);
        Autoscaler.Outcome first = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 8, 75, 0), PolicyState.empty());
        assertEquals(9, only(first, "h100").desiredReplicas());
        PolicyState s = first.next();
        // Prometheus is down for 3 minutes, longer than the 2-minute stabilisation window.
        for (int t = 15; t <= 180; t += 15) {
            s = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 9, 0, 0).fail(Signal.REQUEST_RATE)
                    .at(T0.plusSeconds(t)), s).next();
        }
        // It comes back reading a low rate (a rate() over a scrape gap): the held 9 still stand.
        Decision back = only(tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 9, 20, 0).at(T0.plusSeconds(195)), s),
                "h100");
        assertEquals(9, back.desiredReplicas());
        assertTrue(has(back, ReasonCode.SCALE_DOWN_STABILIZED));
    }

    @Test
    void aBriefGapInTheSignalsDoesNotHoldBackAScaleDownThatIsDue() {
        Policy p = policy(CHAT);
        PolicyState s = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 90, 0), PolicyState.empty()).next();
        s = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 0, 0).fail(Signal.REQUEST_RATE)
                .at(T0.plusSeconds(135)), s).next();
        // One unknown tick, then fresh low readings past the window of the last fresh recommendation.
        Decision d = only(tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 20, 0).at(T0.plusSeconds(150)), s),
                "h100");
        assertEquals(8, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.SCALE_DOWN_LIMITED));
    }

    @Test
    void missingPodsAreUnknownNotZero() {
        Policy p = policy(CHAT);
        Autoscaler.Outcome first = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 8, 75, 0), PolicyState.empty());
        // Prometheus answered, but with no series for these pods: that is not zero load.
        Fixtures.Fleet empty = new Fixtures.Fleet().ready(CHAT, "h100", 8, 75, 0).at(T0.plusSeconds(15));
        empty.values.clear();
        Decision d = only(tick(p, empty, first.next()), "h100");
        assertEquals(9, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.UNKNOWN_SIGNALS_HOLD));
    }

    @Test
    void staleSamplesAreUnknown() {
        Policy p = policy(CHAT);
        Autoscaler.Outcome first = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 8, 75, 0), PolicyState.empty());
        Fixtures.Fleet stale = new Fixtures.Fleet().ready(CHAT, "h100", 8, 0, 0).at(T0.plusSeconds(300));
        stale.pods.forEach(pod -> stale.put(Signal.SAMPLE_TIMESTAMP, pod.key(), T0.getEpochSecond()));
        Decision d = only(tick(p, stale, first.next()), "h100");
        assertEquals(9, d.desiredReplicas());
        assertTrue(d.held());
    }

    @Test
    void fallsBackToFloorAfterGracePeriodButNeverScalesDown() {
        ScalingSettings s = new ScalingSettings(0.1, 30, 4, 100, 1, 25, Duration.ofMinutes(2), 20, 0.9, 0.5,
                Duration.ofMinutes(2), OptionalInt.of(6));
        ModelSpec m = model("llm", "chat", 0, 1, 20, s, onDemand("h100", 12.29));
        Policy p = policy(m);
        PolicyState state = tick(p, new Fixtures.Fleet().ready(m, "h100", 3, 20, 0), PolicyState.empty()).next();
        Autoscaler.Outcome o = null;
        for (int t = 15; t <= 180; t += 15) {
            Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100", 3, 0, 0).fail(Signal.QUEUE_WAITING)
                    .at(T0.plusSeconds(t));
            o = tick(p, f, state);
            state = o.next();
            if (t < 120) {
                assertEquals(3, only(o, "h100").desiredReplicas(), "held at t=" + t);
            }
        }
        Decision d = only(o, "h100");
        assertEquals(6, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.UNKNOWN_SIGNALS_FLOOR));

        // A held decision above the floor stays: the floor never lowers anything.
        Fixtures.Fleet busy = new Fixtures.Fleet().ready(m, "h100", 10, 95, 0);
        PolicyState high = tick(p, busy, PolicyState.empty()).next();
        Fixtures.Fleet blind = new Fixtures.Fleet().ready(m, "h100", 10, 0, 0).fail(Signal.REQUEST_RATE)
                .at(T0.plusSeconds(600));
        high = tick(p, blind, high).next();
        Decision later = only(tick(p, blind.at(T0.plusSeconds(900)), high), "h100");
        assertEquals(11, later.desiredReplicas());
        assertTrue(has(later, ReasonCode.UNKNOWN_SIGNALS_FLOOR));
    }

    @Test
    void partialReportsAreExtrapolatedAndTooFewAreUnknown() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 4, 40, 0);
        f.remove(Signal.REQUEST_RATE, f.pods.get(0).key());
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(5, d.desiredReplicas(), d.reasons().toString());
        assertTrue(has(d, ReasonCode.PARTIAL_SIGNALS));

        f.remove(Signal.REQUEST_RATE, f.pods.get(1).key()).remove(Signal.REQUEST_RATE, f.pods.get(2).key());
        Decision blind = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertTrue(blind.held());
        assertEquals(4, blind.desiredReplicas());
    }

    @Test
    void ttftOverTargetAddsReplicasWhenComputeBound() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 5, 30, 0).ttft(CHAT, 2.0);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(6, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.SLO_VIOLATION));
    }

    @Test
    void aP99SloAddsReplicasWhenTheSlowestOnePercentMissThoughTheP95Meets() {
        for (double percentile : new double[] {95, 99}) {
            ModelSpec m = new ModelSpec("chat", "llm", "x", "chat", CHAT.engine(), 0, 1, 40,
                    new ModelSpec.Slo(1.0, percentile), CHAT.capacity(), Fixtures.scaling(), ModelSpec.Actuation.HPA,
                    java.util.Optional.empty(), Workloads.ModelWorkload.defaults(), CHAT.variants());
            // 20 pods, one of them answering in 2 s: 5% of first tokens over the target.
            Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100", 20, 180, 0).ttft(m, 0.2);
            f.ttft.put(f.pods.get(0).key(), 2.0);
            Decision d = only(tick(policy(m), f, PolicyState.empty()), "h100");
            if (percentile == 95) {
                assertFalse(has(d, ReasonCode.SLO_VIOLATION), d.reasons().toString());
                assertEquals(20, d.desiredReplicas(), d.reasons().toString());
            } else {
                assertEquals(24, d.desiredReplicas(), d.reasons().toString());
                assertTrue(d.reasons().stream().anyMatch(r -> r.code() == ReasonCode.SLO_VIOLATION
                        && r.message().startsWith("TTFT p99 2.")), d.reasons().toString());
            }
        }
    }

    @Test
    void anSloMissSoonAfterAReleaseLengthensTheScaleDownWindowOnceAndCalmShortensIt() {
        java.time.Duration two = java.time.Duration.ofMinutes(2);
        java.time.Instant t0 = Fixtures.T0;
        ModelState.ScaleDownWindow released = new ModelState.ScaleDownWindow(1, java.util.Optional.of(t0),
                java.util.Optional.empty());
        java.util.List<Reason> reasons = new java.util.ArrayList<>();
        assertSame(released, ReplicaPolicy.adapt(released, true, t0.plusSeconds(301), two, reasons),
                "a miss more than five minutes after the release is not blamed on it");
        assertSame(released, ReplicaPolicy.adapt(released, false, t0.plusSeconds(60), two, reasons),
                "no miss, no change");
        ModelState.ScaleDownWindow doubled = ReplicaPolicy.adapt(released, true, t0.plusSeconds(90), two, reasons);
        assertEquals(2, doubled.factor());
        assertEquals(java.time.Duration.ofMinutes(4), doubled.of(two));
        assertTrue(reasons.get(0).message().startsWith("SLO missed 90s after capacity was released: scale-down "
                + "window 120s -> 240s"), reasons.toString());
        assertSame(doubled, ReplicaPolicy.adapt(doubled, true, t0.plusSeconds(105), two, reasons),
                "the same release is blamed once");
        ModelState.ScaleDownWindow again = new ModelState.ScaleDownWindow(2, java.util.Optional.of(t0.plusSeconds(600)),
                doubled.changedAt());
        ModelState.ScaleDownWindow four = ReplicaPolicy.adapt(again, true, t0.plusSeconds(660), two, reasons);
        ModelState.ScaleDownWindow most = ReplicaPolicy.adapt(new ModelState.ScaleDownWindow(four.factor(),
                java.util.Optional.of(t0.plusSeconds(900)), four.changedAt()), true, t0.plusSeconds(960), two, reasons);
        assertEquals(ModelState.ScaleDownWindow.MAX_FACTOR, most.factor(), "doubled per release, up to 4x");
        java.time.Instant changed = most.changedAt().get();
        assertSame(most, ReplicaPolicy.adapt(most, false, changed.plus(java.time.Duration.ofMinutes(29)), two,
                reasons));
        ModelState.ScaleDownWindow calmer = ReplicaPolicy.adapt(most, false,
                changed.plus(java.time.Duration.ofMinutes(30)), two, reasons);
        assertEquals(2, calmer.factor(), "halved after 30 calm minutes");
        assertEquals(1, ReplicaPolicy.adapt(calmer, false, calmer.changedAt().get().plus(
                java.time.Duration.ofMinutes(30)), two, reasons).factor(), "and back to the configured window");
    }

    @Test
    void afterAMissThatFollowedAReleaseTheNextScaleDownWaitsTwiceTheWindow() {
        Policy p = policy(CHAT);
        PolicyState s = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 90, 0), PolicyState.empty()).next();
        Release first = releaseAt(p, 10, 15, s);
        int released = first.at();
        assertEquals(120, released, "60 req/s wants 7: released when the 10 leaves the 2-minute window");
        // The load comes back a minute later and the released fleet misses the SLO.
        Autoscaler.Outcome miss = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", first.desired(), 90, 0)
                .ttft(CHAT, 2.0).at(T0.plusSeconds(released + 60)), first.state());
        Decision d = only(miss, "h100");
        assertTrue(has(d, ReasonCode.SCALE_DOWN_WINDOW_ADAPTED), d.reasons().toString());
        int fleet = d.desiredReplicas();
        assertEquals(released + 60 + 240, releaseAt(p, fleet, released + 75, miss.next()).at(),
                "the next release waits 4 minutes after the miss");
    }

    private record Release(int at, int desired, PolicyState state) {
    }

    /** Ticks at 60 req/s on {@code ready} replicas from {@code from} s until a scale-down. */
    private static Release releaseAt(Policy p, int ready, int from, PolicyState s) {
        for (int t = from; t < from + 900; t += 15) {
            Autoscaler.Outcome o = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", ready, 60, 0).ttft(CHAT, 0.2)
                    .at(T0.plusSeconds(t)), s);
            s = o.next();
            if (only(o, "h100").desiredReplicas() < ready) {
                return new Release(t, only(o, "h100").desiredReplicas(), s);
            }
        }
        throw new AssertionError("no release");
    }

    @Test
    void ttftOverTargetCountsStartingPodsAsCapacityOnItsWay() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 5, 30, 0).pending(CHAT, "h100", 2)
                .ttft(CHAT, 2.0);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(7, d.desiredReplicas(), d.reasons().toString());
        assertEquals(7, d.currentReplicas());
        assertEquals(5, d.readyReplicas());
        assertTrue(has(d, ReasonCode.SLO_VIOLATION_CAPACITY_PENDING));
    }

    @Test
    void ttftOverTargetWithIdleGpusAddsNothing() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 5, 45, 0).ttft(CHAT, 2.0)
                .all(CHAT, Signal.GPU_UTILIZATION, 0.2);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(5, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.SLO_VIOLATION_NOT_COMPUTE_BOUND));
    }

    @Test
    void kvCachePressureAsksForMoreReplicas() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 5, 30, 0).all(CHAT, Signal.KV_CACHE_USAGE, 0.99);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        assertEquals(6, d.desiredReplicas());
        assertTrue(has(d, ReasonCode.KV_CACHE_PRESSURE));
    }

    @Test
    void clampsToMinAndMax() {
        ModelSpec m = model("llm", "chat", 0, 2, 6, Fixtures.scaling(), onDemand("h100", 12.29));
        Decision low = only(tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 2, 0, 0), PolicyState.empty()),
                "h100");
        assertEquals(2, low.desiredReplicas());
        assertTrue(has(low, ReasonCode.MIN_REPLICAS));
        Decision high = only(tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 6, 200, 0), PolicyState.empty()),
                "h100");
        assertEquals(6, high.desiredReplicas());
        assertTrue(has(high, ReasonCode.MAX_REPLICAS));
    }

    @Test
    void scaleDownWaitsForTheStabilisationWindowThenStepsDown() {
        Policy p = policy(CHAT);
        PolicyState s = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 90, 0), PolicyState.empty()).next();
        // Load drops at t=15: the 10 recommended at t=0 is within the 2-minute window.
        Decision early = only(tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 20, 0).at(T0.plusSeconds(15)), s),
                "h100");
        assertEquals(10, early.desiredReplicas());
        assertTrue(has(early, ReasonCode.SCALE_DOWN_STABILIZED));
        // Once the window has passed, it steps down by at most max(1, 25%) per tick.
        Autoscaler.Outcome late = tick(p, new Fixtures.Fleet().ready(CHAT, "h100", 10, 20, 0)
                .at(T0.plusSeconds(150)), s);
        assertEquals(8, only(late, "h100").desiredReplicas());
        assertTrue(has(only(late, "h100"), ReasonCode.SCALE_DOWN_LIMITED));
    }

    @ParameterizedTest(name = "{0} req/s on 10 ready -> {1}")
    @CsvSource({
        // 81 req/s over a 1-minute window: 8.91 units, give or take 2 x 8.91 / sqrt(81 x 60) = 0.26: held.
        "81, 10, true",
        // 75 req/s: 8.25 units + 0.25 is 9 replicas.
        "75, 9, false",
    })
    void aReleaseNeedsTheDemandLowerThanTheRatesCountingNoise(double rate, int desired, boolean held) {
        Decision d = only(tick(policy(CHAT), new Fixtures.Fleet().ready(CHAT, "h100", 10, rate, 0),
                PolicyState.empty()), "h100");
        assertEquals(desired, d.desiredReplicas(), d.reasons().toString());
        assertEquals(held, has(d, ReasonCode.RELEASE_WITHIN_RISE));
    }

    @Test
    void aReleaseWaitsForTheRatesTypicalRiseWithinAColdStart() {
        // The last 40 minutes: two at 70 req/s, one at 100, over and over: a dip comes back within 5 minutes.
        RateHistory dips = RateHistory.EMPTY;
        for (int m = 40; m > 0; m--) {
            dips = dips.with(T0.minusSeconds(60L * m), m % 3 == 0 ? 100 : 70);
        }
        ModelState s = ModelState.initial();
        PolicyState volatileRate = new PolicyState(Map.of(CHAT.key(), new ModelState(s.lastDesiredUnits(),
                s.lastAllocation(), s.recommendations(), s.unknownSince(), s.lastPrices(), s.idleSince(),
                s.capacityEstimate(), s.scaleDown(), dips)));
        Fixtures.Fleet dip = new Fixtures.Fleet().ready(CHAT, "h100", 10, 70, 0);
        Decision held = only(tick(policy(CHAT), dip, volatileRate), "h100");
        assertEquals(10, held.desiredReplicas(), held.reasons().toString());
        assertTrue(has(held, ReasonCode.RELEASE_WITHIN_RISE));
        // Without that history, 7.7 units are released down to 8 (two a tick from 10).
        assertEquals(8, only(tick(policy(CHAT), dip, PolicyState.empty()), "h100").desiredReplicas());
    }

    @Test
    void placesCapacityOnSpotUpToItsShareThenOnDemand() {
        ModelSpec m = model("chat", onDemand("h100-od", 12.29), spot("h100-spot", 5.50, 0.5));
        Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100-od", 5, 40, 0).ready(m, "h100-spot", 5, 50, 0);
        Autoscaler.Outcome o = tick(policy(m), f, PolicyState.empty());
        assertEquals(5, only(o, "h100-spot").desiredReplicas());
        assertEquals(5, only(o, "h100-od").desiredReplicas());
        assertEquals(5 * 5.50 + 5 * 12.29, o.hourlyCost(), 1e-9);
        assertTrue(has(only(o, "h100-od"), ReasonCode.VARIANT_CAPPED));
    }

    @Test
    void movingCapacityToSpotKeepsTheOnDemandReplicasUntilTheSpotOnesAreReady() {
        ModelSpec m = model("chat", onDemand("h100-od", 12.29), spot("h100-spot", 5.50, 0.5));
        // 10 on-demand serve 90 req/s; policy wants 5 on spot, 5 on demand; no spot pod is ready yet.
        Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100-od", 10, 90, 0);
        Autoscaler.Outcome o = tick(policy(m), f, PolicyState.empty());
        assertEquals(5, only(o, "h100-spot").desiredReplicas(), "the spot replicas are started");
        assertEquals(10, only(o, "h100-od").desiredReplicas(), "no on-demand replica leaves before its replacement");
        assertTrue(has(only(o, "h100-od"), ReasonCode.VARIANT_SHIFT_PENDING));

        Fixtures.Fleet half = new Fixtures.Fleet().ready(m, "h100-od", 10, 60, 0).ready(m, "h100-spot", 3, 30, 0)
                .pending(m, "h100-spot", 2);
        Autoscaler.Outcome o2 = tick(policy(m), half, o.next());
        // 15 running (2 pending): the scale-down limit allows 12 units = 6 spot + 6 on demand; with 3 spot
        // ready, 9 on demand stay so that ready capacity (12) still covers the 12 units.
        assertEquals(6, only(o2, "h100-spot").desiredReplicas());
        assertEquals(9, only(o2, "h100-od").desiredReplicas(), only(o2, "h100-od").reasons().toString());

        Fixtures.Fleet done = new Fixtures.Fleet().ready(m, "h100-od", 9, 45, 0).ready(m, "h100-spot", 6, 45, 0);
        Autoscaler.Outcome o3 = tick(policy(m), done, o2.next());
        assertEquals(6, only(o3, "h100-od").desiredReplicas(), "spot ready: the extra on-demand replicas go");
        assertFalse(has(only(o3, "h100-od"), ReasonCode.VARIANT_SHIFT_PENDING));
    }

    @Test
    void aPlainScaleDownIsNotHeldBackByMakeBeforeBreak() {
        ModelSpec m = model("chat", onDemand("h100", 12.29));
        Autoscaler.Outcome o = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 10, 9, 0), PolicyState.empty());
        assertFalse(has(only(o, "h100"), ReasonCode.VARIANT_SHIFT_PENDING));
    }

    @Test
    void sloMissesAtALowerLoadTeachALowerCapacitySoTheRateDemandKeepsTheReplicas() {
        ModelSpec m = model("chat", onDemand("h100", 12.29));
        PolicyState state = PolicyState.empty();
        // 8 req/s per ready replica and TTFT p95 2 s: the configured 10 req/s per replica is wrong.
        for (int i = 0; i < 3; i++) {
            Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100", 10, 80, 0).ttft(m, 2.0)
                    .at(Fixtures.T0.plusSeconds(15 * i));
            Autoscaler.Outcome o = tick(policy(m), f, state);
            assertTrue(has(only(o, "h100"), ReasonCode.CAPACITY_LEARNED), only(o, "h100").reasons().toString());
            state = o.next();
        }
        double learned = state.of(m.key()).capacityEstimate().getAsDouble();
        assertEquals(8.0, learned, 1e-9, "10 -> 9 -> 8.1 -> 8: at most 10% a tick, not below the load seen");
        // Within the SLO again at 8 req/s per replica: demand is sized at the learned capacity, not at 10.
        Fixtures.Fleet ok = new Fixtures.Fleet().ready(m, "h100", 12, 80, 0).ttft(m, 0.9)
                .at(Fixtures.T0.plusSeconds(600));
        Autoscaler.Outcome o = tick(policy(m), ok, state);
        assertTrue(only(o, "h100").reasons().get(0).message().contains("over 8.00 req/s per replica"),
                only(o, "h100").reasons().toString());
    }

    @Test
    void aCapacityLoweredByATransientMissRecoversOnTheFleetItSized() {
        ModelSpec m = model("chat", onDemand("h100", 12.29));
        PolicyState state = PolicyState.empty();
        for (int i = 0; i < 12; i++) { // misses at 4 req/s per replica (say, queued behind a cold start)
            state = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 5, 20, 0).ttft(m, 2.0)
                    .at(Fixtures.T0.plusSeconds(15 * i)), state).next();
        }
        assertTrue(state.of(m.key()).capacityEstimate().getAsDouble() < 4.5);
        int replicas = 5;
        for (int i = 12; i < 120; i++) { // then comfortable on the replicas the policy itself asks for
            Autoscaler.Outcome o = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", replicas, 20, 0)
                    .ttft(m, 0.1).at(Fixtures.T0.plusSeconds(15 * i)), state);
            state = o.next();
            replicas = only(o, "h100").desiredReplicas();
        }
        double back = state.of(m.key()).capacityEstimate().orElse(10);
        assertTrue(back >= 10 && back <= 10 * (1 + ReplicaPolicy.RISE_AT_MOST_PER_HOUR / 2),
                "back at the configured 10 req/s, and slowly above it after: " + back);
        assertEquals(3, replicas, "20 req/s at ~10 per replica with 10% headroom");
    }

    @Test
    void aComfortableSloRaisesALoweredCapacityBackQuicklyAndBeyondTheConfiguredOnlySlowly() {
        ModelSpec m = model("chat", onDemand("h100", 12.29));
        PolicyState state = PolicyState.empty();
        for (int i = 0; i < 8; i++) { // misses at 5 req/s per replica: the estimate goes down toward 5
            state = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 16, 80, 0).ttft(m, 2.0)
                    .at(Fixtures.T0.plusSeconds(15 * i)), state).next();
        }
        double low = state.of(m.key()).capacityEstimate().getAsDouble();
        assertTrue(low < 5.5, "lowered: " + low);
        for (int i = 8; i < 80; i++) {
            int replicas = (int) Math.ceil(80 / state.of(m.key()).capacityEstimate().orElse(10));
            state = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", replicas, 80, 0).ttft(m, 0.1)
                    .at(Fixtures.T0.plusSeconds(15 * i)), state).next();
            double c = state.of(m.key()).capacityEstimate().orElse(10);
            double hours = 15 * i / 3600.0;
            assertTrue(c <= 10 * (1 + ReplicaPolicy.RISE_AT_MOST_PER_HOUR * hours) + 1e-9,
                    "above the configured 10 by at most 10% an hour: " + c);
        }
        double back = state.of(m.key()).capacityEstimate().orElse(10);
        assertTrue(back > 8.5, "raised back toward the configured capacity while the load per replica keeps up: "
                + back);
    }

    @Test
    void aboveTheConfiguredCapacityTheEstimateRisesAtTwoThirdsOfTheErrorBudgetsShareOfTheCut() {
        // p99: 12%/min x 60 x 1% x 2/3 = 4.8% an hour; p95 would be 24%, capped at 10%.
        for (double percentile : new double[] {99, 95}) {
            ModelSpec m = model("chat", percentile, onDemand("h100", 12.29));
            PolicyState state = PolicyState.empty();
            for (int i = 0; i < 240; i++) { // an hour, comfortable on the replicas the estimate asks for
                double c = state.of(m.key()).capacityEstimate().orElse(10);
                int replicas = (int) Math.ceil(80 * 1.1 / c - 1e-9);
                state = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", replicas, 80, 0).ttft(m, 0.1)
                        .at(Fixtures.T0.plusSeconds(15 * i)), state).next();
            }
            double perHour = percentile == 99 ? 0.048 : 0.10;
            assertEquals(10 * Math.pow(1 + perHour / 240, 240), state.of(m.key()).capacityEstimate().getAsDouble(),
                    1e-6, "p" + percentile);
        }
    }

    @Test
    void theLearnedCapacityStaysWithinOneAndAHalfTimesTheConfigured() {
        ModelSpec m = model("chat", 95, onDemand("h100", 12.29));
        PolicyState state = estimated(m, 14.99);
        for (int i = 0; i < 40; i++) {
            double c = state.of(m.key()).capacityEstimate().getAsDouble();
            state = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", (int) Math.ceil(80 * 1.1 / c - 1e-9), 80, 0)
                    .ttft(m, 0.1).at(Fixtures.T0.plusSeconds(15 * i)), state).next();
        }
        assertEquals(15, state.of(m.key()).capacityEstimate().getAsDouble(), 1e-9);
    }

    @Test
    void aMissAboveTheConfiguredCapacityCutsTheExcessEvenWhileReplicasStart() {
        ModelSpec m = model("chat", 99, onDemand("h100", 12.29));
        PolicyState state = estimated(m, 12);
        // A ramp: 12 req/s per ready replica, TTFT p99 2 s, two replicas on their way.
        Fixtures.Fleet ramp = new Fixtures.Fleet().ready(m, "h100", 8, 96, 0).pending(m, "h100", 2).ttft(m, 2.0);
        Autoscaler.Outcome o = tick(policy(m), ramp, state);
        assertEquals(12 * (1 - 0.12 / 4), o.next().of(m.key()).capacityEstimate().getAsDouble(), 1e-9,
                "12% a minute, a 15 s tick");
        assertTrue(only(o, "h100").reasons().stream().anyMatch(r -> r.code() == ReasonCode.CAPACITY_LEARNED
                && r.message().contains("SLO missed above the configured capacity")), only(o, "h100").reasons()
                .toString());
        state = o.next();
        for (int i = 1; i < 12; i++) {
            state = tick(policy(m), ramp.at(Fixtures.T0.plusSeconds(15 * i)), state).next();
        }
        assertTrue(state.of(m.key()).capacityEstimate().isEmpty(), "down to the configured 10, no further: "
                + state.of(m.key()).capacityEstimate());
        // With a one-minute loop, one tick of miss cuts 12%.
        Policy slow = new Policy(java.time.Duration.ofMinutes(1), policy(m).prometheus(), policy(m).budget(),
                policy(m).workloads(), policy(m).models());
        Autoscaler.Outcome minute = tick(slow, new Fixtures.Fleet().ready(m, "h100", 8, 96, 0).pending(m, "h100", 2)
                .ttft(m, 2.0), estimated(m, 12));
        assertEquals(12 * 0.88, minute.next().of(m.key()).capacityEstimate().getAsDouble(), 1e-9,
                only(minute, "h100").reasons().toString());
    }

    @Test
    void aPolicyEditBoundsWhatWasLearnedBeforeAtOnce() {
        ModelSpec m = model("chat", 99, onDemand("h100", 12.29));
        // Learned 30 req/s under an earlier policy; the configured 10 allows at most 15.
        Autoscaler.Outcome o = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 10, 150, 0), estimated(m, 30));
        assertTrue(only(o, "h100").reasons().get(0).message().contains("over 15.00 req/s per replica"),
                only(o, "h100").reasons().toString());
        assertEquals(11, only(o, "h100").desiredReplicas(), "150 req/s at 15 per replica with 10% headroom");
    }

    private static PolicyState estimated(ModelSpec m, double capacity) {
        return new PolicyState(java.util.Map.of(m.key(), ModelState.initial().withCapacityEstimate(
                OptionalDouble.of(capacity))));
    }

    @Test
    void withoutTtftOrWhileReplicasStartTheCapacityIsNotLearned() {
        ModelSpec m = model("chat", onDemand("h100", 12.29));
        Autoscaler.Outcome noTtft = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 4, 80, 0),
                PolicyState.empty());
        assertTrue(noTtft.next().of(m.key()).capacityEstimate().isEmpty());
        Autoscaler.Outcome starting = tick(policy(m), new Fixtures.Fleet().ready(m, "h100", 4, 80, 0)
                .pending(m, "h100", 2).ttft(m, 3.0), PolicyState.empty());
        assertTrue(starting.next().of(m.key()).capacityEstimate().isEmpty(), "cold starts are not the capacity");
    }

    @Test
    void cheaperCapacityPerUnitWinsEvenWithASlowerGpu() {
        VariantSpec a100 = new VariantSpec("a100", "A100", VariantSpec.CapacityType.ON_DEMAND, OptionalDouble.of(4.10),
                java.util.Optional.empty(), 1.0, 0.5, OptionalInt.empty());
        ModelSpec m = model("chat", onDemand("h100", 12.29), a100);
        Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "a100", 4, 18, 0);
        Autoscaler.Outcome o = tick(policy(m), f, PolicyState.empty());
        // 18 req/s * 1.1 = 2 units = 4 A100s at $8.20/unit, cheaper than 2 H100s at $12.29/unit.
        assertEquals(4, only(o, "a100").desiredReplicas());
        assertEquals(0, only(o, "h100").desiredReplicas());
    }

    @Test
    void budgetCutsLowestPriorityFirstAndNeverBelowMin() {
        ModelSpec critical = model("llm", "critical", 100, 1, 20, Fixtures.scaling(), onDemand("h100", 10));
        ModelSpec batch = model("llm", "batch", 1, 2, 20, Fixtures.scaling(), onDemand("h100", 10));
        Policy p = policy(new Policy.Budget(OptionalDouble.of(100), Map.of()), critical, batch);
        Fixtures.Fleet f = new Fixtures.Fleet().ready(critical, "h100", 6, 54, 0).ready(batch, "h100", 6, 54, 0);
        Autoscaler.Outcome o = tick(p, f, PolicyState.empty());
        assertEquals(6, total(o, "critical"));
        assertEquals(4, total(o, "batch"));
        assertEquals(100, o.hourlyCost(), 1e-9);
        Decision cut = o.decisions().stream().filter(d -> d.workload().model().equals("batch")).findFirst().get();
        assertTrue(has(cut, ReasonCode.BUDGET_CAPPED));

        Policy tiny = policy(new Policy.Budget(OptionalDouble.of(20), Map.of()), critical, batch);
        Autoscaler.Outcome starved = tick(tiny, f, PolicyState.empty());
        assertEquals(1, total(starved, "critical"));
        assertEquals(2, total(starved, "batch"));
        assertTrue(starved.decisions().stream().allMatch(d -> has(d, ReasonCode.BUDGET_BELOW_MINIMUM)));
    }

    @Test
    void namespaceBudgetOnlyCutsThatNamespace() {
        ModelSpec a = model("team-a", "chat", 0, 1, 20, Fixtures.scaling(), onDemand("h100", 10));
        ModelSpec b = model("team-b", "chat", 0, 1, 20, Fixtures.scaling(), onDemand("h100", 10));
        Policy p = policy(new Policy.Budget(OptionalDouble.empty(), Map.of("team-a", 30.0)), a, b);
        Fixtures.Fleet f = new Fixtures.Fleet().ready(a, "h100", 6, 54, 0).ready(b, "h100", 6, 54, 0);
        Autoscaler.Outcome o = tick(p, f, PolicyState.empty());
        assertEquals(3, o.decisions().get(0).desiredReplicas());
        assertEquals(6, o.decisions().get(1).desiredReplicas());
    }

    @Test
    void budgetNeverCutsAModelWhoseSignalsAreUnknown() {
        ModelSpec a = model("llm", "blind", 0, 1, 20, Fixtures.scaling(), onDemand("h100", 10));
        ModelSpec b = model("llm", "seen", 5, 1, 20, Fixtures.scaling(), onDemand("h100", 10));
        Policy p = policy(new Policy.Budget(OptionalDouble.of(80), Map.of()), a, b);
        Fixtures.Fleet f = new Fixtures.Fleet().ready(a, "h100", 6, 0, 0).ready(b, "h100", 6, 54, 0);
        f.values.get(Signal.REQUEST_RATE).keySet().removeIf(k -> k.pod().startsWith("blind"));
        Autoscaler.Outcome o = tick(p, f, PolicyState.empty());
        assertEquals(6, total(o, "blind"));
        assertEquals(2, total(o, "seen"));
    }

    @Test
    void oneBrokenModelDoesNotStopTheOthers() {
        ModelSpec broken = model("broken", onDemand("h100", 10));
        ModelSpec fine = model("fine", onDemand("h100", 10));
        Fixtures.Fleet f = new Fixtures.Fleet().ready(broken, "h100", 2, 10, 0).ready(fine, "h100", 2, 30, 0);
        FleetReadings good = f.readings();
        Map<PodKey, PodSample> exploding = new HashMap<>(good.pods()) {
            @Override
            public PodSample get(Object key) {
                if (((PodKey) key).pod().startsWith("broken")) {
                    throw new IllegalStateException("corrupt series");
                }
                return super.get(key);
            }
        };
        FleetReadings r = new FleetReadings(good.at(), exploding, good.failures(), good.scalars());
        Autoscaler.Outcome o = Autoscaler.decide(policy(broken, fine), f.pods, r, PolicyState.empty(), T0);
        Decision b = only(o, "h100");
        assertEquals("broken", b.workload().model());
        assertTrue(has(b, ReasonCode.MODEL_ERROR), b.reasons().toString());
        Decision ok = o.decisions().get(1);
        assertEquals(4, ok.desiredReplicas());
        assertFalse(ok.held());
    }

    @Test
    void priceQueryAnswerWinsThenStaticThenLastKnown() {
        VariantSpec v = new VariantSpec("h100", "H100", VariantSpec.CapacityType.ON_DEMAND, OptionalDouble.empty(),
                java.util.Optional.of("q"), 1.0, 1.0, OptionalInt.empty());
        ModelSpec m = model("chat", v);
        Fixtures.Fleet f = new Fixtures.Fleet().ready(m, "h100", 2, 10, 0);
        f.prices.put("q", OptionalDouble.of(3.0));
        Autoscaler.Outcome first = tick(policy(m), f, PolicyState.empty());
        assertEquals(6.0, first.hourlyCost(), 1e-9);
        f.prices.put("q", OptionalDouble.empty());
        Autoscaler.Outcome second = tick(policy(m), f, first.next());
        assertEquals(6.0, second.hourlyCost(), 1e-9);
        assertEquals(OptionalDouble.of(3.0), only(second, "h100").replicaPricePerHour());
    }

    @Test
    void decisionsCarryTheNumbersBehindThem() {
        Fixtures.Fleet f = new Fixtures.Fleet().ready(CHAT, "h100", 5, 45, 0);
        Decision d = only(tick(policy(CHAT), f, PolicyState.empty()), "h100");
        Reason demand = d.reasons().stream().filter(r -> r.code() == ReasonCode.DEMAND_REQUESTS).findFirst().get();
        assertEquals(45.0, demand.numbers().get("requestRate"), 1e-9);
        assertEquals(10.0, demand.numbers().get("capacityPerReplica"), 1e-9);
        assertEquals(OptionalDouble.of(45.0), d.signals().get(Signal.REQUEST_RATE));
        assertEquals(12.29 * 5, d.hourlyCost(), 1e-9);
    }

    static ModelSpec scaleToZero() {
        ModelSpec base = model("llm", "rare", 0, 0, 8, Fixtures.scaling(), onDemand("h100", 10));
        return new ModelSpec(base.name(), base.namespace(), base.modelId(), base.servedName(), base.engine(), 0, 0, 8,
                base.slo(), base.capacity(), base.scaling(), ModelSpec.Actuation.DIRECT,
                java.util.Optional.of(new ModelSpec.ScaleToZero(Duration.ofSeconds(60),
                        java.util.Optional.of("sum(gateway_pending{model=\"rare\"})"))), base.workload(), base.variants());
    }

    @Test
    void scalesToZeroAfterTheIdlePeriod() {
        ModelSpec m = scaleToZero();
        Policy p = policy(m);
        PolicyState s = PolicyState.empty();
        for (int t = 0; t <= 45; t += 15) {
            Fixtures.Fleet idle = new Fixtures.Fleet().ready(m, "h100", 1, 0, 0).all(m, Signal.QUEUE_RUNNING, 0)
                    .at(T0.plusSeconds(t));
            Autoscaler.Outcome o = tick(p, idle, s);
            assertEquals(1, only(o, "h100").desiredReplicas(), "still idle less than 60 s at t=" + t);
            s = o.next();
        }
        Fixtures.Fleet idle = new Fixtures.Fleet().ready(m, "h100", 1, 0, 0).all(m, Signal.QUEUE_RUNNING, 0)
                .at(T0.plusSeconds(60));
        Decision zero = only(tick(p, idle, s), "h100");
        assertEquals(0, zero.desiredReplicas());
        assertTrue(has(zero, ReasonCode.SCALED_TO_ZERO), zero.reasons().toString());
    }

    @Test
    void aRequestResetsTheIdleClock() {
        ModelSpec m = scaleToZero();
        Policy p = policy(m);
        PolicyState s = tick(p, new Fixtures.Fleet().ready(m, "h100", 1, 0, 0).all(m, Signal.QUEUE_RUNNING, 0),
                PolicyState.empty()).next();
        s = tick(p, new Fixtures.Fleet().ready(m, "h100", 1, 0.5, 0).at(T0.plusSeconds(45)), s).next();
        Decision d = only(tick(p, new Fixtures.Fleet().ready(m, "h100", 1, 0, 0).all(m, Signal.QUEUE_RUNNING, 0)
                .at(T0.plusSeconds(75)), s), "h100");
        assertEquals(1, d.desiredReplicas());
    }

    @Test
    void comesBackToOneWhenTheActivationQuerySeesDemand() {
        ModelSpec m = scaleToZero();
        Policy p = policy(m);
        String q = "sum(gateway_pending{model=\"rare\"})";
        Fixtures.Fleet none = new Fixtures.Fleet();
        none.prices.put(q, OptionalDouble.of(0));
        Decision stays = only(tick(p, none, PolicyState.empty()), "h100");
        assertEquals(0, stays.desiredReplicas());
        none.prices.put(q, OptionalDouble.of(2));
        Decision back = only(tick(p, none, PolicyState.empty()), "h100");
        assertEquals(1, back.desiredReplicas());
        assertTrue(has(back, ReasonCode.ACTIVATED));
        none.prices.put(q, OptionalDouble.empty());
        Decision blind = only(tick(p, none, PolicyState.empty()), "h100");
        assertEquals(0, blind.desiredReplicas());
        assertTrue(blind.held());
    }
}
