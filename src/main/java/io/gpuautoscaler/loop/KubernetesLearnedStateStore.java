package io.gpuautoscaler.loop;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.gpuautoscaler.policy.ModelKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The learned state in a ConfigMap of the autoscaler's namespace, one key per model:
 * {@code capacity.<namespace>.<model>: "<requests/s per replica>"}.
 */
public final class KubernetesLearnedStateStore implements LearnedStateStore {

    public static final String NAME = "gpu-autoscaler-learned";
    static final String PREFIX = "capacity.";
    private static final Logger LOG = Logger.getLogger(KubernetesLearnedStateStore.class);

    private final KubernetesClient client;
    private final String namespace;

    public KubernetesLearnedStateStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public Map<ModelKey, Double> load() {
        ConfigMap cm;
        try {
            cm = client.configMaps().inNamespace(namespace).withName(NAME).get();
        } catch (KubernetesClientException e) {
            LOG.warnf("Learned state ConfigMap %s/%s unreadable (%s): starting from the configured capacities",
                    namespace, NAME, e.getMessage());
            return Map.of();
        }
        Map<ModelKey, Double> out = new LinkedHashMap<>();
        if (cm == null || cm.getData() == null) {
            return out;
        }
        cm.getData().forEach((key, value) -> {
            String[] parts = key.startsWith(PREFIX) ? key.substring(PREFIX.length()).split("\\.", 2) : new String[0];
            Double capacity = parse(value);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty() || capacity == null) {
                LOG.warnf("Learned state %s/%s: key '%s' = '%s' is not capacity.<namespace>.<model>: <req/s > 0>;"
                        + " ignored", namespace, NAME, key, value);
                return;
            }
            out.put(new ModelKey(parts[0], parts[1]), capacity);
        });
        return out;
    }

    private static Double parse(String value) {
        try {
            double v = Double.parseDouble(value == null ? "" : value.trim());
            return Double.isFinite(v) && v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void save(Map<ModelKey, Double> capacities) {
        Map<String, String> data = new TreeMap<>();
        capacities.forEach((k, v) -> data.put(PREFIX + k.namespace() + "." + k.name(), Double.toString(v)));
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "gpu-autoscaler").endMetadata().withData(data).build();
        client.configMaps().inNamespace(namespace).resource(cm).createOr(NonDeletingOperation::update);
    }
}
