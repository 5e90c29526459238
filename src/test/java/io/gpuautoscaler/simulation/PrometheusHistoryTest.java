package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.testing.PrometheusServer;
import io.gpuautoscaler.testing.TextServer;
import io.gpuautoscaler.testing.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arrival rate read back from a real Prometheus, and every way the answer can be wrong. */
class PrometheusHistoryTest {

    @Test
    void readsTheRateARealPrometheusRecorded() throws Exception {
        long start = System.nanoTime();
        try (TextServer exporter = TextServer.prometheusText(() -> "# TYPE vllm:request_success_total counter\n"
                + "vllm:request_success_total{model_name=\"m\"} " + 5 * (System.nanoTime() - start) / 1e9 + "\n");
                PrometheusServer prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("vllm", false,
                        List.of(new PrometheusServer.Target(exporter.port(), "llm", "p0")))))) {
            prometheus.awaitSeries("vllm:request_success_total", 1, Duration.ofSeconds(20));
            Waits.sleep(9000);
            PrometheusHistory.Query q = PrometheusHistory.Query.of(prometheus.url(), null, "6s", "2s");
            assertEquals("sum(rate(vllm:request_success_total[2s]))", q.promql());
            q = PrometheusHistory.Query.of(prometheus.url(), "sum(rate(vllm:request_success_total[4s]))", "6s", "2s");
            RateCurve curve = PrometheusHistory.fetch(q, Instant.now().minusSeconds(1));
            assertEquals(2, curve.windowSeconds());
            assertEquals(4, curve.rates().length);
            double[] known = java.util.Arrays.stream(curve.rates()).filter(r -> !Double.isNaN(r)).sorted().toArray();
            assertTrue(known.length >= 3, java.util.Arrays.toString(curve.rates()));
            // Scrapes on a busy machine are not exactly 1 s apart: the median point, not every point.
            assertEquals(5, known[known.length / 2], 1.0, "5 requests/s recorded: " + java.util.Arrays.toString(known));
            Traffic arrivals = Backtest.fromCurve(curve, 1.0, 1, Traffic.Mode.AUTO, 1, FleetSpec.DEFAULT.replica());
            assertTrue(arrivals.requests() > 10 && arrivals.requests() < 80, "about 5/s for 8 s: "
                    + arrivals.requests());
        }
    }

    static PrometheusHistory.HistoryException parseFails(int status, String body) {
        return assertThrows(PrometheusHistory.HistoryException.class, () -> PrometheusHistory.parse(status, body, 0,
                60, 10));
    }

    @Test
    void everyBadAnswerIsAClearError() {
        assertTrue(parseFails(502, "<html>bad gateway</html>").getMessage().contains("no JSON"));
        assertTrue(parseFails(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}")
                .getMessage().contains("bad_data: parse error"));
        assertTrue(parseFails(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")
                .getMessage().contains("not a range query"));
        assertTrue(parseFails(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")
                .getMessage().contains("no series"));
        assertTrue(parseFails(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{},{}]}}")
                .getMessage().contains("2 series"));
        assertTrue(parseFails(200, matrix("[0,\"-3\"]")).getMessage().contains("negative rate"));
        assertTrue(parseFails(200, matrix("[0,\"abc\"]")).getMessage().contains("not a number"));
        assertTrue(parseFails(200, matrix("[0,\"NaN\"]")).getMessage().contains("no finite value"));
    }

    static String matrix(String... points) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                + String.join(",", points) + "]}]}}";
    }

    @Test
    void gapsStayUnknownAndPointsLandInTheirWindow() throws Exception {
        RateCurve c = PrometheusHistory.parse(200, matrix("[0,\"1\"]", "[120,\"3\"]", "[9999,\"7\"]"), 0, 60, 4);
        assertEquals(1, c.rates()[0]);
        assertTrue(Double.isNaN(c.rates()[1]));
        assertEquals(3, c.rates()[2]);
        assertTrue(Double.isNaN(c.rates()[3]), "outside the range: ignored");
    }

    @Test
    void badQueriesAreRefusedBeforeAsking() {
        for (String[] bad : new String[][] {{"not a url", "7d", "5m"}, {"ftp://x", "7d", "5m"},
            {"http://p:9090", "7 days", "5m"}, {"http://p:9090", "7d", "0s"}, {"http://p:9090", "1m", "5m"},
            {"http://p:9090", "90d", "10s"}}) {
            assertThrows(PrometheusHistory.HistoryException.class,
                    () -> PrometheusHistory.Query.of(bad[0], null, bad[1], bad[2]), String.join(" ", bad));
        }
    }
}
