package io.gpuautoscaler.policy;

/** A pod, by namespace and name. */
public record PodKey(String namespace, String pod) {
}
