package io.gpuautoscaler.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuautoscaler.config.PolicyParser;
import io.gpuautoscaler.policy.ModelKey;
import io.gpuautoscaler.policy.Policy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconcile on the fabric8 mock server (CRUD; no server-side apply there, so the replacing applier). */
@EnableKubernetesMockClient(crud = true)
class WorkloadReconcilerTest {

    static KubernetesClient client;
    WorkloadReconciler reconciler;

    static Policy policy(String models) throws Exception {
        return PolicyParser.parse("workloads: {deploy: true}\nmodels:\n" + models);
    }

    static final String LLAMA = """
              - name: llama
                namespace: llm
                modelId: meta-llama/Llama-3.1-8B-Instruct
                minReplicas: 2
                workload: {hfTokenSecret: {name: hf-token, key: token}}
                variants:
                  - {name: h100-od, gpuType: H100, pricePerHour: 12.29}
                  - {name: h100-spot, gpuType: H100, capacityType: spot, pricePerHour: 5.5, maxShare: 0.5}
            """;
    static final String MISTRAL = """
              - name: mistral
                namespace: batch
                modelId: mistralai/Mistral-7B-Instruct-v0.3
                actuation: direct
                variants:
                  - {name: l4-od, gpuType: L4, pricePerHour: 0.8}
            """;
    static final String ORPHAN = """
              - name: orphan
                namespace: nowhere
                modelId: x/y
                variants:
                  - {name: l4-od, gpuType: L4, pricePerHour: 0.8}
            """;

    @BeforeEach
    void setUp() {
        for (String ns : new String[] {"llm", "batch", "nowhere"}) {
            client.apps().deployments().inNamespace(ns).delete();
            client.services().inNamespace(ns).delete();
            client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).delete();
            client.policy().v1().podDisruptionBudget().inNamespace(ns).delete();
            client.network().v1().networkPolicies().inNamespace(ns).delete();
        }
        client.namespaces().withName("nowhere").delete();
        for (String ns : new String[] {"llm", "batch"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(n -> n.update());
        }
        reconciler = new WorkloadReconciler(client, new ReplacingApplier(client));
    }

    /** The Deployment of a variant ("llama-h100-od"), whatever its revision hash; the active one if several. */
    Deployment deployment(String ns, String variantName) {
        return client.apps().deployments().inNamespace(ns).list().getItems().stream()
                .filter(d -> d.getMetadata().getName().startsWith(variantName + "-")
                        && d.getMetadata().getName().length() == variantName.length() + 9)
                .sorted((a, b) -> b.getMetadata().getLabels().get("gpu-autoscaler.io/active")
                        .compareTo(a.getMetadata().getLabels().get("gpu-autoscaler.io/active")))
                .findFirst().orElse(null);
    }

    @Test
    void createsTheStackOfEveryModelAndIsolatesABrokenOne() throws Exception {
        Map<ModelKey, ModelStatus> s = reconciler.reconcile(policy(LLAMA + MISTRAL + ORPHAN),
                key -> key.variant().equals("h100-spot") ? Optional.of(3) : Optional.empty(), Instant.now());
        assertEquals(2, deployment("llm", "llama-h100-od").getSpec().getReplicas(), "minReplicas on the first variant");
        assertEquals(3, deployment("llm", "llama-h100-spot").getSpec().getReplicas(), "the latest decision");
        assertNotNull(client.services().inNamespace("llm").withName("llama").get());
        assertNotNull(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("llm").withName("llama-h100-od")
                .get());
        assertNotNull(client.policy().v1().podDisruptionBudget().inNamespace("llm").withName("llama").get());
        assertNotNull(client.network().v1().networkPolicies().inNamespace("llm").withName("llama").get());
        assertNotNull(deployment("batch", "mistral-l4-od"));
        assertNull(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("batch").withName("mistral-l4-od")
                .get(), "direct actuation: no HPA");
        ModelStatus llama = s.get(new ModelKey("llm", "llama"));
        assertNull(llama.error());
        assertTrue(llama.applied().contains("Deployment/" + deployment("llm", "llama-h100-od").getMetadata().getName()
                + ": CREATED"), llama.applied().toString());
        assertTrue(llama.warnings().get(0).contains("Secret llm/hf-token does not exist"), llama.warnings().toString());
        ModelStatus orphan = s.get(new ModelKey("nowhere", "orphan"));
        assertTrue(orphan.error().contains("namespace nowhere does not exist"), orphan.error());
    }

    @Test
    void neverSetsReplicasAgainAndCorrectsDriftInItsOwnFields() throws Exception {
        Policy p = policy(LLAMA);
        reconciler.reconcile(p, key -> Optional.empty(), Instant.now());
        Deployment live = deployment("llm", "llama-h100-od");
        live.getSpec().setReplicas(7);
        live.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("vllm/vllm-openai:tampered");
        client.resource(live).update();
        Map<ModelKey, ModelStatus> s = reconciler.reconcile(p, key -> Optional.of(1), Instant.now());
        Deployment after = deployment("llm", "llama-h100-od");
        assertEquals(7, after.getSpec().getReplicas(), "the HPA's replicas stay");
        assertEquals("vllm/vllm-openai:v0.11.0", after.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage());
        assertTrue(s.get(new ModelKey("llm", "llama")).applied().contains("Deployment/" + after.getMetadata().getName()
                + ": UPDATED"));
        assertTrue(s.get(new ModelKey("llm", "llama")).applied().contains("Service/llama: UNCHANGED"));
    }

    @Test
    void prunesRemovedModelsAndVariantsButNothingThatIsNotOurs() throws Exception {
        Policy both = policy(LLAMA + MISTRAL);
        reconciler.reconcile(both, key -> Optional.empty(), Instant.now());
        // The mock server has no ServiceMonitor CRD to discover: create them the way a real cluster would hold them.
        for (var m : both.models()) {
            client.genericKubernetesResources(WorkloadReconciler.SERVICE_MONITORS).inNamespace(m.namespace())
                    .resource(ModelServiceMonitor.build(m)).createOr(x -> x.update());
        }
        client.services().inNamespace("batch").resource(new ServiceBuilder().withNewMetadata().withName("mistral-legacy")
                .withNamespace("batch").addToLabels("gpu-autoscaler.io/model", "mistral").endMetadata().withNewSpec()
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
        String llamaOneVariant = LLAMA.lines().filter(l -> !l.contains("h100-spot"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Map<ModelKey, ModelStatus> s = reconciler.reconcile(policy(llamaOneVariant), key -> Optional.empty(),
                Instant.now());
        assertNull(deployment("batch", "mistral-l4-od"));
        assertNull(client.services().inNamespace("batch").withName("mistral").get());
        assertNull(client.genericKubernetesResources(WorkloadReconciler.SERVICE_MONITORS).inNamespace("batch")
                .withName("mistral").get(), "its ServiceMonitor goes too");
        assertNotNull(client.genericKubernetesResources(WorkloadReconciler.SERVICE_MONITORS)
                .inNamespace("llm").withName("llama").get());
        assertNotNull(client.services().inNamespace("batch").withName("mistral-legacy").get(), "not ours: kept");
        assertNull(deployment("llm", "llama-h100-spot"));
        assertNull(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("llm").withName("llama-h100-spot")
                .get());
        assertNotNull(deployment("llm", "llama-h100-od"));
        assertTrue(s.get(new ModelKey("llm", "llama")).pruned().stream().anyMatch(p -> p.startsWith(
                "Deployment/llama-h100-spot-")), s.toString());
    }

    @Test
    void createsAMissingNamespaceWhenThePolicySaysSo() throws Exception {
        Policy p = PolicyParser.parse("workloads: {deploy: true, createNamespaces: true}\nmodels:\n" + ORPHAN);
        Map<ModelKey, ModelStatus> s = reconciler.reconcile(p, key -> Optional.empty(), Instant.now());
        assertNull(s.get(new ModelKey("nowhere", "orphan")).error());
        assertEquals("gpu-autoscaler", client.namespaces().withName("nowhere").get().getMetadata().getLabels()
                .get("app.kubernetes.io/managed-by"));
    }

    void markReady(Deployment d) {
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withReplicas(d.getSpec().getReplicas()).withReadyReplicas(d.getSpec().getReplicas()).build());
        client.resource(d).updateStatus();
    }

    @Test
    void aNewModelRevisionRollsOutBlueGreen() throws Exception {
        String single = LLAMA.lines().filter(l -> !l.contains("h100-spot"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Instant t0 = Instant.parse("2026-11-26T12:00:00Z");
        reconciler.reconcile(policy(single), key -> Optional.of(3), t0);
        Deployment blue = deployment("llm", "llama-h100-od");
        String blueRev = blue.getMetadata().getLabels().get("gpu-autoscaler.io/revision");
        blue.getSpec().setReplicas(5);
        client.resource(blue).update();

        Policy next = policy(single.replace("workload: {", "workload: {revision: v2, "));
        Map<ModelKey, ModelStatus> s1 = reconciler.reconcile(next, key -> Optional.of(1), t0.plusSeconds(30));
        Deployment green = client.apps().deployments().inNamespace("llm").withLabel("gpu-autoscaler.io/active", "false")
                .list().getItems().get(0);
        String greenRev = green.getMetadata().getLabels().get("gpu-autoscaler.io/revision");
        assertEquals(5, green.getSpec().getReplicas(), "comes up beside the old one at its size");
        assertTrue(green.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("v2"));
        assertEquals(blueRev, client.services().inNamespace("llm").withName("llama").get().getSpec().getSelector()
                .get("gpu-autoscaler.io/revision"), "traffic stays on the old revision until the new one is ready");
        assertTrue(s1.get(new ModelKey("llm", "llama")).warnings().stream().anyMatch(w -> w.contains("rolling out")));

        markReady(green);
        reconciler.reconcile(next, key -> Optional.of(1), t0.plusSeconds(60));
        assertEquals(greenRev, client.services().inNamespace("llm").withName("llama").get().getSpec().getSelector()
                .get("gpu-autoscaler.io/revision"), "switched once ready");
        assertEquals(green.getMetadata().getName(), client.autoscaling().v2().horizontalPodAutoscalers()
                .inNamespace("llm").withName("llama-h100-od").get().getSpec().getScaleTargetRef().getName());
        assertEquals("false", client.apps().deployments().inNamespace("llm").withName(blue.getMetadata().getName())
                .get().getMetadata().getLabels().get("gpu-autoscaler.io/active"));
        assertNotNull(client.apps().deployments().inNamespace("llm").withName(blue.getMetadata().getName()).get(),
                "kept during the grace period");

        Map<ModelKey, ModelStatus> s3 = reconciler.reconcile(next, key -> Optional.of(1), t0.plusSeconds(60 + 121));
        assertNull(client.apps().deployments().inNamespace("llm").withName(blue.getMetadata().getName()).get());
        assertTrue(s3.get(new ModelKey("llm", "llama")).pruned().contains("Deployment/" + blue.getMetadata().getName()));
        assertEquals(5, client.apps().deployments().inNamespace("llm").withName(green.getMetadata().getName()).get()
                .getSpec().getReplicas());
    }

    @Test
    void aRolloutThatNeverGetsReadyFailsAndTheOldRevisionKeepsServing() throws Exception {
        String single = LLAMA.lines().filter(l -> !l.contains("h100-spot"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Instant now = Instant.now();
        reconciler.reconcile(policy(single), key -> Optional.of(2), now);
        String blueRev = deployment("llm", "llama-h100-od").getMetadata().getLabels().get("gpu-autoscaler.io/revision");
        Policy next = policy(single.replace("workload: {", "workload: {revision: broken, "));
        reconciler.reconcile(next, key -> Optional.of(1), now.plusSeconds(10));
        Map<ModelKey, ModelStatus> s = reconciler.reconcile(next, key -> Optional.of(1), now.plus(
                java.time.Duration.ofMinutes(25)));
        assertTrue(s.get(new ModelKey("llm", "llama")).error().contains("rollout of revision"), s.toString());
        assertTrue(s.get(new ModelKey("llm", "llama")).error().contains("keeps serving"));
        assertEquals(blueRev, client.services().inNamespace("llm").withName("llama").get().getSpec().getSelector()
                .get("gpu-autoscaler.io/revision"));
    }
}
