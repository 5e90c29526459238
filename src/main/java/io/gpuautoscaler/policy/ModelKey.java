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
    public String toString() {
        return namespace + "/" + name;
    }
}
