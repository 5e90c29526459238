package io.gpuautoscaler.policy;

/** Identity of a model: namespace and name. */
public record ModelKey(String namespace, String name) implements Comparable<ModelKey> {

    @Override
    public int compareTo(ModelKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    public WorkloadKey variant(String variant) {
        return new WorkloadKey(namespace, name, variant);
    }

    @Override
    public int hashCode() {
        return PodKeyHash.mix(namespace.hashCode() * 0x9E3779B9 + name.hashCode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelKey k && k.namespace.equals(namespace) && k.name.equals(name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
