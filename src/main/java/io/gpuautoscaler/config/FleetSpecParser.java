package io.gpuautoscaler.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuautoscaler.simulation.FleetSpec;
import io.gpuautoscaler.simulation.ReplicaModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The backtest's fleet file. Every key is optional; what is left out keeps {@link FleetSpec#DEFAULT}:
 * <pre>
 * coldStart: {min: 45s, max: 180s}
 * scrapeInterval: 15s
 * replica:
 *   maxNumSeqs: 256
 *   maxNumBatchedTokens: 8192
 *   prefillTokensPerSecond: 25000
 *   interTokenLatency: [{batch: 1, seconds: 0.0046}, {batch: 250, seconds: 0.016}]
 * </pre>
 */
public final class FleetSpecParser {

    private FleetSpecParser() {
    }

    public static FleetSpec parse(String yaml) throws InvalidPolicyException {
        JsonNode root = PolicyParser.readYaml(yaml, "fleet.yaml");
        List<String> problems = new ArrayList<>();
        Fields top = new Fields(root, "", problems, new HashSet<>());
        if (!top.present()) {
            throw new InvalidPolicyException(problems);
        }
        FleetSpec d = FleetSpec.DEFAULT;
        Fields cold = top.child("coldStart");
        Duration min = cold.duration("min", seconds(d.coldStartMinSeconds()), Duration.ZERO);
        Duration max = cold.duration("max", seconds(d.coldStartMaxSeconds()), Duration.ZERO);
        if (max.compareTo(min) < 0) {
            cold.problem(cold.at("max"), "must be >= coldStart.min (" + max.toMillis() / 1e3 + "s < "
                    + min.toMillis() / 1e3 + "s)");
        }
        cold.done();
        Duration scrape = top.duration("scrapeInterval", seconds(d.scrapeSeconds()), Duration.ofSeconds(1));
        ReplicaModel.Calibration replica = replica(top.child("replica"), d.replica());
        top.done();
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return new FleetSpec(replica, min.toMillis() / 1e3, max.toMillis() / 1e3, scrape.toMillis() / 1e3);
    }

    private static ReplicaModel.Calibration replica(Fields f, ReplicaModel.Calibration d) {
        int seqs = f.integer("maxNumSeqs", d.maxNumSeqs(), 1, 1_000_000);
        int tokens = f.integer("maxNumBatchedTokens", d.maxNumBatchedTokens(), 1, 10_000_000);
        if (tokens < seqs) {
            f.problem(f.at("maxNumBatchedTokens"), "must be >= maxNumSeqs (" + tokens + " < " + seqs + ")");
        }
        double prefill = f.num("prefillTokensPerSecond", d.prefillTokensPerSecond(), x -> x > 0, "> 0");
        double[] batch = d.itlBatch();
        double[] itl = d.itlSeconds();
        if (f.has("interTokenLatency")) {
            List<Fields> points = f.list("interTokenLatency");
            if (points.size() < 2) {
                f.problem(f.at("interTokenLatency"), "needs at least 2 points ({batch, seconds}), got "
                        + points.size());
            }
            batch = new double[points.size()];
            itl = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                Fields p = points.get(i);
                Integer b = p.integer("batch", null, 1, 1_000_000);
                Double seconds = p.num("seconds", null, x -> x > 0 && x < 10, "in (0, 10) seconds per token");
                batch[i] = b == null ? Double.NaN : b;
                itl[i] = seconds == null ? Double.NaN : seconds;
                if (i > 0 && !(batch[i] > batch[i - 1] && itl[i] >= itl[i - 1])
                        && Double.isFinite(batch[i] + batch[i - 1] + itl[i] + itl[i - 1])) {
                    p.problem(p.at("batch"), "points must be in increasing batch order with a latency that does "
                            + "not fall");
                }
                p.done();
            }
        }
        f.done();
        return new ReplicaModel.Calibration(seqs, tokens, prefill, batch, itl);
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
