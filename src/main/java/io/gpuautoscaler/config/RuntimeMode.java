package io.gpuautoscaler.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The resolved mode: {@code auto} becomes cluster inside a pod, embedded elsewhere. */
@ApplicationScoped
public class RuntimeMode {

    @Inject
    AutoscalerConfig config;

    public boolean cluster() {
        return switch (config.mode()) {
            case CLUSTER -> true;
            case EMBEDDED -> false;
            case AUTO -> System.getenv("KUBERNETES_SERVICE_HOST") != null;
        };
    }

    public String describe() {
        return cluster() ? "cluster" : "embedded";
    }
}
