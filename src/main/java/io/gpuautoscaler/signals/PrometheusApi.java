package io.gpuautoscaler.signals;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** Prometheus' HTTP API, the part we use. The body is parsed by {@link PrometheusResponse}. */
@Path("/api/v1")
public interface PrometheusApi extends AutoCloseable {

    /** Instant query; POST so long batched queries fit. */
    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    InputStream query(@HeaderParam("Authorization") String authorization, @FormParam("query") String query,
            @FormParam("time") String time, @FormParam("timeout") String timeout);
}
