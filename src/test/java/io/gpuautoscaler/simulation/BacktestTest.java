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
        }
        assertEquals(List.of("gpu-autoscaler", "gpu-autoscaler-direct", "hpa-gpu-utilization", "keda-queue",
                "keda-rate", "static-peak"), policies);
        assertTrue(root.get("results").get(0).get("knob").isNull(), "ours takes no knob");
    }

    @Test
    void printsAReadableTableWithoutJson() throws Exception {
        Run r = run("backtest", "--trace", trace("azure-llm-2023-code.csv").toString(), "--scale", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("policy") && r.out().contains("static-peak"), r.out());
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
    }
}
