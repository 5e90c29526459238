package io.gpuautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Static settings of the service (application.properties, env, -D). The scaling policy is elsewhere. */
@ConfigMapping(prefix = "gpu-autoscaler")
public interface AutoscalerConfig {

    /**
     * {@code cluster}: policy ConfigMap, pod informer and Prometheus; {@code embedded}: no cluster and no
     * Prometheus, policy from a file; {@code auto}: cluster when running in a pod, else embedded.
     */
    @WithDefault("auto")
    Mode mode();

    /** Where the policy comes from. */
    PolicySource policy();

    /** Control loop. */
    Loop loop();

    enum Mode {
        AUTO, CLUSTER, EMBEDDED
    }

    interface PolicySource {
        /** Read the policy from this file instead of the ConfigMap; polled for changes. */
        Optional<String> file();

        /** Name of the policy ConfigMap (key {@code policy.yaml}). */
        @WithDefault("gpu-autoscaler-policy")
        String configMapName();

        /** Namespace of the policy ConfigMap; default: the service's own namespace. */
        Optional<String> configMapNamespace();

        /** How often the policy file is checked for changes. */
        @WithDefault("2s")
        Duration filePollInterval();
    }

    interface Loop {
        /** Decisions kept per variant for the history endpoint. */
        @WithDefault("120")
        int historySize();

        /** Liveness fails when no tick completed within this many loop intervals (at least 60 s). */
        @WithDefault("4")
        int livenessMissedTicks();
    }
}
