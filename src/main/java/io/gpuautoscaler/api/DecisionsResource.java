package io.gpuautoscaler.api;

import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.config.RuntimeMode;
import io.gpuautoscaler.loop.DecisionStore;
import io.gpuautoscaler.policy.WorkloadKey;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Explains what the autoscaler decided and why; reads the decision store only. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionsResource {

    @Inject
    DecisionStore store;
    @Inject
    PolicyStore policies;
    @Inject
    RuntimeMode mode;

    /** Latest decision of every variant, optionally filtered by namespace, model and variant. */
    @GET
    @Path("/decisions")
    public List<DecisionView> decisions(@QueryParam("namespace") String namespace, @QueryParam("model") String model,
            @QueryParam("variant") String variant) {
        return store.latest().stream()
                .filter(d -> matches(namespace, d.workload().namespace()) && matches(model, d.workload().model())
                        && matches(variant, d.workload().variant()))
                .map(DecisionView::of).toList();
    }

    /** The last decisions of one variant, newest last. */
    @GET
    @Path("/decisions/{namespace}/{model}/{variant}/history")
    public Response history(@PathParam("namespace") String namespace, @PathParam("model") String model,
            @PathParam("variant") String variant, @QueryParam("limit") String limitParam) {
        int limit = Integer.MAX_VALUE;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit <= 0) {
                return ApiError.response(Response.Status.BAD_REQUEST,
                        "limit: must be a positive integer, got '" + limitParam + "'");
            }
        }
        List<DecisionStore.Past> h = store.history(new WorkloadKey(namespace, model, variant));
        if (h.isEmpty()) {
            return ApiError.response(Response.Status.NOT_FOUND,
                    "no decisions for " + namespace + "/" + model + "/" + variant);
        }
        return Response.ok(h.subList(Math.max(0, h.size() - limit), h.size()).stream().map(PastView::of)
                .toList()).build();
    }

    /** The policy in force, the last rejection, and the last tick. */
    @GET
    @Path("/policy")
    public Map<String, Object> policy() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode.describe());
        policies.current().ifPresentOrElse(l -> {
            out.put("origin", l.origin());
            out.put("loadedAt", DateTimeFormatter.ISO_INSTANT.format(l.loadedAt()));
            out.put("models", l.policy().models().size());
            out.put("loopIntervalSeconds", l.policy().loopInterval().toMillis() / 1e3);
        }, () -> out.put("origin", null));
        policies.lastRejection().ifPresent(r -> out.put("lastRejection", Map.of("origin", r.origin(), "at",
                DateTimeFormatter.ISO_INSTANT.format(r.at()), "problems", r.problems())));
        store.lastTick().ifPresent(t -> out.put("lastTick", Map.of("at", DateTimeFormatter.ISO_INSTANT.format(t.at()),
                "hourlyCost", t.hourlyCost(), "durationMillis", t.durationNanos() / 1e6)));
        return out;
    }

    private static boolean matches(String filter, String value) {
        return filter == null || filter.isEmpty() || filter.equals(value);
    }
}
