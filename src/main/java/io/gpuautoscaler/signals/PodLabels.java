package io.gpuautoscaler.signals;

import io.gpuautoscaler.policy.PodKey;

/**
 * The pod a series is about. {@code exported_pod}/{@code exported_namespace} win over {@code pod}/
 * {@code namespace}: without {@code honor_labels} the latter name the exporter (DCGM), not the GPU's pod.
 */
final class PodLabels {

    private PodLabels() {
    }

    /** The pod, or null when the series names none. */
    static PodKey of(PrometheusResponse.Sample s) {
        String pod = first(s.exportedPod(), s.pod());
        String ns = first(s.exportedNamespace(), s.namespace());
        return pod == null || ns == null ? null : new PodKey(ns, pod);
    }

    private static String first(String preferred, String fallback) {
        String v = preferred == null || preferred.isEmpty() ? fallback : preferred;
        return v == null || v.isEmpty() ? null : v;
    }
}
