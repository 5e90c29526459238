package io.gpuautoscaler.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Backtest.cli(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path trace(String file) throws Exception {
        Path p = Files.createTempFile("trace", ".csv");
        try (var in = BacktestTest.class.getResourceAsStream("/traces/" + file)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    @Test
    void aTraceAloneIsEnoughAndJsonHasEveryField() throws Exception {
        Run r = run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--scale", "5", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        List<String> policies = new ArrayList<>();
        for (JsonNode row : root.get("results")) {
            policies.add(row.get("policy").asText());
            for (String f : List.of("knob", "sloAttainment", "ttftP50", "ttftP95", "ttftP99", "gpuHours", "cost",
                    "budgetOverrunMinutes", "scaleEvents")) {
                assertTrue(row.has(f), f + " in " + row);
            }
            assertTrue(row.get("gpuHours").asDouble() > 0);
            assertTrue(!row.get("ttftP95").isNumber() || Double.isFinite(row.get("ttftP95").asDouble()));
        }
        assertEquals(List.of("gpu-autoscaler", "gpu-autoscaler-direct", "hpa-gpu-utilization", "keda-queue",
                "keda-rate", "static-peak", "oracle", "oracle-schedule"), policies);
        JsonNode oracle = root.get("results").get(6);
        assertEquals("lower", oracle.get("bound").asText());
        for (JsonNode row : root.get("results")) {
            assertTrue(oracle.get("gpuHours").asDouble() <= row.get("gpuHours").asDouble(),
                    "the oracle's bound is below every policy: " + row);
        }
        JsonNode schedule = root.get("results").get(7);
        assertEquals("upper", schedule.get("bound").asText());
        assertEquals(root.get("results").get(0).get("sloAttainment").asDouble(),
                schedule.get("sloAttainment").asDouble(), 1e-3, "the foresight schedule at ours' attainment");
        assertTrue(root.get("results").get(0).get("knob").isNull(), "ours takes no knob");
        JsonNode fleet = root.get("fleet");
        assertEquals(45, fleet.get("coldStartMinSeconds").asDouble(), "the fleet simulated is in the report");
        assertEquals(180, fleet.get("coldStartMaxSeconds").asDouble());
        assertEquals(600, fleet.get("warmupSeconds").asDouble());
        assertEquals(256, fleet.get("replica").get("maxNumSeqs").asInt());
        assertEquals(4, fleet.get("replica").get("interTokenLatency").size());
    }

    @Test
    void printsAReadableTableWithoutJson() throws Exception {
        Run r = run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--scale", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("policy") && r.out().contains("static-peak"), r.out());
        assertTrue(java.util.regex.Pattern.compile("oracle-schedule +[0-9.]+ GPU-h = [0-9.]+x ours").matcher(r.out())
                .find(), "ours against the foresight schedule: " + r.out());
    }

    @Test
    void badArgumentsAndBadTracesAreClearErrors() throws Exception {
        assertEquals(2, run("backtest").code());
        assertTrue(run("backtest").err().contains("--trace FILE is required"));
        assertEquals(2, run("backtest", "--trace").code());
        assertEquals(2, run("backtest", "--colour", "x").code());
        Path bad = Files.createTempFile("bad", ".csv");
        Files.writeString(bad, "t_seconds,total_rate_req_per_s\n0,5\n600,-2\n");
        Run r = run("backtest", "--trace", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("line 3: negative rate"), r.err());
        Files.writeString(bad, "");
        assertTrue(run("backtest", "--trace", bad.toString()).err().contains("empty file"));
        assertEquals(1, run("backtest", "--trace", "/nonexistent/trace.csv").code());
        assertEquals(1, run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--seed", "x").code());
        assertEquals(2, run("backtest", "--trace", "a.csv", "--prometheus", "http://127.0.0.1:9").code(),
                "one source only");
        Run down = run("backtest", "--prometheus", "http://127.0.0.1:9", "--range", "1h", "--step", "1m");
        assertEquals(1, down.code());
        assertTrue(down.err().contains("cannot be reached"), down.err());
        assertTrue(run("backtest", "--prometheus", "http://127.0.0.1:9", "--step", "soon").err()
                .contains("not a duration"));
    }

    @Test
    void aFleetFileSetsTheColdStartAndTheReplicaAndABadOneIsAClearError() throws Exception {
        Path ramp = Files.createTempFile("ramp", ".csv");
        Files.writeString(ramp, "t_seconds,total_rate_req_per_s\n0,20\n600,20\n1200,60\n1800,60\n");
        Path slow = Files.createTempFile("fleet", ".yaml");
        Files.writeString(slow, "coldStart: {min: 10m, max: 10m}\n");
        JsonNode quick = ours(run("backtest", "--trace", ramp.toString(), "--scale", "1", "--json"));
        JsonNode late = ours(run("backtest", "--trace", ramp.toString(), "--scale", "1", "--json", "--fleet",
                slow.toString()));
        assertTrue(late.get("sloAttainment").asDouble() < quick.get("sloAttainment").asDouble() - 0.05,
                "a 10-minute cold start misses the tripled load for longer: " + late + " vs " + quick);
        Files.writeString(slow, "replica: {prefillTokensPerSecond: 2500}\n");
        JsonNode weak = ours(run("backtest", "--trace", ramp.toString(), "--scale", "1", "--json", "--fleet",
                slow.toString()));
        assertTrue(weak.get("gpuHours").asDouble() > quick.get("gpuHours").asDouble() * 1.3,
                "a replica with a tenth of the prefill needs more of them: " + weak + " vs " + quick);
        Files.writeString(slow, "coldStart: {min: 3m, max: 1m}\n");
        Run bad = run("backtest", "--trace", ramp.toString(), "--fleet", slow.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("coldStart.max: must be >= coldStart.min"), bad.err());
    }

    private static JsonNode ours(Run r) throws Exception {
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out()).get("results").get(0);
    }

    @Test
    void aLongRateCurveIsServedAsAFluidAndTheModeCanBeChosen() throws Exception {
        RateCurve huge = new RateCurve(600, new double[] {20_000, 20_000});
        assertTrue(Backtest.fromCurve(huge, 1.0, 1, Traffic.Mode.AUTO, 1, FleetSpec.DEFAULT.replica()) instanceof Traffic.Fluid,
                "24M requests: fluid");
        assertTrue(Backtest.fromCurve(huge, 0.01, 1, Traffic.Mode.AUTO, 1, FleetSpec.DEFAULT.replica()) instanceof Traffic.Requests);
        Run r = run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--scale", "5",
                "--simulation", "fluid", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("fluid", root.get("simulation").asText());
        assertTrue(r.err().contains("served as a fluid"), r.err());
        double oracle = root.get("results").get(6).get("gpuHours").asDouble();
        for (JsonNode row : root.get("results")) {
            assertTrue(row.get("sloAttainment").asDouble() > 0 && oracle <= row.get("gpuHours").asDouble(), row
                    .toString());
        }
        Path r1 = head("servegen-reason-deepseek-r1-rate-600s.csv", 8);
        Run bursty = run("backtest", "--trace", r1.toString(), "--burstiness", "2", "--scale", "0.2", "--json");
        assertEquals(0, bursty.code(), bursty.err());
        Run notACurve = run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--burstiness", "2");
        assertEquals(1, notACurve.code());
        assertTrue(notACurve.err().contains("burstiness applies to rate curves"), notACurve.err());
        assertTrue(run("backtest", "--trace", r1.toString(), "--burstiness", "0").err().contains("must be in (0, 10]"));
        Run bad = run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--simulation", "fast");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("simulation must be auto, requests or fluid"), bad.err());
    }

    static Path head(String file, int lines) throws Exception {
        Path p = Files.createTempFile("trace-head", ".csv");
        try (var in = BacktestTest.class.getResourceAsStream("/traces/" + file)) {
            List<String> all = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(lines).toList();
            Files.write(p, all);
        }
        return p;
    }

    @Test
    void sweepReportsEachBaselineAtItsCheapestKnobReachingOurAttainment() throws Exception {
        Run r = run("backtest", "--trace", head("azure-llm-2023-conv.csv", 3000).toString(), "--scale", "4",
                "--sweep", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        long kedaRateKnobs = 0;
        double ours = Double.NaN;
        for (JsonNode row : root.get("results")) {
            kedaRateKnobs += row.get("policy").asText().equals("keda-rate") ? 1 : 0;
            if (row.get("policy").asText().equals("gpu-autoscaler")) {
                ours = row.get("sloAttainment").asDouble();
            }
        }
        assertTrue(kedaRateKnobs > 5, "keda-rate swept over its knob");
        JsonNode eq = root.get("atEqualAttainment");
        assertEquals(4, eq.size(), eq.toString());
        for (JsonNode c : eq) {
            if (!c.get("knob").isNull()) {
                assertTrue(c.get("sloAttainment").asDouble() >= ours, c.toString());
                assertTrue(c.get("gpuHoursVsOurs").asDouble() > 0, c.toString());
            } else {
                assertTrue(c.get("sloAttainment").asDouble() < ours, c.toString());
            }
        }
        assertTrue(r.err().contains("backtest: [1/"), "progress on stderr: " + r.err());
    }

    private static FleetSimulator.Result result(double attainment, double gpuHours, double... replicasPerMinute) {
        int arrivals = 10_000;
        return new FleetSimulator.Result(arrivals, arrivals, (int) Math.round(attainment * arrivals), 0.1, 0.5, 0.9,
                gpuHours, gpuHours * 12.29, 3, replicasPerMinute, new double[replicasPerMinute.length], 0);
    }

    @Test
    void theComparisonTakesTheCheapestKnobThatReachesOursAndSaysWhenNoneDoes() {
        List<Backtest.Row> rows = List.of(
                new Backtest.Row("gpu-autoscaler", null, result(0.99, 10), 0),
                new Backtest.Row("keda-rate", 6.0, result(0.995, 14), 0),
                new Backtest.Row("keda-rate", 8.0, result(0.991, 12), 0),
                new Backtest.Row("keda-rate", 10.0, result(0.97, 9), 0),
                new Backtest.Row("keda-queue", 5.0, result(0.95, 8), 0),
                new Backtest.Row("keda-queue", 2.0, result(0.96, 11), 0));
        List<Backtest.Comparison> c = Backtest.compare(rows);
        assertEquals(2, c.size());
        assertEquals(8.0, c.get(0).knob());
        assertEquals(1.2, c.get(0).ratio(), 1e-9);
        assertEquals(null, c.get(1).knob(), "keda-queue never reaches 99%");
        assertEquals(0.96, c.get(1).sloAttainment(), 1e-9);
        assertTrue(Double.isNaN(c.get(1).ratio()));
    }

    @Test
    void budgetOverrunCountsMinutesAboveTheHourlyBudgetAtTheSimulatedPrice() {
        FleetSimulator.Result r = result(1, 1, 1, 2, 3, 4, 2);
        assertEquals(2, Backtest.overrunMinutes(r, 10, java.util.OptionalDouble.of(25)), "3 and 4 replicas at $10");
        assertEquals(0, Backtest.overrunMinutes(r, 10, java.util.OptionalDouble.empty()), "no budget, no overrun");
        assertEquals(0, Backtest.overrunMinutes(r, 10, java.util.OptionalDouble.of(40)), "exactly at the budget");
    }

    @Test
    void outWritesAPerMinuteCsvAndAnSvgChart() throws Exception {
        Path dir = Files.createTempDirectory("backtest-out");
        Run r = run("backtest", "--trace", head("azure-llm-2023-conv.csv", 1500).toString(), "--scale", "2",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("timeseries.csv"));
        assertTrue(csv.get(0).startsWith("minute,arrivals_per_second,gpu-autoscaler_replicas,"
                + "gpu-autoscaler_ttft_p95_seconds"), csv.get(0));
        assertTrue(csv.get(0).contains("keda-rate@8_replicas"), csv.get(0));
        int columns = csv.get(0).split(",", -1).length;
        for (String line : csv.subList(1, csv.size())) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        assertTrue(csv.size() > 3, "one row per minute");
        var svg = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("chart.svg").toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertTrue(svg.getElementsByTagName("polyline").getLength() >= 2 * 6, "replicas and p95 per policy");
    }

    @Test
    void ourPolicyStaysWithinTheBudgetWhereTheBaselinesDoNot() throws Exception {
        Path policy = Files.createTempFile("budget", ".yaml");
        Files.writeString(policy, Backtest.DEFAULT_POLICY.replace("models:", "budget: {hourly: 40}\nmodels:"));
        Run r = run("backtest", "--trace", head("azure-llm-2023-conv.csv", 3000).toString(), "--scale", "8",
                "--policy", policy.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        for (JsonNode row : results) {
            if (row.get("policy").asText().equals("gpu-autoscaler")) {
                assertEquals(0, row.get("budgetOverrunMinutes").asInt(), "3 replicas at most: " + row);
            }
            if (row.get("policy").asText().equals("keda-rate")) {
                assertTrue(row.get("budgetOverrunMinutes").asInt() > 0, "the baseline knows no budget: " + row);
            }
        }
    }
}
