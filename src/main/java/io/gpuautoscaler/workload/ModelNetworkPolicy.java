package io.gpuautoscaler.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Workloads;
import java.util.ArrayList;
import java.util.List;

/**
 * Only the ingress controller (and Prometheus' scrape) reach vLLM on 8000; pods reach DNS and the model hub
 * or cache (443, 80) and nothing else. Pure.
 */
public final class ModelNetworkPolicy {

    private ModelNetworkPolicy() {
    }

    public static NetworkPolicy build(ModelSpec m, Workloads w) {
        List<NetworkPolicyIngressRule> in = new ArrayList<>();
        for (String ns : List.of(w.ingressNamespace(), w.monitoringNamespace(), w.autoscalerNamespace())) {
            in.add(new NetworkPolicyIngressRuleBuilder().addNewFrom().withNewNamespaceSelector()
                    .addToMatchLabels("kubernetes.io/metadata.name", ns).endNamespaceSelector().endFrom()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(VllmDeployment.PORT)).endPort().build());
        }
        List<NetworkPolicyEgressRule> out = new ArrayList<>();
        out.add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", "kube-system").endNamespaceSelector()
                .withNewPodSelector().addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort().build());
        NetworkPolicyEgressRuleBuilder hub = new NetworkPolicyEgressRuleBuilder();
        for (String cidr : w.egressCidrs()) {
            hub.addNewTo().withNewIpBlock().withCidr(cidr).endIpBlock().endTo();
        }
        out.add(hub.addNewPort().withProtocol("TCP").withPort(new IntOrString(443)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(80)).endPort().build());
        return new NetworkPolicyBuilder().withNewMetadata().withName(m.name()).withNamespace(m.namespace())
                .withLabels(StackLabels.model(m)).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(StackLabels.modelSelector(m)).endPodSelector()
                .withPolicyTypes("Ingress", "Egress").withIngress(in).withEgress(out).endSpec().build();
    }
}
