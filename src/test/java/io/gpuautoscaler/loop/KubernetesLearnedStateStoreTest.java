package io.gpuautoscaler.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuautoscaler.policy.ModelKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The learned state's ConfigMap against the fabric8 mock server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class KubernetesLearnedStateStoreTest {

    static KubernetesClient client;

    @Test
    void whatWasSavedIsLoadedBackAndASecondSaveReplacesIt() {
        KubernetesLearnedStateStore store = new KubernetesLearnedStateStore(client, "gpu-autoscaler");
        assertTrue(store.load().isEmpty(), "nothing kept yet");
        store.save(Map.of(new ModelKey("llm", "chat"), 12.5, new ModelKey("llm", "code"), 7.25));
        assertEquals(Map.of(new ModelKey("llm", "chat"), 12.5, new ModelKey("llm", "code"), 7.25), store.load());
        store.save(Map.of(new ModelKey("llm", "chat"), 13.0));
        assertEquals(Map.of(new ModelKey("llm", "chat"), 13.0), store.load());
        assertEquals("gpu-autoscaler", client.configMaps().inNamespace("gpu-autoscaler")
                .withName(KubernetesLearnedStateStore.NAME).get().getMetadata().getLabels()
                .get("app.kubernetes.io/managed-by"));
    }

    @Test
    void entriesThatCannotBeReadAreLeftOutAndTheRestIsKept() {
        client.configMaps().inNamespace("ops").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(KubernetesLearnedStateStore.NAME).withNamespace("ops").endMetadata()
                .addToData("capacity.llm.chat", "11.5")
                .addToData("capacity.llm.bad", "fast")
                .addToData("capacity.llm.zero", "0")
                .addToData("capacity.llm.nan", "NaN")
                .addToData("capacity.nomodel", "9")
                .addToData("other", "3").build()).create();
        assertEquals(Map.of(new ModelKey("llm", "chat"), 11.5),
                new KubernetesLearnedStateStore(client, "ops").load());
    }
}
