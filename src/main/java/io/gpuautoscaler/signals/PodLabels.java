package io.gpuautoscaler.signals;

import io.gpuautoscaler.policy.PodKey;
import java.util.Map;

/**
 * The pod a series is about. {@code exported_pod}/{@code exported_namespace} win over {@code pod}/
 * {@code namespace}: without {@code honor_labels} the latter name the exporter (DCGM), not the GPU's pod.
 */
final class PodLabels {

    private PodLabels() {
    }

    /** The pod, or null when the series names none. */
    static PodKey of(Map<String, String> labels) {
        String pod = first(labels, "exported_pod", "pod");
        String ns = first(labels, "exported_namespace", "namespace");
        return pod == null || ns == null ? null : new PodKey(ns, pod);
    }

    private static String first(Map<String, String> labels, String preferred, String fallback) {
        String v = labels.get(preferred);
        if (v == null || v.isEmpty()) {
            v = labels.get(fallback);
        }
        return v == null || v.isEmpty() ? null : v;
    }
}
