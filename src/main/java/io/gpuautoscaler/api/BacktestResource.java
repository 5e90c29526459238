package io.gpuautoscaler.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuautoscaler.config.FleetSpecParser;
import io.gpuautoscaler.config.InvalidPolicyException;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.simulation.Backtest;
import io.gpuautoscaler.simulation.FleetSpec;
import io.gpuautoscaler.simulation.PrometheusHistory;
import io.gpuautoscaler.simulation.TraceReader;
import io.gpuautoscaler.simulation.Traffic;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/backtest}: the CLI's backtest over HTTP, against a candidate policy (or the one in force),
 * on a trace in the request or on the arrival rate Prometheus recorded. One at a time: a run takes the CPU.
 */
@Path("/api/v1/backtest")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BacktestResource {

    private static final Logger LOG = Logger.getLogger(BacktestResource.class);
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    @Inject
    PolicyStore policies;

    /**
     * What to replay.
     *
     * @param trace a trace file's text (Azure request CSV or ServeGen rate CSV); or instead
     * @param prometheus a Prometheus range query of the arrival rate
     * @param policy candidate policy YAML; absent: the policy in force
     * @param simulation {@code auto} (default), {@code requests} or {@code fluid}
     * @param burstiness a rate curve's inter-arrival coefficient of variation (1, the default: Poisson)
     * @param fleet the simulated fleet's YAML (replica calibration, cold start, scrape interval); absent: defaults
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record BacktestRequest(String trace, String traceName, PrometheusSource prometheus, String policy,
            Double scale, Long seed, Boolean sweep, Boolean spot, Double spotHazard, String simulation,
            Double burstiness, String fleet) {
    }

    /** {@code query} defaults to the fleet's completed requests per second; range 7d, step 5m. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record PrometheusSource(String url, String query, String range, String step) {
    }

    @POST
    public Response backtest(BacktestRequest req) {
        if (req == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "a JSON body is required: {\"trace\": \"...\"} or "
                    + "{\"prometheus\": {\"url\": \"...\"}}");
        }
        if ((req.trace() == null) == (req.prometheus() == null)) {
            return ApiError.response(Response.Status.BAD_REQUEST, "give exactly one of trace (the file's text) and "
                    + "prometheus ({url, query, range, step})");
        }
        if (!RUNNING.compareAndSet(false, true)) {
            return ApiError.response(Response.Status.TOO_MANY_REQUESTS, "a backtest is already running; retry later");
        }
        try {
            long seed = req.seed() == null ? 1 : req.seed();
            Traffic.Mode mode = Backtest.mode(req.simulation());
            double cv = req.burstiness() == null ? 1 : req.burstiness();
            if (req.scale() != null && !(req.scale() > 0)) {
                return ApiError.response(Response.Status.BAD_REQUEST, "scale must be > 0");
            }
            FleetSpec fleet;
            try {
                fleet = req.fleet() == null ? FleetSpec.DEFAULT : FleetSpecParser.parse(req.fleet());
            } catch (InvalidPolicyException e) {
                return ApiError.response(Response.Status.BAD_REQUEST, "fleet: " + e.getMessage());
            }
            Backtest.Options options = Backtest.Options.of(req.policy(),
                    policies.current().map(PolicyStore.Loaded::policy).orElse(null), Boolean.TRUE.equals(req.spot()),
                    req.spotHazard(), seed, Boolean.TRUE.equals(req.sweep()), fleet);
            Traffic traffic;
            String name;
            if (req.trace() != null) {
                name = req.traceName() == null ? "trace.csv" : req.traceName();
                String text = req.trace();
                traffic = Backtest.traffic(name, () -> new StringReader(text), req.scale(), seed, mode, cv,
                        fleet.replica());
            } else {
                PrometheusSource p = req.prometheus();
                PrometheusHistory.Query q = PrometheusHistory.Query.of(p.url(), p.query(),
                        p.range() == null ? "7d" : p.range(), p.step() == null ? "5m" : p.step());
                name = q.describe();
                traffic = Backtest.fromCurve(PrometheusHistory.fetch(q, Instant.now()), req.scale(), seed, mode, cv,
                        fleet.replica());
            }
            ObjectNode out = Backtest.json(Backtest.execute(name, traffic, options, progressLog()));
            return Response.ok(out.toString()).build();
        } catch (TraceReader.TraceFormatException | PrometheusHistory.HistoryException | IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (InvalidPolicyException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "policy: " + e.getMessage());
        } catch (IOException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "cannot read the trace: " + e.getMessage());
        } finally {
            RUNNING.set(false);
        }
    }

    private static PrintStream progressLog() {
        return new PrintStream(new java.io.OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    LOG.info(line);
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true);
    }
}
