package io.gpuautoscaler.policy;

/** Identity of one scaled workload: a model's variant in a namespace. */
public record WorkloadKey(String namespace, String model, String variant) implements Comparable<WorkloadKey> {

    public ModelKey modelKey() {
        return new ModelKey(namespace, model);
    }

    @Override
    public int compareTo(WorkloadKey o) {
        int c = modelKey().compareTo(o.modelKey());
        return c != 0 ? c : variant.compareTo(o.variant);
    }

    @Override
    public int hashCode() {
        return PodKeyHash.mix(namespace.hashCode() * 0x9E3779B9 + model.hashCode() * 0x9E3779B9 + variant.hashCode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadKey k && k.namespace.equals(namespace) && k.model.equals(model) && k.variant.equals(variant);
    }

    @Override
    public String toString() {
        return namespace + "/" + model + "/" + variant;
    }
}
