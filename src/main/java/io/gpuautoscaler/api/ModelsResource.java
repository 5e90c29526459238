package io.gpuautoscaler.api;

import io.gpuautoscaler.workload.ModelStatus;
import io.gpuautoscaler.workload.WorkloadController;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What the last reconcile applied for each model, its replicas and its errors. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    @Inject
    WorkloadController workloads;

    @GET
    public List<ModelStatus> models(@QueryParam("namespace") String namespace) {
        return workloads.statuses().values().stream()
                .filter(s -> namespace == null || namespace.isEmpty() || namespace.equals(s.namespace())).toList();
    }
}
