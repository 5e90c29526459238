package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OracleTest {

    private static final ReplicaModel.Calibration H100 = ReplicaModel.Calibration.h100();

    @Test
    void promptTokensThatMustBePrefilledWithinAMinuteNeedThatManyReplicaSeconds() {
        List<Request> a = new ArrayList<>();
        for (int i = 0; i < 59; i++) {
            a.add(new Request(i, 25_000, 1)); // one second of prefill each, no decode
        }
        FleetSimulator.Result r = Oracle.lowerBound(a, H100, 1.0, 10);
        assertEquals(59.0 / 3600, r.gpuHours(), 1e-9);
        assertEquals(59.0 / 60, r.replicasPerMinute()[0], 1e-9);
        assertEquals(1.0, r.sloAttainment());
        assertEquals(r.gpuHours() * 10, r.cost(), 1e-9);
    }

    @Test
    void decodeWorkAtTheBestBatchBoundsTheWholeRun() {
        List<Request> a = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            a.add(new Request(0, 1, 1001));
        }
        FleetSimulator.Result r = Oracle.lowerBound(a, H100, 1.0, 10);
        double perToken = H100.itl(256) / 256; // the cheapest decode token of the calibrated curve
        double expected = 512 * (1.0 / H100.prefillTokensPerSecond() + 1000 * perToken);
        assertEquals(expected / 3600, r.gpuHours(), 1e-9);
    }

    @Test
    void slotsHeldBeyondTheSloCountWholeReplicas() {
        List<Request> a = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            a.add(new Request(0, 1, 5000)); // held from 1 s to ~23 s: 300 slots = 2 replicas
        }
        FleetSimulator.Result r = Oracle.lowerBound(a, H100, 1.0, 10);
        assertTrue(r.replicasPerMinute()[0] * 60 >= 2 * 21, "two replicas for at least 21 whole seconds");
    }

    @Test
    void noRequestsNeedNothing() {
        assertEquals(0, Oracle.lowerBound(List.of(), H100, 1.0, 10).gpuHours());
    }
}
