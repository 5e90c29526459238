package io.gpuautoscaler.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code /metrics} text of a DCGM exporter on one node, with Kubernetes pod mapping on: one series per
 * GPU carrying the pod that holds it. Utilisation per pod is mutable from the test.
 */
public final class DcgmExporter implements Supplier<String> {

    private final String hostname;
    private final Map<String, Double> utilisationByPod = new LinkedHashMap<>();
    private final String namespace;
    /** Publish {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} (a ratio) instead of {@code DCGM_FI_DEV_GPU_UTIL}. */
    public volatile boolean profilingMetric;

    public DcgmExporter(String hostname, String namespace) {
        this.hostname = hostname;
        this.namespace = namespace;
    }

    public synchronized DcgmExporter gpu(String pod, double percent) {
        utilisationByPod.put(pod, percent);
        return this;
    }

    @Override
    public synchronized String get() {
        StringBuilder b = new StringBuilder();
        String name = profilingMetric ? "DCGM_FI_PROF_GR_ENGINE_ACTIVE" : "DCGM_FI_DEV_GPU_UTIL";
        b.append("# HELP ").append(name).append(profilingMetric ? " Ratio of time the graphics engine is active."
                : " GPU utilization (in %).").append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        int gpu = 0;
        for (Map.Entry<String, Double> e : utilisationByPod.entrySet()) {
            double v = profilingMetric ? e.getValue() / 100 : e.getValue();
            b.append(name).append("{gpu=\"").append(gpu).append("\",UUID=\"GPU-5c1f7b2e-0000-0000-0000-00000000000")
                    .append(gpu).append("\",pci_bus_id=\"00000000:00:1").append(gpu)
                    .append(".0\",device=\"nvidia").append(gpu).append("\",modelName=\"NVIDIA H100 80GB HBM3\",")
                    .append("hostname=\"").append(hostname).append("\",DCGM_FI_DRIVER_VERSION=\"550.54.15\",")
                    .append("container=\"vllm\",namespace=\"").append(namespace).append("\",pod=\"")
                    .append(e.getKey()).append("\"} ").append(VllmExporter.num(v)).append('\n');
            gpu++;
        }
        return b.toString();
    }
}
