package io.gpuautoscaler.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a kubelet would do for the pods of the given namespaces, minus running anything: a pod is marked
 * Running and Ready (with a pod IP) once it is {@code coldStart} old. Pods are never bound to a node, so the API
 * server deletes them at once when their ReplicaSet shrinks.
 */
public final class KubeletStandIn implements AutoCloseable {

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final Duration coldStart;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger ips = new AtomicInteger();
    private volatile List<Pod> ready = List.of();

    public KubeletStandIn(KubernetesClient client, List<String> namespaces, Duration coldStart) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
        this.coldStart = coldStart;
        timer.scheduleWithFixedDelay(this::sync, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** Pods marked Ready and not deleted, as of the last pass. */
    public List<Pod> readyPods() {
        return ready;
    }

    private void sync() {
        try {
            List<Pod> now = new ArrayList<>();
            Instant cutoff = Instant.now().minus(coldStart);
            for (String ns : namespaces) {
                for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
                    if (p.getMetadata().getDeletionTimestamp() != null) {
                        continue;
                    }
                    if (isReady(p)) {
                        now.add(p);
                    } else if (Instant.parse(p.getMetadata().getCreationTimestamp()).isBefore(cutoff)) {
                        now.add(markReady(p));
                    }
                }
            }
            ready = List.copyOf(now);
        } catch (KubernetesClientException e) {
            // the API server may be restarting or the pod gone: next pass
        }
    }

    private static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private Pod markReady(Pod p) {
        String now = Instant.now().toString();
        int n = ips.incrementAndGet();
        String ip = "10.244." + (n / 250) + "." + (n % 250 + 2);
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now)
                    .build());
        }
        p.getStatus().setPhase("Running");
        p.getStatus().setPodIP(ip);
        p.getStatus().setPodIPs(List.of(new io.fabric8.kubernetes.api.model.PodIP(ip)));
        p.getStatus().setStartTime(now);
        p.getStatus().setConditions(conditions);
        p.getStatus().setContainerStatuses(p.getSpec().getContainers().stream().map(c -> new ContainerStatusBuilder()
                .withName(c.getName()).withImage(c.getImage()).withImageID("").withReady(true).withStarted(true)
                .withRestartCount(0).withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                .build()).toList());
        return client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).updateStatus();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
