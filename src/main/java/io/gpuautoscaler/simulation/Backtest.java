package io.gpuautoscaler.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuautoscaler.config.InvalidPolicyException;
import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.Policy;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code backtest --trace FILE [--policy policy.yaml] [--scale X] [--seed N] [--json]}: replays a trace
 * against the project's policy and the baselines on the fleet simulator and prints the comparison.
 */
public final class Backtest {

    static final double DEFAULT_TARGET_RATE = 100;
    static final String DEFAULT_POLICY = """
            models:
              - name: model
                namespace: default
                modelId: meta-llama/Llama-3.1-8B-Instruct
                minReplicas: 1
                maxReplicas: 200
                slo: {ttftP95Seconds: 1.0}
                capacity: {requestsPerSecond: 10}
                variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]
            """;

    private Backtest() {
    }

    /** One policy's outcome. */
    public record Row(String policy, Double knob, FleetSimulator.Result result) {
    }

    /** Runs the CLI; returns the exit code. */
    public static int cli(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("--") && i + 1 < args.length
                    && List.of("--trace", "--policy", "--scale", "--seed").contains(a)) {
                opts.put(a.substring(2), args[++i]);
            } else {
                err.println("backtest: unknown or incomplete option '" + a + "'\n"
                        + "usage: backtest --trace FILE [--policy policy.yaml] [--scale X] [--seed N] [--json]");
                return 2;
            }
        }
        if (!opts.containsKey("trace")) {
            err.println("backtest: --trace FILE is required");
            return 2;
        }
        try {
            Policy policy = PolicyParser.parse(opts.containsKey("policy")
                    ? Files.readString(Path.of(opts.get("policy"))) : DEFAULT_POLICY);
            long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
            Double scale = opts.containsKey("scale") ? Double.valueOf(opts.get("scale")) : null;
            List<Request> arrivals = arrivals(Path.of(opts.get("trace")), scale, seed);
            List<Row> rows = run(policy, arrivals, seed);
            print(opts.get("trace"), arrivals, rows, json, out);
            return 0;
        } catch (TraceReader.TraceFormatException | InvalidPolicyException | NumberFormatException e) {
            err.println("backtest: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("backtest: cannot read: " + e.getMessage());
            return 1;
        }
    }

    /** The trace's arrivals, scaled to {@code scale}, or by default to a mean of 100 req/s. */
    static List<Request> arrivals(Path trace, Double scale, long seed) throws IOException,
            TraceReader.TraceFormatException {
        String name = trace.getFileName().toString();
        String header;
        try (var r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            header = Objects.requireNonNullElse(r.readLine(), "");
        }
        if (header.isBlank()) {
            throw new TraceReader.TraceFormatException(name + ": empty file");
        }
        if (TraceReader.kind(header, name) == TraceReader.Kind.REQUESTS) {
            List<Request> requests;
            try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
                requests = TraceReader.requests(r, name);
            }
            double duration = Math.max(1, requests.get(requests.size() - 1).arrivalSeconds());
            double factor = scale != null ? scale : DEFAULT_TARGET_RATE / (requests.size() / duration);
            return Arrivals.scale(requests, factor, seed);
        }
        RateCurve curve;
        try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            curve = TraceReader.rates(r, name);
        }
        double mean = java.util.Arrays.stream(curve.rates()).filter(Double::isFinite).average().orElse(1);
        List<Request> sizes;
        try (Reader r = new InputStreamReader(Objects.requireNonNull(Backtest.class.getResourceAsStream(
                "/traces/azure-llm-2023-conv.csv")), StandardCharsets.UTF_8)) {
            sizes = TraceReader.requests(r, "azure-llm-2023-conv.csv");
        }
        return Arrivals.fromRates(curve, scale != null ? scale : DEFAULT_TARGET_RATE / mean, sizes, seed, 1.0);
    }

    /**
     * Ours (through the HPA, and direct), the guide's HPA on GPU utilisation (80%), KEDA on the queue (5
     * waiting per replica) and on the request rate (8 req/s per replica), and a fleet fixed at the peak.
     */
    static List<Row> run(Policy policy, List<Request> arrivals, long seed) {
        ReplicaModel.Calibration cal = ReplicaModel.Calibration.h100();
        double capacity = policy.models().get(0).capacity().requestsPerSecond();
        int max = policy.models().get(0).maxReplicas();
        int peak = (int) Math.ceil(peakMinuteRate(arrivals) / capacity);
        int start = Math.max(1, (int) Math.ceil(meanRate(arrivals) / capacity));
        FleetSimulator.Config cfg = FleetSimulator.Config.defaults(start, seed);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("gpu-autoscaler", null, FleetSimulator.run(arrivals, cal, cfg,
                Scalers.gpuAutoscaler(policy, false))));
        rows.add(new Row("gpu-autoscaler-direct", null, FleetSimulator.run(arrivals, cal, cfg,
                Scalers.gpuAutoscaler(policy, true))));
        rows.add(new Row("hpa-gpu-utilization", 80.0, FleetSimulator.run(arrivals, cal, cfg,
                Scalers.hpaGpuUtilization(80, 1, max))));
        rows.add(new Row("keda-queue", 5.0, FleetSimulator.run(arrivals, cal, cfg, Scalers.kedaQueue(5, 1, max))));
        rows.add(new Row("keda-rate", 8.0, FleetSimulator.run(arrivals, cal, cfg, Scalers.kedaRate(8, 1, max))));
        rows.add(new Row("static-peak", (double) peak, FleetSimulator.run(arrivals, cal,
                FleetSimulator.Config.defaults(peak, seed), Scalers.fixed(peak))));
        return rows;
    }

    static double meanRate(List<Request> a) {
        return a.isEmpty() ? 0 : a.size() / Math.max(1, a.get(a.size() - 1).arrivalSeconds());
    }

    static double peakMinuteRate(List<Request> a) {
        Map<Long, Integer> perMinute = new LinkedHashMap<>();
        for (Request r : a) {
            perMinute.merge((long) (r.arrivalSeconds() / 60), 1, Integer::sum);
        }
        return perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0) / 60.0;
    }

    private static void print(String trace, List<Request> arrivals, List<Row> rows, boolean json, PrintStream out) {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("trace", trace);
            root.put("requests", arrivals.size());
            ArrayNode results = root.putArray("results");
            for (Row row : rows) {
                FleetSimulator.Result r = row.result();
                ObjectNode o = results.addObject();
                o.put("policy", row.policy());
                if (row.knob() == null) {
                    o.putNull("knob");
                } else {
                    o.put("knob", row.knob());
                }
                o.put("sloAttainment", r.sloAttainment());
                o.put("ttftP50", r.ttftP50());
                o.put("ttftP95", r.ttftP95());
                o.put("ttftP99", r.ttftP99());
                o.put("gpuHours", r.gpuHours());
                o.put("cost", r.cost());
                o.put("budgetOverrunMinutes", 0);
                o.put("scaleEvents", r.scaleEvents());
            }
            out.println(root);
            return;
        }
        out.printf("trace %s: %d requests, mean %.1f req/s, peak minute %.1f req/s%n", trace, arrivals.size(),
                meanRate(arrivals), peakMinuteRate(arrivals));
        out.printf("%-22s %6s %8s %8s %8s %8s %9s %10s %7s%n", "policy", "knob", "SLO", "p50 s", "p95 s", "p99 s",
                "GPU-h", "cost $", "events");
        for (Row row : rows) {
            FleetSimulator.Result r = row.result();
            out.printf("%-22s %6s %7.2f%% %8.3f %8.3f %8.3f %9.2f %10.2f %7d%n", row.policy(),
                    row.knob() == null ? "-" : String.format("%.0f", row.knob()), 100 * r.sloAttainment(),
                    r.ttftP50(), r.ttftP95(), r.ttftP99(), r.gpuHours(), r.cost(), r.scaleEvents());
        }
    }
}
