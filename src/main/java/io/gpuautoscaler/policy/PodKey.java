package io.gpuautoscaler.policy;

/** A pod, by namespace and name. */
public record PodKey(String namespace, String pod) {

    @Override
    public int hashCode() {
        return PodKeyHash.mix(namespace.hashCode() * 0x9E3779B9 + pod.hashCode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PodKey k && k.pod.equals(pod) && k.namespace.equals(namespace);
    }
}
