package io.gpuautoscaler.policy;

/**
 * A pod of a managed workload, as the inventory sees it.
 *
 * @param key the pod
 * @param workload the model variant it serves
 * @param ready whether it passes readiness (serves traffic); not-ready pods are capacity on its way
 */
public record PodInfo(PodKey key, WorkloadKey workload, boolean ready) {
}
