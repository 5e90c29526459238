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

    /** The external metrics API for the HPA. */
    ExternalMetrics externalMetrics();

    /** Embedded mode's simulated fleet. */
    Embedded embedded();

    interface Embedded {
        /**
         * Run the live loop against a simulated fleet on the bundled traces (pods, metrics, scaling) instead of
         * holding every decision on unknown signals.
         */
        @WithDefault("true")
        boolean simulate();

        /** Real time in which the simulated load curve passes one day. */
        @WithDefault("10m")
        Duration day();

        /** Shortest cold start of a simulated pod. */
        @WithDefault("10s")
        Duration coldStartMin();

        /** Longest cold start of a simulated pod. */
        @WithDefault("30s")
        Duration coldStartMax();
    }

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

    interface ExternalMetrics {
        /** Serve {@code external.metrics.k8s.io} over HTTPS. */
        @WithDefault("true")
        boolean enabled();

        /** HTTPS port. */
        @WithDefault("6443")
        int port();

        /** Bind address; default all interfaces, but always 127.0.0.1 when authentication is off. */
        Optional<String> host();

        /** PEM certificate chain of the server (e.g. a mounted Secret); default: a self-signed one. */
        Optional<String> certFile();

        /** PEM private key of {@code cert-file}. */
        Optional<String> keyFile();

        /**
         * {@code delegated}: front-proxy mTLS, TokenReview and SubjectAccessReview like an aggregated API
         * server; {@code none}: no authentication, bound to 127.0.0.1 only (local runs); {@code auto}:
         * delegated in cluster mode, none in embedded mode.
         */
        @WithDefault("auto")
        Authentication authentication();

        /** How long a TokenReview or an allowed SubjectAccessReview is cached. */
        @WithDefault("10s")
        Duration authCacheTtl();

        /** How long a denied SubjectAccessReview is cached. */
        @WithDefault("5s")
        Duration authDenyCacheTtl();

        enum Authentication {
            AUTO, DELEGATED, NONE
        }
    }

    interface Loop {
        /** Decisions kept per variant for the history endpoint (40 = 10 minutes at 15 s). */
        @WithDefault("40")
        int historySize();

        /** Liveness fails when no tick completed within this many loop intervals (at least 60 s). */
        @WithDefault("4")
        int livenessMissedTicks();
    }
}
