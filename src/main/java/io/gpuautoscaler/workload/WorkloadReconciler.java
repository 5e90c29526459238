package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuautoscaler.inventory.WorkloadLabels;
import io.gpuautoscaler.inventory.WorkloadNames;
import io.gpuautoscaler.policy.ModelKey;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.policy.WorkloadKey;
import io.gpuautoscaler.policy.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Makes the cluster hold each model's stack as the policy says, and nothing of removed models. One model
 * failing (missing namespace, an object the API server refuses) is reported and skipped; the others
 * proceed. Only objects carrying our managed-by label are ever pruned.
 */
public final class WorkloadReconciler {

    private static final Logger LOG = Logger.getLogger(WorkloadReconciler.class);

    private final KubernetesClient client;
    private final ResourceApplier applier;

    public WorkloadReconciler(KubernetesClient client, ResourceApplier applier) {
        this.client = client;
        this.applier = applier;
    }

    /**
     * @param initialReplicas replicas for a Deployment that does not exist yet (from the latest decision);
     *     a variant without one starts at minReplicas if it is the model's first, else at 0
     * @return the status of every model of the policy
     */
    public Map<ModelKey, ModelStatus> reconcile(Policy policy, Function<WorkloadKey, Optional<Integer>> initialReplicas,
            Instant now) {
        Map<ModelKey, ModelStatus> out = new LinkedHashMap<>();
        Workloads w = policy.workloads();
        for (ModelSpec m : policy.models()) {
            List<String> applied = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            List<String> pruned = new ArrayList<>();
            String error = null;
            try {
                if (ensureNamespace(m, w)) {
                    checkSecrets(m, warnings);
                    error = stack(m, w, initialReplicas, now, applied, warnings, pruned);
                } else {
                    error = "namespace " + m.namespace() + " does not exist (set workloads.createNamespaces to create it)";
                }
            } catch (KubernetesClientException | IllegalArgumentException e) {
                error = e.getMessage();
                LOG.warnf("Model %s/%s not applied: %s", m.namespace(), m.name(), e.getMessage());
            }
            out.put(m.key(), status(m, applied, pruned, error, warnings, now));
        }
        Map<ModelKey, List<String>> removed = prune(policy);
        removed.forEach((k, names) -> {
            ModelStatus s = out.get(k);
            if (s != null) {
                List<String> all = new ArrayList<>(s.pruned());
                all.addAll(names);
                out.put(k, new ModelStatus(s.namespace(), s.model(), s.applied(), all, s.readyReplicas(), s.replicas(),
                        s.error(), s.warnings(), s.at()));
            }
        });
        return out;
    }

    /**
     * One model's stack, with blue-green on a new revision: the new revision's Deployments come up beside the
     * serving ones (same replicas); once all are ready the Service and HPAs switch to them; the old ones go
     * after {@link #BLUE_GREEN_GRACE}. A rollout not ready within the startup timeout (plus 5 minutes) is
     * reported as failed while the old revision keeps serving.
     *
     * @return the error of the model, or null
     */
    private String stack(ModelSpec m, Workloads w, Function<WorkloadKey, Optional<Integer>> initial, Instant now,
            List<String> applied, List<String> warnings, List<String> pruned) {
        String desired = Revision.hash(m, w);
        Service liveService = client.services().inNamespace(m.namespace()).withName(m.name()).get();
        String serving = liveService == null || liveService.getSpec().getSelector() == null ? null
                : liveService.getSpec().getSelector().get(WorkloadLabels.REVISION);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (liveService != null && liveService.getMetadata().getAnnotations() != null) {
            annotations.putAll(liveService.getMetadata().getAnnotations());
        }
        Map<String, Deployment> live = new LinkedHashMap<>();
        for (Deployment d : client.apps().deployments().inNamespace(m.namespace())
                .withLabel(WorkloadLabels.MODEL, m.name()).withLabel(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER)
                .list().getItems()) {
            live.put(d.getMetadata().getName(), d);
        }
        String error = null;
        String active = serving == null ? desired : serving;
        if (!active.equals(desired)) {
            int ready = 0;
            boolean failed = false;
            for (VariantSpec v : m.variants()) {
                WorkloadKey key = m.key().variant(v.name());
                Deployment current = live.get(WorkloadNames.deployment(key, active));
                Deployment candidate = live.get(WorkloadNames.deployment(key, desired));
                Integer replicas = candidate != null ? null : current != null && current.getSpec().getReplicas() != null
                        ? current.getSpec().getReplicas() : initial.apply(key).orElse(0);
                applied.add(apply(VllmDeployment.build(m, v, w, replicas, desired, false), warnings));
                if (candidate != null && ready(candidate)) {
                    ready++;
                } else if (candidate != null && Instant.parse(candidate.getMetadata().getCreationTimestamp())
                        .plus(m.workload().startupTimeout()).plus(Duration.ofMinutes(5)).isBefore(now)) {
                    failed = true;
                }
            }
            if (ready == m.variants().size()) {
                LOG.infof("Model %s/%s: revision %s ready, switching from %s", m.namespace(), m.name(), desired, active);
                annotations.put(SWITCHED_AT, now.toString());
                annotations.put(PREVIOUS, active);
                for (VariantSpec v : m.variants()) {
                    markActive(m.namespace(), WorkloadNames.deployment(m.key().variant(v.name()), active), false);
                }
                active = desired;
            } else if (failed) {
                error = "rollout of revision " + desired + " (" + m.workload().revision() + ") failed: " + ready + " of "
                        + m.variants().size() + " variants ready after the startup timeout; revision " + active
                        + " keeps serving";
            } else {
                warnings.add("rolling out revision " + desired + ": " + ready + " of " + m.variants().size()
                        + " variants ready; revision " + active + " serves");
            }
        }
        for (int i = 0; i < m.variants().size(); i++) {
            VariantSpec v = m.variants().get(i);
            WorkloadKey key = m.key().variant(v.name());
            // While an older revision serves, its Deployments stay exactly as they are.
            if (active.equals(desired)) {
                Integer replicas = live.containsKey(WorkloadNames.deployment(key, active)) ? null
                        : initial.apply(key).orElse(i == 0 ? m.minReplicas() : 0);
                applied.add(apply(VllmDeployment.build(m, v, w, replicas, active, true), warnings));
            }
            if (m.actuation() == ModelSpec.Actuation.HPA) {
                applied.add(apply(VariantHpa.build(m, v, active), warnings));
            }
        }
        Service service = ModelService.build(m, active);
        service.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        applied.add(apply(service, warnings));
        for (HasMetadata o : shared(m, w)) {
            applied.add(apply(o, warnings));
        }
        Instant switchedAt = annotations.containsKey(SWITCHED_AT) ? Instant.parse(annotations.get(SWITCHED_AT))
                : Instant.EPOCH;
        if (!switchedAt.plus(BLUE_GREEN_GRACE).isAfter(now)) {
            for (Deployment d : live.values()) {
                String rev = d.getMetadata().getLabels().get(WorkloadLabels.REVISION);
                if (rev != null && !rev.equals(active) && !rev.equals(desired)) {
                    client.resource(d).delete();
                    pruned.add("Deployment/" + d.getMetadata().getName());
                }
            }
        }
        return error;
    }

    static final Duration BLUE_GREEN_GRACE = Duration.ofMinutes(2);
    static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext SERVICE_MONITORS =
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup("monitoring.coreos.com").withVersion("v1").withKind("ServiceMonitor")
                    .withPlural("servicemonitors").withNamespaced(true).build();
    static final String SWITCHED_AT = "gpu-autoscaler.io/switched-at";
    static final String PREVIOUS = "gpu-autoscaler.io/previous-revision";

    private static boolean ready(Deployment d) {
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
        return ready >= want;
    }

    private void markActive(String namespace, String name, boolean active) {
        if (client.apps().deployments().inNamespace(namespace).withName(name).get() != null) {
            client.apps().deployments().inNamespace(namespace).withName(name)
                    .edit(d -> {
                        d.getMetadata().getLabels().put(WorkloadLabels.ACTIVE, Boolean.toString(active));
                        return d;
                    });
        }
    }

    /** The model's objects that do not depend on the revision. */
    static List<HasMetadata> shared(ModelSpec m, Workloads w) {
        List<HasMetadata> objects = new ArrayList<>();
        if ("pvc".equals(m.workload().cache())) {
            objects.add(ModelCachePvc.build(m));
        }
        objects.add(ModelPdb.build(m));
        objects.add(ModelNetworkPolicy.build(m, w));
        ModelIngress.build(m).ifPresent(objects::add);
        objects.add(ModelServiceMonitor.build(m));
        return objects;
    }

    private String apply(HasMetadata o, List<String> warnings) {
        String id = o.getKind() + "/" + o.getMetadata().getName();
        try {
            return id + ": " + applier.apply(o);
        } catch (KubernetesClientException e) {
            if ("ServiceMonitor".equals(o.getKind()) && (e.getCode() == 404 || e.getMessage().contains("ServiceMonitor"))) {
                warnings.add("ServiceMonitor not applied (is the Prometheus operator installed?): " + e.getMessage());
                return id + ": SKIPPED";
            }
            throw e;
        }
    }

    private boolean ensureNamespace(ModelSpec m, Workloads w) {
        if (client.namespaces().withName(m.namespace()).get() != null) {
            return true;
        }
        if (!w.createNamespaces()) {
            return false;
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.namespace())
                .addToLabels(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER).endMetadata().build()).create();
        return true;
    }

    private void checkSecrets(ModelSpec m, List<String> warnings) {
        for (Optional<Workloads.SecretRef> ref : List.of(m.workload().hfTokenSecret(), m.workload().apiKeySecret())) {
            ref.ifPresent(s -> {
                io.fabric8.kubernetes.api.model.Secret secret;
                try {
                    secret = client.secrets().inNamespace(m.namespace()).withName(s.name()).get();
                } catch (KubernetesClientException e) {
                    // The manifests grant no access to Secrets: then this check cannot be made.
                    warnings.add("Secret " + m.namespace() + "/" + s.name() + " not checked: " + e.getCode());
                    return;
                }
                if (secret == null) {
                    warnings.add("Secret " + m.namespace() + "/" + s.name() + " does not exist: pods will not start");
                } else if (secret.getData() == null || !secret.getData().containsKey(s.key())) {
                    warnings.add("Secret " + m.namespace() + "/" + s.name() + " has no key " + s.key());
                }
            });
        }
    }

    /** Deletes what carries our labels but the policy no longer wants. */
    private Map<ModelKey, List<String>> prune(Policy policy) {
        Map<ModelKey, ModelSpec> models = new LinkedHashMap<>();
        policy.models().forEach(m -> models.put(m.key(), m));
        Map<ModelKey, List<String>> pruned = new LinkedHashMap<>();
        List<HasMetadata> live = new ArrayList<>();
        String selector = WorkloadLabels.MANAGED_BY + "=" + WorkloadLabels.MANAGER;
        live.addAll(client.apps().deployments().inAnyNamespace().withLabelSelector(selector).list().getItems());
        live.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().withLabelSelector(selector)
                .list().getItems());
        live.addAll(client.services().inAnyNamespace().withLabelSelector(selector).list().getItems());
        live.addAll(client.policy().v1().podDisruptionBudget().inAnyNamespace().withLabelSelector(selector).list()
                .getItems());
        live.addAll(client.network().v1().networkPolicies().inAnyNamespace().withLabelSelector(selector).list()
                .getItems());
        live.addAll(client.network().v1().ingresses().inAnyNamespace().withLabelSelector(selector).list().getItems());
        live.addAll(client.persistentVolumeClaims().inAnyNamespace().withLabelSelector(selector).list().getItems());
        try {
            live.addAll(client.genericKubernetesResources(SERVICE_MONITORS).inAnyNamespace()
                    .withLabelSelector(selector).list().getItems());
        } catch (KubernetesClientException e) {
            // No Prometheus operator (no CRD): no ServiceMonitors were created either.
        }
        for (HasMetadata o : live) {
            Map<String, String> labels = o.getMetadata().getLabels();
            String model = labels.get(WorkloadLabels.MODEL);
            if (model == null) {
                continue;
            }
            ModelKey key = new ModelKey(o.getMetadata().getNamespace(), model);
            ModelSpec spec = models.get(key);
            if (spec == null || !wanted(spec, o)) {
                try {
                    if (o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
                        client.genericKubernetesResources(SERVICE_MONITORS).inNamespace(o.getMetadata().getNamespace())
                                .withName(o.getMetadata().getName()).delete();
                    } else {
                        client.resource(o).delete();
                    }
                    pruned.computeIfAbsent(key, k -> new ArrayList<>()).add(o.getKind() + "/" + o.getMetadata().getName());
                    LOG.infof("Pruned %s %s/%s", o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    LOG.warnf("Pruning %s %s/%s failed: %s", o.getKind(), o.getMetadata().getNamespace(),
                            o.getMetadata().getName(), e.getMessage());
                }
            }
        }
        return pruned;
    }

    /** Whether an object of a model still in the policy is still part of its stack. */
    private static boolean wanted(ModelSpec m, HasMetadata o) {
        String variant = o.getMetadata().getLabels().get(WorkloadLabels.VARIANT);
        Set<String> variants = new HashSet<>();
        m.variants().forEach(v -> variants.add(v.name()));
        return switch (o.getKind()) {
            case "Deployment" -> variant != null && variants.contains(variant);
            case "HorizontalPodAutoscaler" -> variant != null && variants.contains(variant)
                    && m.actuation() == ModelSpec.Actuation.HPA;
            case "Ingress" -> m.workload().ingressHost().isPresent();
            case "PersistentVolumeClaim" -> "pvc".equals(m.workload().cache());
            default -> true;
        };
    }

    private ModelStatus status(ModelSpec m, List<String> applied, List<String> pruned, String error,
            List<String> warnings, Instant now) {
        int ready = 0;
        int replicas = 0;
        if (client.namespaces().withName(m.namespace()).get() != null) {
            for (Deployment d : client.apps().deployments().inNamespace(m.namespace())
                    .withLabel(WorkloadLabels.MODEL, m.name()).withLabel(WorkloadLabels.ACTIVE, "true").list()
                    .getItems()) {
                replicas += d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
                ready += d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                        : d.getStatus().getReadyReplicas();
            }
        }
        return new ModelStatus(m.namespace(), m.name(), applied, pruned, ready, replicas, error, warnings, now);
    }
}
