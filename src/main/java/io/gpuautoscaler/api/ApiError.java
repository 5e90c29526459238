package io.gpuautoscaler.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON body of an error answer. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record ApiError(int status, String error) {

    static Response response(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getStatusCode(), message)).build();
    }
}
