package io.gpuautoscaler.adapter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.gpuautoscaler.policy.Decision;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The decisions of one tick, indexed for the external metrics API: per metric and namespace, each series'
 * labels and its {@code ExternalMetricValue} JSON rendered once. A request filters and concatenates.
 */
final class MetricSeriesIndex {

    /** One series: its labels (for the selector) and its rendered item. */
    record Series(String model, Map<String, String> labels, String json) {
    }

    static final MetricSeriesIndex EMPTY = new MetricSeriesIndex(List.of(), 15);

    final List<Decision> source;
    private final Map<PublishedMetric, Map<String, List<Series>>> byMetric = new EnumMap<>(PublishedMetric.class);

    MetricSeriesIndex(List<Decision> decisions, long windowSeconds) {
        this.source = decisions;
        for (PublishedMetric m : PublishedMetric.values()) {
            byMetric.put(m, new HashMap<>());
        }
        for (Decision d : decisions) {
            Map<String, String> labels = Map.of("model", d.workload().model(), "variant", d.workload().variant(),
                    "gpu_type", d.gpuType(), "capacity_type", d.capacityType().wire());
            String timestamp = DateTimeFormatter.ISO_INSTANT.format(d.timestamp().truncatedTo(ChronoUnit.SECONDS));
            for (PublishedMetric m : PublishedMetric.values()) {
                OptionalDouble v = m.valueOf(d);
                if (v.isEmpty() || !Double.isFinite(v.getAsDouble())) {
                    continue;
                }
                String json = "{\"metricName\":\"" + m.metricName() + "\",\"metricLabels\":{\"capacity_type\":"
                        + quote(d.capacityType().wire()) + ",\"gpu_type\":" + quote(d.gpuType()) + ",\"model\":"
                        + quote(d.workload().model()) + ",\"variant\":" + quote(d.workload().variant())
                        + "},\"timestamp\":\"" + timestamp + "\",\"window\":" + windowSeconds + ",\"value\":\""
                        + Quantity.format(v.getAsDouble()) + "\"}";
                byMetric.get(m).computeIfAbsent(d.workload().namespace(), k -> new ArrayList<>())
                        .add(new Series(d.workload().model(), labels, json));
            }
        }
    }

    /** Items of the metric in the namespace whose labels match, rendered. */
    List<String> items(PublishedMetric metric, String namespace, LabelSelector selector) {
        List<Series> all = byMetric.get(metric).getOrDefault(namespace, List.of());
        String model = selector.equalTo("model");
        List<String> out = new ArrayList<>();
        for (Series s : all) {
            if ((model == null || model.equals(s.model())) && selector.matches(s.labels())) {
                out.add(s.json());
            }
        }
        return out;
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
