package io.gpuautoscaler.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuautoscaler.config.FleetSpecParser;
import io.gpuautoscaler.config.InvalidPolicyException;
import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSpec;
import java.io.IOException;
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
import java.util.OptionalDouble;

/**
 * {@code backtest --trace FILE [--policy policy.yaml] [--scale X] [--seed N] [--json]}: replays a trace
 * against the project's policy and the baselines on the fleet simulator and prints the comparison.
 */
public final class Backtest {

    static final double DEFAULT_TARGET_RATE = 100;
    /** Replicas behind the router while a fluid run's replica profile is measured. */
    static final int PROFILE_REPLICAS = 4;
    /**
     * Every policy first serves the trace's first ten minutes, unmeasured, so that it meets the trace with the
     * fleet it would hold rather than the common starting one (ADR 0010).
     */
    static final double WARMUP_SECONDS = 600;
    /** keda-rate's targets swept, req/s per replica: half steps up to 85% of a replica's saturation. */
    static final double[] KEDA_RATE_SWEEP = java.util.stream.DoubleStream.iterate(4, k -> k <= 14, k -> k + 0.5)
            .toArray();
    public static final String DEFAULT_POLICY = """
            models:
              - name: model
                namespace: default
                modelId: meta-llama/Llama-3.1-8B-Instruct
                minReplicas: 1
                maxReplicas: 200
                slo: {ttftSeconds: 1.0, ttftPercentile: 99}
                capacity: {requestsPerSecond: 10}
                variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]
            """;

    /** The default policy with spot capacity allowed (up to 80% of replicas) at 55% below on-demand. */
    static final String DEFAULT_SPOT_POLICY = DEFAULT_POLICY.replace(
            "variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}]",
            "variants: [{name: h100, gpuType: H100, pricePerHour: 12.29}, "
            + "{name: h100-spot, gpuType: H100, capacityType: spot, pricePerHour: 5.50, maxShare: 0.8}]");

    /** AWS Spot Advisor's upper band, more than 20% of instances interrupted per month, as an hourly hazard. */
    static final double UPPER_BAND_INTERRUPTIONS_PER_HOUR = -Math.log(1 - 0.20) / 730;

    private Backtest() {
    }

    static final String USAGE = "usage: backtest (--trace FILE | --prometheus URL [--query PROMQL] [--range 7d] "
            + "[--step 5m]) [--policy policy.yaml] [--scale X] [--seed N] [--sweep] [--spot [--spot-hazard "
            + "PER_POD_HOUR]] [--burstiness CV] [--simulation auto|requests|fluid] [--fleet fleet.yaml] [--json] [--out DIR]";

    /**
     * One policy's outcome.
     *
     * @param budgetOverrunMinutes minutes in which the fleet's cost rate exceeded the policy's hourly budget
     */
    public record Row(String policy, Double knob, FleetSimulator.Result result, int budgetOverrunMinutes) {
    }

    /**
     * A baseline at its cheapest knob that reaches our attainment, or null knob when none of its settings does.
     *
     * @param ratio its GPU-hours over ours
     */
    public record Comparison(String policy, Double knob, double sloAttainment, double gpuHours, double ratio) {
    }

    /** A policy to run: name, knob (null for ours), its scaler, and the fleet it starts with. */
    private record Candidate(String policy, Double knob, java.util.function.Supplier<FleetSimulator.Scaler> scaler,
            int initialReplicas) {
    }

    /** Runs the CLI; returns the exit code. */
    public static int cli(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean json = false;
        boolean sweep = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--sweep")) {
                sweep = true;
            } else if (a.equals("--spot")) {
                opts.put("spot", "true");
            } else if (a.startsWith("--") && i + 1 < args.length
                    && List.of("--trace", "--policy", "--scale", "--seed", "--out", "--spot-hazard", "--prometheus", "--query",
                            "--range", "--step", "--simulation", "--burstiness", "--fleet").contains(a)) {
                opts.put(a.substring(2), args[++i]);
            } else {
                err.println("backtest: unknown or incomplete option '" + a + "'\n" + USAGE);
                return 2;
            }
        }
        if (opts.containsKey("trace") == opts.containsKey("prometheus")) {
            err.println("backtest: --trace FILE is required (or, instead, --prometheus URL)\n" + USAGE);
            return 2;
        }
        try {
            long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
            FleetSpec fleet = opts.containsKey("fleet")
                    ? FleetSpecParser.parse(Files.readString(Path.of(opts.get("fleet")))) : FleetSpec.DEFAULT;
            Options options = Options.of(opts.containsKey("policy") ? Files.readString(Path.of(opts.get("policy")))
                    : null, null, opts.containsKey("spot"), opts.containsKey("spot-hazard")
                    ? Double.valueOf(opts.get("spot-hazard")) : null, seed, sweep, fleet);
            Double scale = opts.containsKey("scale") ? Double.valueOf(opts.get("scale")) : null;
            Traffic.Mode mode = mode(opts.getOrDefault("simulation", "auto"));
            double cv = Double.parseDouble(opts.getOrDefault("burstiness", "1"));
            String trace;
            Traffic traffic;
            if (opts.containsKey("trace")) {
                trace = opts.get("trace");
                Path file = Path.of(trace);
                traffic = traffic(file.getFileName().toString(), () -> Files.newBufferedReader(file,
                        StandardCharsets.UTF_8), scale, seed, mode, cv, fleet.replica());
            } else {
                PrometheusHistory.Query q = PrometheusHistory.Query.of(opts.get("prometheus"), opts.get("query"),
                        opts.getOrDefault("range", "7d"), opts.getOrDefault("step", "5m"));
                err.println("backtest: reading " + q.describe());
                trace = q.describe();
                traffic = fromCurve(PrometheusHistory.fetch(q, java.time.Instant.now()), scale, seed, mode, cv,
                        fleet.replica());
            }
            if (traffic instanceof Traffic.Fluid) {
                err.printf(java.util.Locale.ROOT, "backtest: %d requests: served as a fluid in %.0f s steps "
                        + "(--simulation requests to replay each one)%n", traffic.requests(), Traffic.FLUID_STEP_SECONDS);
            }
            Report report = execute(trace, traffic, options, err);
            List<Row> rows = report.rows();
            List<Comparison> comparisons = report.comparisons();
            if (json) {
                out.println(json(report));
            } else {
                print(trace, traffic, rows, comparisons, out);
            }
            if (opts.containsKey("out")) {
                BacktestReport.write(Path.of(opts.get("out")), traffic, rows, charted(rows, comparisons));
                err.println("backtest: wrote " + Path.of(opts.get("out")).resolve("timeseries.csv") + " and "
                        + Path.of(opts.get("out")).resolve("chart.svg"));
            }
            return 0;
        } catch (TraceReader.TraceFormatException | InvalidPolicyException | IllegalArgumentException
                | PrometheusHistory.HistoryException e) {
            err.println("backtest: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("backtest: cannot read: " + e.getMessage());
            return 1;
        }
    }

    /** Where a trace's text comes from (a file, a request body); opened once per pass. */
    public interface TraceSource {
        Reader open() throws IOException;
    }

    /** {@code auto}, {@code requests} or {@code fluid}. */
    public static Traffic.Mode mode(String name) {
        return switch (name == null ? "auto" : name) {
            case "auto" -> Traffic.Mode.AUTO;
            case "requests" -> Traffic.Mode.REQUESTS;
            case "fluid" -> Traffic.Mode.FLUID;
            default -> throw new IllegalArgumentException("simulation must be auto, requests or fluid, got '"
                    + name + "'");
        };
    }

    /**
     * The trace's traffic, scaled by {@code scale}, or by default to a mean of 100 req/s: a request trace is
     * replayed request by request unless {@code mode} is fluid; a rate curve see {@link #fromCurve}.
     *
     * @param cv burstiness of a rate curve's arrivals (1: Poisson); a request trace keeps its own
     * @param replica the simulated replica
     */
    public static Traffic traffic(String name, TraceSource trace, Double scale, long seed, Traffic.Mode mode,
            double cv, ReplicaModel.Calibration replica) throws IOException, TraceReader.TraceFormatException {
        String header;
        try (var r = new java.io.BufferedReader(trace.open())) {
            header = Objects.requireNonNullElse(r.readLine(), "");
        }
        if (header.isBlank()) {
            throw new TraceReader.TraceFormatException(name + ": empty file");
        }
        if (TraceReader.kind(header, name) == TraceReader.Kind.REQUESTS) {
            if (cv != 1) {
                throw new IllegalArgumentException("burstiness applies to rate curves; " + name
                        + " is a request trace and keeps the bursts it recorded");
            }
            List<Request> requests;
            try (Reader r = trace.open()) {
                requests = TraceReader.requests(r, name);
            }
            double duration = Math.max(1, requests.get(requests.size() - 1).arrivalSeconds());
            double factor = scale != null ? scale : DEFAULT_TARGET_RATE / (requests.size() / duration);
            List<Request> arrivals = Arrivals.scale(requests, factor, seed);
            return mode == Traffic.Mode.FLUID ? fluid(FluidFleet.Load.fromRequests(arrivals,
                    Traffic.FLUID_STEP_SECONDS), requests, 1, seed, replica) : new Traffic.Requests(arrivals, replica);
        }
        RateCurve curve;
        try (Reader r = trace.open()) {
            curve = TraceReader.rates(r, name);
        }
        return fromCurve(curve, scale, seed, mode, cv, replica);
    }

    /**
     * Arrivals following a rate curve (scaled by {@code scale}, or to a mean of 100 req/s), Poisson for
     * {@code cv} 1 and Gamma-renewal (burstier) above, with request sizes drawn from the bundled Azure
     * conversation trace; served as a fluid if {@code mode} says so or, in auto mode, if they would be more
     * than {@link Traffic#FLUID_ABOVE_REQUESTS}.
     */
    public static Traffic fromCurve(RateCurve curve, Double scale, long seed, Traffic.Mode mode, double cv,
            ReplicaModel.Calibration replica) throws TraceReader.TraceFormatException {
        if (!(cv > 0) || cv > 10) {
            throw new IllegalArgumentException("burstiness (the inter-arrival times' coefficient of variation) must "
                    + "be in (0, 10], got " + cv);
        }
        double mean = java.util.Arrays.stream(curve.rates()).filter(Double::isFinite).average().orElse(1);
        if (!(mean > 0) && scale == null) {
            throw new TraceReader.TraceFormatException("the rate curve has no traffic");
        }
        double factor = scale != null ? scale : DEFAULT_TARGET_RATE / mean;
        List<Request> sizes = BundledTraces.requests(BundledTraces.CONVERSATION);
        boolean fluid = mode == Traffic.Mode.FLUID || mode == Traffic.Mode.AUTO
                && mean * factor * curve.durationSeconds() > Traffic.FLUID_ABOVE_REQUESTS;
        return fluid ? fluid(FluidFleet.Load.fromRates(curve, factor, sizes, seed, cv, Traffic.FLUID_STEP_SECONDS),
                sizes, cv, seed, replica) : new Traffic.Requests(Arrivals.fromRates(curve, factor, sizes, seed, cv),
                replica);
    }

    private static Traffic fluid(FluidFleet.Load load, List<Request> sizes, double cv, long seed,
            ReplicaModel.Calibration replica) {
        return new Traffic.Fluid(load, ReplicaProfile.measure(replica, sizes, PROFILE_REPLICAS, cv, seed), replica);
    }

    /**
     * What to run.
     *
     * @param spot the same policy with spot variants, run as {@code gpu-autoscaler-spot}; null: not run
     * @param spotHazard interruptions per spot pod and hour
     * @param fleet cold starts and scrapes of the simulated fleet (its replicas are in the traffic)
     */
    public record Options(Policy policy, Policy spot, double spotHazard, long seed, boolean sweep, FleetSpec fleet) {

        /**
         * @param policyYaml a candidate policy, or null for {@code fallback} (or, if null too, the default)
         * @param spot also run the default policy with spot variants (only without a candidate policy)
         * @param spotHazard interruptions per spot pod-hour; null: Spot Advisor's upper band
         * @throws IllegalArgumentException for contradicting or out-of-range options
         */
        public static Options of(String policyYaml, Policy fallback, boolean spot, Double spotHazard, long seed,
                boolean sweep, FleetSpec fleet) throws InvalidPolicyException {
            if (spot && policyYaml != null) {
                throw new IllegalArgumentException("spot compares the default policy with and without spot; give "
                        + "spot variants in your policy instead");
            }
            if (spotHazard != null && !(spotHazard >= 0)) {
                throw new IllegalArgumentException("the spot hazard must be >= 0 interruptions per pod-hour");
            }
            Policy policy = policyYaml != null ? PolicyParser.parse(policyYaml)
                    : fallback != null ? fallback : PolicyParser.parse(DEFAULT_POLICY);
            return new Options(policy, spot ? PolicyParser.parse(DEFAULT_SPOT_POLICY) : null,
                    spotHazard == null ? UPPER_BAND_INTERRUPTIONS_PER_HOUR : spotHazard, seed, sweep, fleet);
        }
    }

    /** A backtest's outcome. */
    public record Report(String trace, Traffic traffic, FleetSpec fleet, List<Row> rows,
            List<Comparison> comparisons) {
    }

    /** Runs every policy on the arrivals; progress lines go to {@code progress}. */
    public static Report execute(String trace, Traffic traffic, Options o, PrintStream progress) {
        List<Row> rows = run(o.policy(), o.spot(), o.spotHazard(), traffic, o.seed(), o.sweep(), o.fleet(), progress);
        return new Report(trace, traffic, o.fleet(), rows, compare(rows));
    }

    /**
     * Ours (through the HPA, and direct), the guide's HPA on GPU utilisation, KEDA on the queue and on the
     * request rate, and a fleet fixed at the peak; each baseline at one common knob, or over a range of knobs
     * with {@code sweep}. Progress goes to {@code progress}.
     */
    static List<Row> run(Policy policy, Policy spot, double spotHazard, Traffic traffic, long seed,
            boolean sweep, FleetSpec fleet, PrintStream progress) {
        double slo = policy.models().get(0).slo().ttftSeconds();
        double capacity = policy.models().get(0).capacity().requestsPerSecond();
        int max = policy.models().get(0).maxReplicas();
        int peak = (int) Math.ceil(traffic.peakMinuteRate() / capacity);
        int start = Math.max(1, (int) Math.ceil(traffic.meanRate() / capacity));
        OptionalDouble hourly = policy.budget().hourly();
        if (hourly.isPresent()) {
            // Every policy starts from the same fleet, one the budget allows.
            start = Math.max(1, Math.min(start, (int) Math.floor(hourly.getAsDouble()
                    / FleetSimulator.Config.defaults(1, seed).pricePerReplicaHour())));
        }
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate("gpu-autoscaler", null, () -> Scalers.gpuAutoscaler(policy, false), start));
        candidates.add(new Candidate("gpu-autoscaler-direct", null, () -> Scalers.gpuAutoscaler(policy, true), start));
        if (spot != null) {
            candidates.add(new Candidate("gpu-autoscaler-spot", null, () -> Scalers.gpuAutoscaler(spot, false), start));
        }
        for (double k : sweep ? new double[] {50, 60, 70, 80, 90, 95} : new double[] {80}) {
            candidates.add(new Candidate("hpa-gpu-utilization", k, () -> Scalers.hpaGpuUtilization(k, 1, max), start));
        }
        for (double k : sweep ? new double[] {1, 2, 3, 5, 8, 12, 20} : new double[] {5}) {
            candidates.add(new Candidate("keda-queue", k, () -> Scalers.kedaQueue(k, 1, max), start));
        }
        for (double k : sweep ? KEDA_RATE_SWEEP : new double[] {8}) {
            candidates.add(new Candidate("keda-rate", k, () -> Scalers.kedaRate(k, 1, max), start));
        }
        List<Integer> sizes = sweep ? java.util.stream.IntStream.rangeClosed(Math.max(1, peak * 6 / 10),
                Math.max(peak + 1, peak * 2)).boxed().toList() : List.of(peak);
        for (int n : sizes) {
            candidates.add(new Candidate("static-peak", (double) n, () -> Scalers.fixed(n), n));
        }
        OptionalDouble budget = policy.budget().hourly();
        List<Row> rows = new ArrayList<>();

        long began = System.nanoTime();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            FleetSimulator.Config cfg = fleet.config(c.initialReplicas(), seed, slo).withWarmup(WARMUP_SECONDS);
            if (c.knob() == null) {
                Policy p = c.policy().equals("gpu-autoscaler-spot") ? spot : policy;
                cfg = cfg.withVariants(variants(p), spotHazard);
            }
            FleetSimulator.Result r = traffic.run(cfg, c.scaler().get());
            rows.add(new Row(c.policy(), c.knob(), r, overrunMinutes(r, cfg.pricePerReplicaHour(), budget)));
            progress.printf(java.util.Locale.ROOT, "backtest: [%d/%d] %s%s done, %.1f s elapsed%n", i + 1,
                    candidates.size(), c.policy(), c.knob() == null ? "" : " @ " + knob(c.knob()),
                    (System.nanoTime() - began) / 1e9);
        }
        FleetSimulator.Config base = fleet.config(start, seed, slo);
        FleetSimulator.Result bound = traffic.lowerBound(base.sloSeconds(), base.pricePerReplicaHour());
        rows.add(new Row("oracle", null, bound, overrunMinutes(bound, base.pricePerReplicaHour(), budget)));
        double ours = ours(rows).result().sloAttainment();
        FleetSimulator.Result schedule = traffic.foresight(base.sloSeconds(), ours,
                (fleet.coldStartMinSeconds() + fleet.coldStartMaxSeconds()) / 2, base.pricePerReplicaHour(), seed);
        rows.add(new Row("oracle-schedule", null, schedule, overrunMinutes(schedule, base.pricePerReplicaHour(),
                budget)));
        return rows;
    }

    /** The simulated fleet's variants: the policy's first model's, at their static prices. */
    static List<FleetSimulator.Variant> variants(Policy policy) {
        return policy.models().get(0).variants().stream().map(v -> new FleetSimulator.Variant(v.name(),
                v.pricePerHour().orElse(12.29), v.capacityType() == VariantSpec.CapacityType.SPOT)).toList();
    }

    /** Ours, and each baseline at the knob it is compared at (its first knob when none reaches ours). */
    static List<Row> charted(List<Row> rows, List<Comparison> comparisons) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.knob() == null) {
                out.add(r);
                continue;
            }
            Comparison c = comparisons.stream().filter(x -> x.policy().equals(r.policy())).findFirst().orElse(null);
            boolean first = out.stream().noneMatch(x -> x.policy().equals(r.policy()));
            if (c != null && (c.knob() != null ? c.knob().equals(r.knob()) : first)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Ours, through the HPA: the row everything is compared with. */
    static Row ours(List<Row> rows) {
        return rows.stream().filter(r -> r.policy().equals("gpu-autoscaler")).findFirst().orElseThrow();
    }

    /** Minutes whose highest replica count, at the simulated price, cost more per hour than the budget. */
    static int overrunMinutes(FleetSimulator.Result r, double pricePerReplicaHour, OptionalDouble hourlyBudget) {
        if (hourlyBudget.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (double replicas : r.replicasPerMinute()) {
            if (replicas * pricePerReplicaHour > hourlyBudget.getAsDouble() + 1e-9) {
                n++;
            }
        }
        return n;
    }

    /**
     * Each baseline at its cheapest knob whose SLO attainment is at least ours (the HPA-actuated
     * gpu-autoscaler row); a baseline none of whose knobs gets there is reported with a null knob.
     */
    static List<Comparison> compare(List<Row> rows) {
        Row ours = ours(rows);
        double target = ours.result().sloAttainment();
        Map<String, Comparison> best = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.knob() == null) {
                continue;
            }
            FleetSimulator.Result res = r.result();
            Comparison c = new Comparison(r.policy(), r.knob(), res.sloAttainment(), res.gpuHours(),
                    res.gpuHours() / ours.result().gpuHours());
            Comparison prev = best.get(r.policy());
            boolean reaches = res.sloAttainment() >= target;
            if (prev == null) {
                best.put(r.policy(), reaches ? c : new Comparison(r.policy(), null, res.sloAttainment(),
                        res.gpuHours(), Double.NaN));
            } else if (reaches && (prev.knob() == null || res.gpuHours() < prev.gpuHours())) {
                best.put(r.policy(), c);
            } else if (!reaches && prev.knob() == null && res.sloAttainment() > prev.sloAttainment()) {
                best.put(r.policy(), new Comparison(r.policy(), null, res.sloAttainment(), res.gpuHours(), Double.NaN));
            }
        }
        return List.copyOf(best.values());
    }

    /** The report as the CLI's {@code --json} and the API print it. */
    public static ObjectNode json(Report report) {
        List<Row> rows = report.rows();
        List<Comparison> comparisons = report.comparisons();
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("trace", report.trace());
        root.put("requests", report.traffic().requests());
        root.put("simulation", report.traffic().simulation());
        ObjectNode fleet = root.putObject("fleet");
        fleet.put("coldStartMinSeconds", report.fleet().coldStartMinSeconds());
        fleet.put("coldStartMaxSeconds", report.fleet().coldStartMaxSeconds());
        fleet.put("scrapeSeconds", report.fleet().scrapeSeconds());
        fleet.put("warmupSeconds", WARMUP_SECONDS);
        ReplicaModel.Calibration cal = report.fleet().replica();
        ObjectNode replica = fleet.putObject("replica");
        replica.put("maxNumSeqs", cal.maxNumSeqs());
        replica.put("maxNumBatchedTokens", cal.maxNumBatchedTokens());
        replica.put("prefillTokensPerSecond", cal.prefillTokensPerSecond());
        ArrayNode itl = replica.putArray("interTokenLatency");
        for (int i = 0; i < cal.itlBatch().length; i++) {
            itl.addObject().put("batch", cal.itlBatch()[i]).put("seconds", cal.itlSeconds()[i]);
        }
        ArrayNode results = root.putArray("results");
        for (Row row : rows) {
            FleetSimulator.Result r = row.result();
            ObjectNode o = results.addObject();
            o.put("policy", row.policy());
            putNumber(o, "knob", row.knob());
            if (row.policy().startsWith("oracle")) {
                o.put("bound", row.policy().equals("oracle") ? "lower" : "upper");
            }
            o.put("sloAttainment", r.sloAttainment());
            putNumber(o, "ttftP50", r.ttftP50());
            putNumber(o, "ttftP95", r.ttftP95());
            putNumber(o, "ttftP99", r.ttftP99());
            o.put("gpuHours", r.gpuHours());
            o.put("cost", r.cost());
            o.put("budgetOverrunMinutes", row.budgetOverrunMinutes());
            o.put("scaleEvents", r.scaleEvents());
            o.put("spotInterruptions", r.interruptions());
        }
        ArrayNode eq = root.putArray("atEqualAttainment");
        for (Comparison c : comparisons) {
            ObjectNode o = eq.addObject();
            o.put("policy", c.policy());
            putNumber(o, "knob", c.knob());
            o.put("sloAttainment", c.sloAttainment());
            o.put("gpuHours", c.gpuHours());
            if (Double.isNaN(c.ratio())) {
                o.putNull("gpuHoursVsOurs");
            } else {
                o.put("gpuHoursVsOurs", c.ratio());
            }
        }
        return root;
    }

    private static void print(String trace, Traffic traffic, List<Row> rows, List<Comparison> comparisons,
            PrintStream out) {
        out.printf("trace %s: %d requests, mean %.1f req/s, peak minute %.1f req/s, simulated %s%n", trace,
                traffic.requests(), traffic.meanRate(), traffic.peakMinuteRate(),
                traffic.simulation().equals("fluid") ? "as a fluid" : "request by request");
        out.printf("%-22s %6s %8s %8s %8s %8s %9s %10s %7s %7s%n", "policy", "knob", "SLO", "p50 s", "p95 s", "p99 s",
                "GPU-h", "cost $", "events", "overrun");
        for (Row row : rows) {
            FleetSimulator.Result r = row.result();
            out.printf("%-22s %6s %7.2f%% %8.3f %8.3f %8.3f %9.2f %10.2f %7d %7d%n", row.policy(),
                    row.knob() == null ? "-" : knob(row.knob()), 100 * r.sloAttainment(),
                    r.ttftP50(), r.ttftP95(), r.ttftP99(), r.gpuHours(), r.cost(), r.scaleEvents(),
                    row.budgetOverrunMinutes());
        }
        String spot = spotSummary(rows);
        if (spot != null) {
            out.println(spot);
        }
        out.println("(oracle: a proven lower bound on GPU-hours for serving every request within the SLO, not an "
                + "achievable schedule; oracle-schedule: a schedule chosen knowing the arrivals, at ours' "
                + "attainment, served as a fluid: the exact oracle lies between)");
        out.println();
        out.println("at equal SLO attainment (each baseline's cheapest knob reaching gpu-autoscaler's):");
        for (Comparison c : comparisons) {
            if (c.knob() == null) {
                out.printf("  %-20s never reaches it (best %.2f%%)%n", c.policy(), 100 * c.sloAttainment());
            } else {
                out.printf("  %-20s knob %-5s %9.2f GPU-h = %.2fx ours%n", c.policy(), knob(c.knob()),
                        c.gpuHours(), c.ratio());
            }
        }
        FleetSimulator.Result ours = ours(rows).result();
        rows.stream().filter(r -> r.policy().equals("oracle-schedule")).findFirst().ifPresent(r -> out.printf(
                "  %-20s %-10s %9.2f GPU-h = %.2fx ours (the exact oracle costs at most this)%n", r.policy(), "",
                r.result().gpuHours(), r.result().gpuHours() / ours.gpuHours()));
    }

    static String knob(double k) {
        return k == Math.rint(k) ? Long.toString((long) k) : String.format(java.util.Locale.ROOT, "%.1f", k);
    }

    /** Absent (a knob for ours) and non-finite numbers (no latency for the oracle) as null: JSON has no NaN. */
    private static void putNumber(ObjectNode o, String field, Double v) {
        if (v != null && Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    /** Ours with spot against ours on-demand only, when both ran. */
    static String spotSummary(List<Row> rows) {
        Row od = rows.stream().filter(r -> r.policy().equals("gpu-autoscaler")).findFirst().orElse(null);
        Row sp = rows.stream().filter(r -> r.policy().equals("gpu-autoscaler-spot")).findFirst().orElse(null);
        if (od == null || sp == null) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "spot allowed: $%.2f vs $%.2f on-demand only (%.1f%% less), "
                + "SLO %.2f%% vs %.2f%%, %d interruptions", sp.result().cost(), od.result().cost(),
                100 * (1 - sp.result().cost() / od.result().cost()), 100 * sp.result().sloAttainment(),
                100 * od.result().sloAttainment(), sp.result().interruptions());
    }
}
