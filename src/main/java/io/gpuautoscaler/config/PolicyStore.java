package io.gpuautoscaler.config;

import io.gpuautoscaler.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The policy in force (the last good one) and the last rejected attempt. */
@ApplicationScoped
public class PolicyStore {

    /** A policy in force, with where it came from (and its ConfigMap, for Events). */
    public record Loaded(Policy policy, String origin, Instant loadedAt, Optional<PolicyOrigin.ConfigMapRef> configMap) {
    }

    /** A rejected policy: where from, when, and every problem. */
    public record Rejection(String origin, Instant at, List<String> problems) {
    }

    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final AtomicReference<Rejection> lastRejection = new AtomicReference<>();

    public Optional<Loaded> current() {
        return Optional.ofNullable(current.get());
    }

    public Optional<Rejection> lastRejection() {
        return Optional.ofNullable(lastRejection.get());
    }

    void accept(Loaded loaded) {
        current.set(loaded);
    }

    void reject(Rejection rejection) {
        lastRejection.set(rejection);
    }
}
