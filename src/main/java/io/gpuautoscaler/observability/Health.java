package io.gpuautoscaler.observability;

import io.gpuautoscaler.config.AutoscalerConfig;
import io.gpuautoscaler.config.PolicyStore;
import io.gpuautoscaler.config.RuntimeMode;
import io.gpuautoscaler.loop.DecisionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Liveness from the age of the last completed tick; readiness once a valid policy is in force. */
public class Health {

    @Liveness
    @ApplicationScoped
    public static class LoopLiveness implements HealthCheck {
        @Inject
        PolicyStore policies;
        @Inject
        DecisionStore decisions;
        @Inject
        AutoscalerConfig config;
        @Inject
        Clock clock;

        @Override
        public HealthCheckResponse call() {
            var b = HealthCheckResponse.named("control-loop");
            var loaded = policies.current();
            if (loaded.isEmpty()) {
                return b.up().withData("tick", "waiting for a policy").build();
            }
            Duration interval = loaded.get().policy().loopInterval();
            Duration allowed = interval.multipliedBy(config.loop().livenessMissedTicks());
            if (allowed.compareTo(Duration.ofSeconds(60)) < 0) {
                allowed = Duration.ofSeconds(60);
            }
            Instant last = decisions.lastTick().map(DecisionStore.Tick::at).orElse(loaded.get().loadedAt());
            Duration age = Duration.between(last, clock.instant());
            b.withData("lastTickAgeSeconds", age.toSeconds()).withData("allowedSeconds", allowed.toSeconds());
            return (age.compareTo(allowed) <= 0 ? b.up() : b.down()).build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class PolicyReadiness implements HealthCheck {
        @Inject
        PolicyStore policies;
        @Inject
        RuntimeMode mode;

        @Override
        public HealthCheckResponse call() {
            var b = HealthCheckResponse.named("policy").withData("mode", mode.describe());
            policies.lastRejection().ifPresent(r -> b.withData("lastRejection", String.join("; ", r.problems())));
            return policies.current().map(l -> b.up().withData("origin", l.origin())
                    .withData("models", l.policy().models().size()).build())
                    .orElseGet(() -> b.down().withData("policy", "no valid policy loaded").build());
        }
    }
}
