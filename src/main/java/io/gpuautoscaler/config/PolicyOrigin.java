package io.gpuautoscaler.config;

import java.util.Optional;

/**
 * Where a policy text came from: a file, or a ConfigMap (then rejections become Events on it).
 *
 * @param description for logs and the API, e.g. {@code configmap gpu-autoscaler/gpu-autoscaler-policy@123}
 * @param configMap the ConfigMap, when it came from one
 */
public record PolicyOrigin(String description, Optional<ConfigMapRef> configMap) {

    /** The object an Event is about. */
    public record ConfigMapRef(String namespace, String name, String uid, String resourceVersion) {
    }

    public static PolicyOrigin file(String path) {
        return new PolicyOrigin("file " + path, Optional.empty());
    }
}
