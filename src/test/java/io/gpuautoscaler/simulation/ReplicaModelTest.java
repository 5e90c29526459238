package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replica model against the calibration it comes from (DESIGN §7). */
class ReplicaModelTest {

    static List<ReplicaModel.Served> run(ReplicaModel m, List<Request> arrivals, double seconds) {
        List<ReplicaModel.Served> done = new ArrayList<>();
        int next = 0;
        for (double t = 0; t < seconds; t += 0.5) {
            while (next < arrivals.size() && arrivals.get(next).arrivalSeconds() < t + 0.5) {
                m.enqueue(arrivals.get(next++));
            }
            done.addAll(m.step(t, 0.5, null));
        }
        return done;
    }

    static double p95(List<ReplicaModel.Served> s) {
        double[] v = s.stream().mapToDouble(ReplicaModel.Served::ttftSeconds).sorted().toArray();
        return v[(int) Math.ceil(0.95 * v.length) - 1];
    }

    @Test
    void interTokenLatencyFollowsTheCalibrationCurve() {
        ReplicaModel.Calibration c = ReplicaModel.Calibration.h100();
        assertEquals(0.0046, c.itl(1), 1e-12);
        assertEquals(0.0059, c.itl(50), 1e-12);
        assertEquals(0.00675, c.itl(75), 1e-12);
        assertEquals(0.016, c.itl(250), 1e-12);
    }

    @Test
    void aLoneRequestPrefillsThenDecodesAtTheSingleStreamLatency() {
        ReplicaModel m = new ReplicaModel(ReplicaModel.Calibration.h100());
        List<ReplicaModel.Served> done = run(m, List.of(new Request(0, 1000, 100)), 5);
        assertEquals(1, done.size());
        assertEquals(0.0046 + 1000 / 25_000.0, done.get(0).ttftSeconds(), 1e-6);
        assertEquals(0.0446 + 99 * 0.0046, done.get(0).finishedAt(), 1e-6);
        assertEquals(done.get(0).finishedAt(), m.busySeconds(), 1e-6);
    }

    @Test
    void aRequestArrivingDuringALongDecodeIsAdmittedAtTheNextIteration() {
        ReplicaModel m = new ReplicaModel(ReplicaModel.Calibration.h100());
        // The first request decodes for ~4.6 s; the second arrives in the middle and must not wait for it.
        List<ReplicaModel.Served> done = run(m, List.of(new Request(0, 100, 1000), new Request(1.3, 1000, 10)), 10);
        ReplicaModel.Served second = done.stream().filter(s -> s.request().arrivalSeconds() > 0).findFirst()
                .orElseThrow();
        assertTrue(second.ttftSeconds() < 0.06, "one iteration of decode plus its prefill: "
                + second.ttftSeconds());
    }

    @Test
    void sustainsTheCalibratedRateWithinTheSloAndCollapsesAboveSaturation() throws Exception {
        List<Request> sizes = TraceReader.requests(TraceReaderTest.bundled("azure-llm-2023-conv.csv"), "conv");
        RateCurve flat8 = new RateCurve(600, new double[] {8});
        RateCurve flat25 = new RateCurve(600, new double[] {25});
        double ok = p95(run(new ReplicaModel(ReplicaModel.Calibration.h100()),
                Arrivals.fromRates(flat8, 1, sizes, 1, 1), 600));
        double overloaded = p95(run(new ReplicaModel(ReplicaModel.Calibration.h100()),
                Arrivals.fromRates(flat25, 1, sizes, 1, 1), 600));
        assertTrue(ok < 1.0, "8 req/s of the Azure conversation mix: TTFT p95 " + ok + " s");
        assertTrue(overloaded > 10, "25 req/s is past saturation: TTFT p95 " + overloaded + " s");
    }

    @Test
    void handsOverItsRequestsWhenItDies() {
        ReplicaModel m = new ReplicaModel(ReplicaModel.Calibration.h100());
        for (int i = 0; i < 300; i++) {
            m.enqueue(new Request(0, 500, 500));
        }
        m.step(0, 0.1, null);
        assertEquals(256, m.running());
        assertEquals(44, m.waiting());
        assertEquals(300, m.drain().size());
        assertEquals(0, m.running() + m.waiting());
    }
}
